"""`attain users add | list | token` and `attain serve --help`."""

from __future__ import annotations

from typer.testing import CliRunner
from web_company import Company

from attain.cli import app


def test_users_add_list_and_token(company: Company) -> None:
    runner = CliRunner()
    admin = {"ATTAIN_TOKEN": company.tokens["admin"]}
    added = runner.invoke(
        app,
        [
            "users",
            "add",
            "ivy",
            "--role",
            "rep",
            "--person",
            company.rep,
            "--password",
            "ivy-pass-1234",
            "--db",
            company.url,
        ],
        env=admin,
    )
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["users", "list", "--db", company.url])
    assert "ivy" in listed.output and company.rep in listed.output
    token = runner.invoke(app, ["users", "token", "ivy", "--db", company.url], env=admin)
    assert token.exit_code == 0 and token.output.strip().startswith("att_")


def test_a_rep_needs_a_person_and_errors_are_one_line(company: Company) -> None:
    result = CliRunner().invoke(
        app,
        [
            "users",
            "add",
            "joe",
            "--role",
            "rep",
            "--password",
            "joe-pass-1234",
            "--db",
            company.url,
        ],
        env={"ATTAIN_TOKEN": company.tokens["admin"]},
    )
    assert result.exit_code == 2
    assert "linked to a person" in result.output


def test_serve_has_host_and_port() -> None:
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output
