"""Bad input on the command line is one clear line and exit 2, never a traceback.

A bad `--db` (an unknown kind of store, a server nobody listens on, a folder that does not exist)
is refused the same way by every command that takes `--db`; so is a store from
ATTAIN_DATABASE_URL that cannot be opened. A statement for a payee or a period attain does not
know is refused, not printed empty.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from attain.cli import app
from attain.cli.reference import command_paths
from attain.data.store import get_engine
from attain.data.synth import SynthSpec, generate, write_store
from cli_users import as_user

BAD_URLS = {
    "unknown kind": ("nosuch://x", "not a kind of store"),
    "nobody listening": ("postgresql://nobody@127.0.0.1:1/x", "Connection refused"),
    "no such folder": ("sqlite:////no/such/dir/a.db", "no folder /no/such/dir"),
}


def commands_with_db() -> list[list[str]]:
    """Every command (sub-commands included) that has a `--db` option."""
    root: Any = typer.main.get_command(app)
    found = []
    for path in command_paths():
        cmd = root
        for name in path:
            cmd = cmd.get_command(None, name)
        if any("--db" in getattr(p, "opts", []) for p in cmd.params):
            found.append(path)
    return found


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip()]


def test_the_commands_with_db_are_found() -> None:
    names = {" ".join(p) for p in commands_with_db()}
    assert {"tables", "import", "demo", "synth", "statement", "serve"} <= names
    assert len(names) > 20


@pytest.mark.parametrize("bad", BAD_URLS.values(), ids=BAD_URLS.keys())
@pytest.mark.parametrize("command", commands_with_db(), ids=" ".join)
def test_a_bad_db_is_one_line_and_exit_2(command: list[str], bad: tuple[str, str]) -> None:
    url, reason = bad
    result = CliRunner().invoke(app, [*command, "--db", url])
    assert result.exit_code == 2, result.output
    lines = error_lines(result.output)
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: cannot open the store ") and reason in lines[0]
    assert "Traceback" not in result.output


@pytest.mark.parametrize("bad", BAD_URLS.values(), ids=BAD_URLS.keys())
def test_a_bad_store_from_the_environment_is_one_line_and_exit_2(
    bad: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = bad
    monkeypatch.setenv("ATTAIN_DATABASE_URL", url)
    result = CliRunner().invoke(app, ["tables"])
    assert result.exit_code == 2, result.output
    lines = error_lines(result.output)
    assert len(lines) == 1 and lines[0].startswith(f"error: the store {url}: "), result.output


def test_a_password_in_a_bad_url_is_not_printed() -> None:
    result = CliRunner().invoke(app, ["tables", "--db", "postgresql://me:s3cret@127.0.0.1:1/x"])
    assert result.exit_code == 2
    assert "s3cret" not in result.output and "***" in result.output


@pytest.fixture
def small_store(store_url: str) -> str:
    spec = SynthSpec(seed=3, b2c_associates=6, years=1, start=dt.date(2025, 1, 1))
    write_store(generate(spec), get_engine(store_url))
    return store_url


def statement(url: str, payee: str, period: str) -> Any:
    args = ["statement", payee, period, "--db", url]
    return CliRunner().invoke(app, args, env=as_user(url, "fin", "finance"))


def test_a_statement_for_an_unknown_payee_is_refused(small_store: str) -> None:
    result = statement(small_store, "Nobody", "2025-03")
    assert result.exit_code == 2, result.output
    assert error_lines(result.output) == ["error: no payee Nobody (no such id in table people)"]


def test_a_statement_for_a_period_without_pay_is_refused(small_store: str) -> None:
    from attain.data.schema import Person

    with get_engine(small_store).connect() as conn:
        someone = conn.execute(Person.__table__.select().limit(1)).mappings().one()["id"]
    result = statement(small_store, someone, "2017-03")
    assert result.exit_code == 2, result.output
    assert error_lines(result.output) == ["error: period 2017-03 has no published pay for anyone"]
