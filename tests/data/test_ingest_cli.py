"""`attain import` on the command line: a summary on success; `file:row:column` lines and exit
code 2 on bad rows; the same through a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from _ingest_support import fixture, rows
from typer.testing import CliRunner

from attain.cli import app


@pytest.fixture
def in_fixtures(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the fixtures folder, so file names print as a user would type them."""
    monkeypatch.chdir(fixture("."))
    return fixture(".")


def _attain(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _seed(db: str) -> None:
    for table in ("people", "products", "accounts"):
        assert _attain("import", table, f"{table}.csv", "--db", db)[0] == 0


def test_bad_rows_exit_2_with_one_line_each(in_fixtures: Path, sqlite_url: str) -> None:
    _seed(sqlite_url)
    code, out, err = _attain("import", "deals", "deals_bad.csv", "--db", sqlite_url)
    assert code == 2
    lines = err.splitlines()
    assert lines[0] == "deals_bad.csv:3:term_months: 'twelve' is not a whole number"
    assert lines[5] == "deals_bad.csv:8:id: duplicate id 'D-1': also on row 2"
    assert lines[-1] == (
        "error: deals_bad.csv: 10 invalid rows; nothing was imported "
        "(fix them, or import the valid rows with --skip-invalid)"
    )
    assert out == ""
    assert rows(sqlite_url, "deals") == []


def test_success_prints_the_counts(in_fixtures: Path, sqlite_url: str, tmp_path: Path) -> None:
    _seed(sqlite_url)
    code, out, _ = _attain("import", "deals", "deals.csv", "--db", sqlite_url)
    assert (code, out) == (
        0,
        "deals.csv -> deals: imported 5 rows: 5 inserted, 0 updated, 0 unchanged, 0 rejected\n",
    )
    rejects = tmp_path / "rejects.csv"
    code, out, err = _attain(
        "import",
        "deals",
        "deals_bad.csv",
        "--db",
        sqlite_url,
        "--skip-invalid",
        "--rejects",
        str(rejects),
    )
    assert code == 0
    assert out.startswith(
        "deals_bad.csv -> deals: imported 12 rows: 1 inserted, 1 updated, 0 unchanged, 10 rejected"
    )
    assert (
        err.splitlines()[0]
        == "rejected deals_bad.csv:3:term_months: 'twelve' is not a whole number"
    )
    assert rejects.is_file()


def test_mapping_flags_and_file_on_the_command_line(in_fixtures: Path, sqlite_url: str) -> None:
    _seed(sqlite_url)
    code, out, err = _attain(
        "import",
        "deals",
        "crm_export.csv",
        "--db",
        sqlite_url,
        "--map",
        "Opportunity ID=id",
        "--map",
        "Opportunity Owner=owner",
        "--map",
        "Account Name=account",
    )
    assert code == 0, err
    assert err.startswith(
        "warning: crm_export.csv: ignoring columns that fill nothing in deals: 'Opportunity Name', 'Notes'"
    )
    code, out, err = _attain(
        "import", "deals", "crm_export.csv", "--db", sqlite_url, "--mapping", "crm_export.yaml"
    )
    assert (code, err) == (0, "")
    assert "0 inserted, 2 updated, 0 unchanged" in out, "names and close dates filled in this time"


def test_plain_errors_are_one_line(in_fixtures: Path, sqlite_url: str) -> None:
    code, _, err = _attain("import", "deals", "deals_no_owner.csv", "--db", sqlite_url)
    assert code == 2
    assert err.splitlines()[-1] == (
        "error: deals_no_owner.csv: missing required column 'owner' for deals (did you mean "
        "'Opportunity Owner'? map it with --map 'Opportunity Owner=owner')"
    )
    code, _, err = _attain("import", "deals", "deals_latin1.csv", "--db", sqlite_url)
    assert code == 2 and "deals_latin1.csv:3:" in err and "re-save it as UTF-8" in err


def test_a_real_subprocess_exits_2(in_fixtures: Path, sqlite_url: str) -> None:
    env = {**os.environ, "ATTAIN_DATABASE_URL": sqlite_url}
    done = subprocess.run(
        [sys.executable, "-m", "attain", "import", "deals", "deals_bad.csv"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "deals_bad.csv:6:owner: 'zed' is not a known people.id" in done.stderr


def test_a_store_that_cannot_be_reached_is_one_line(in_fixtures: Path) -> None:
    url = "postgresql://someone:secret@127.0.0.1:1/nowhere"
    code, _, err = _attain("import", "deals", "deals.csv", "--db", url)
    assert code == 2
    assert err.startswith(
        "error: cannot open the store postgresql://someone:***@127.0.0.1:1/nowhere"
    )
    assert "secret" not in err and len(err.strip().splitlines()) == 1
