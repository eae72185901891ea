"""`attain cases check`: output lines, the closing count, and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from attain.cli import app

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "cases" / "comp" / "02-splits-and-clawback.yaml"
ERROR_CASE = ROOT / "cases" / "comp" / "09-error-unknown-function.yaml"


def _invoke(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["cases", "check", *args])
    return result.exit_code, result.output.splitlines()


def test_all_pass_exit_0(tmp_path: Path) -> None:
    code, lines = _invoke(str(GOOD), str(ERROR_CASE))
    assert code == 0
    assert lines == [
        "PASS 02-splits-and-clawback",
        "PASS 09-error-unknown-function",
        "2 passed, 0 failed",
    ]


def test_a_wrong_figure_fails_with_the_differing_lines(tmp_path: Path) -> None:
    bad = tmp_path / "wrong.yaml"
    bad.write_text(
        GOOD.read_text(encoding="utf-8").replace('amount: "-500.00"', 'amount: "-499.99"'),
        encoding="utf-8",
    )
    code, lines = _invoke(str(GOOD), str(bad))
    assert code == 1
    assert lines[0] == "PASS 02-splits-and-clawback"
    assert lines[1] == "FAIL wrong"
    assert "expected ben 2027-02 commission -499.99  got ben 2027-02 commission -500.00" in lines[2]
    assert lines[-1] == "1 passed, 1 failed"


def test_an_expected_error_that_does_not_happen_fails(tmp_path: Path) -> None:
    bad = tmp_path / "no-error.yaml"
    text = GOOD.read_text(encoding="utf-8")
    bad.write_text(text[: text.index("expect:")] + 'expect:\n  error: ["nope"]\n', encoding="utf-8")
    code, lines = _invoke(str(bad))
    assert code == 1
    assert lines[0] == "FAIL no-error"
    assert "expected an error containing ['nope']" in lines[1]


def test_malformed_case_file_fails_naming_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("title: x\ntables: [\n", encoding="utf-8")
    code, lines = _invoke(str(tmp_path))
    assert code == 1
    assert lines[0] == "FAIL broken"
    assert "malformed YAML at line" in lines[1]
    assert lines[-1] == "0 passed, 1 failed"


@pytest.mark.parametrize(
    ("args", "words"),
    [(["--backend", "spark", "x"], "unknown backend"), (["nowhere.yaml"], "no such case file")],
)
def test_usage_errors_exit_2(args: list[str], words: str) -> None:
    result = CliRunner().invoke(app, ["cases", "check", *args])
    assert result.exit_code == 2
    assert words in result.output


@pytest.mark.postgres
def test_postgres_backend(postgres_server: str) -> None:
    code, lines = _invoke(str(GOOD), "--backend", "postgres", "--postgres-url", postgres_server)
    assert code == 0, lines
    assert lines[-1] == "1 passed, 0 failed"
