"""`attain users ...` and `attain tokens ...`: every account job of the web, through the same
actions, each write done by the attain user the CLI acts as (docs/cli-identity.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import insert
from typer.testing import CliRunner

from attain.accounts.tokens import list_tokens
from attain.accounts.users import authenticate, find_user, user_for_token
from attain.audit import entries
from attain.cli import app
from attain.data.schema import Person
from attain.data.store import get_engine


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'attain.db'}"
    with get_engine(url).begin() as conn:
        conn.execute(insert(Person).values(id="E1", name="Ana Reyes"))
    return url


def attain(url: str, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(app, [*args, "--db", url])
    assert result.exit_code == code, result.output
    return _flat(result.output)


def test_every_account_job_from_the_command_line(url: str) -> None:
    engine = get_engine(url)
    attain(url, "users", "add", "ada", "--role", "admin", "--password", "ada-pass-123")
    out = attain(url, "users", "add", "ana", "--role", "rep", "--person", "E1",
                 "--password", "ana-pass-123", "--as", "ada")  # fmt: skip
    assert out == "added ana (rep, E1)"
    assert "ana rep E1 yes" in _flat(re.sub(r"[│┃|]", " ", attain(url, "users", "list")))

    token = attain(url, "tokens", "create", "ana", "--name", "reports", "--as", "ada")
    assert token.startswith("att_") and user_for_token(engine, token) is not None
    (made,) = list_tokens(engine, "ana")
    assert token not in attain(url, "tokens", "list") and "reports" in attain(url, "tokens", "list")

    attain(url, "users", "password", "ana", "--password", "new-pass-123", "--as", "ada")
    assert authenticate(engine, "ana", "new-pass-123") is not None

    assert attain(url, "users", "role", "ana", "finance", "--as", "ada") == "ana is now finance"
    attain(url, "users", "deactivate", "ana", "--as", "ada")
    assert (
        user_for_token(engine, token) is None
        and authenticate(engine, "ana", "new-pass-123") is None
    )
    attain(url, "users", "activate", "ana", "--as", "ada")
    account = find_user(engine, "ana")
    assert account is not None and account.active and account.role == "finance"
    second = attain(url, "tokens", "create", "ana", "--as", "ada")
    (live,) = [t for t in list_tokens(engine, "ana") if not t.revoked]
    attain(url, "tokens", "revoke", str(live.id), "--as", "ada")
    assert user_for_token(engine, second) is None and made.id != live.id

    log = list(reversed(entries(engine)))
    assert [(e.action, e.actor) for e in log[2:]] == [
        ("user.add", "ada"),
        ("token.create", "ada"),
        ("user.password", "ada"),
        ("user.role", "ada"),
        ("user.active", "ada"),
        ("user.active", "ada"),
        ("token.create", "ada"),
        ("token.revoke", "ada"),
    ]
    # on a store with no users, the OS user adds the first admin as an admin, and becomes them
    assert [(e.action, e.role) for e in log[:2]] == [
        ("user.add", "admin"),
        ("operator.map", "admin"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["users", "add", "joe", "--role", "rep", "--password", "joe-pass-123"],
            "linked to a person",
        ),
        (["users", "add", "joe", "--role", "boss", "--password", "joe-pass-123"], "unknown role"),
        (["users", "add", "joe", "--role", "finance", "--password", "short"], "shorter than 12"),
        (["users", "deactivate", "ghost"], "no user 'ghost'"),
        (["users", "role", "ghost", "rep", "--person", "E1"], "no user 'ghost'"),
        (["tokens", "create", "ghost"], "no user 'ghost'"),
        (["tokens", "revoke", "12345"], "no API token 12345"),
        (["users", "deactivate", "ada", "--as", " "], "--as"),
    ],
)
def test_a_refused_account_change_is_one_line_and_exit_2(
    url: str, args: list[str], message: str
) -> None:
    attain(url, "users", "add", "ada", "--role", "admin", "--password", "ada-pass-123")
    result = CliRunner().invoke(app, [*args, "--db", url])
    assert result.exit_code == 2, result.output
    assert message in _flat(result.output) and "Traceback" not in result.output
    assert len(entries(get_engine(url))) == 2  # only ada's own, and mapping the OS user to her


def test_the_last_admin_is_not_deactivated(url: str) -> None:
    attain(url, "users", "add", "ada", "--role", "admin", "--password", "ada-pass-123")
    out = attain(url, "users", "deactivate", "ada", code=2)
    assert "last active admin" in out
    account = find_user(get_engine(url), "ada")
    assert account is not None and account.active


def test_the_former_token_command_still_makes_a_token(url: str) -> None:
    attain(url, "users", "add", "ada", "--role", "admin", "--password", "ada-pass-123")
    token = attain(url, "users", "token", "ada", "--as", "ada")
    assert user_for_token(get_engine(url), token) is not None
