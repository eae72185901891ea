"""Who a CLI write acts as: a real, active attain user (an API token, or the OS user an admin
mapped), with that user's role; never a name or role from a flag. Each test guards a way the
command line let anyone be anyone (`--by NAME --role ROLE`, `--as NAME` as any admin)."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import insert
from typer.testing import CliRunner

from attain.accounts.tokens import list_tokens
from attain.audit import entries
from attain.audit.actor import Actor
from attain.cli import app
from attain.comp.runs import calculate_run
from attain.data.schema import Deal, Person, PlanAssignment
from attain.data.store import get_engine
from attain.pay import approve_period, period_state, prepare_period, publish_run
from cli_users import as_user

PLAN = """id: ae
currency: USD
period: month
credits:
  - {id: owner, from: deals, where: stage == "closed_won", to: owner, value: amount, date: close_date}
measures:
  bookings: {sum: value}
components:
  - {id: commission, measure: bookings, rate: 0.10}
"""


def _os_user(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setattr("attain.cli.acting.os_user", lambda: name, raising=False)


def attain(url: str, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, [*args, "--db", url], env={"ATTAIN_TOKEN": "", **(env or {})})
    return result.exit_code, " ".join(result.output.split())


def _errors(out: str) -> list[str]:
    return [part for part in out.split("error:")[1:]]


def build_approved(url: str, folder: Path) -> str:
    """A store whose 2026-01 is approved by a manager and finance, ready to close, and whose
    users are ada (admin), fay and pat (finance), mia (manager) and ana (rep)."""
    engine = get_engine(url)
    with engine.begin() as conn:
        conn.execute(
            insert(Person),
            [
                {"id": "ana", "name": "Ana Reyes", "manager": "mia"},
                {"id": "mia", "name": "Mia Holt", "manager": None},
            ],
        )
        conn.execute(
            insert(PlanAssignment).values(payee="ana", plan="ae", valid_from=dt.date(2026, 1, 1))
        )
        conn.execute(
            insert(Deal).values(
                id="d1",
                owner="ana",
                stage="closed_won",
                amount=Decimal("10000"),
                currency="USD",
                close_date=dt.date(2026, 1, 10),
            )
        )
    plans = folder / "plans"
    plans.mkdir()
    (plans / "ae.yaml").write_text(PLAN, encoding="utf-8")
    run = calculate_run(plans, dt.date(2026, 1, 1), dt.date(2026, 1, 31), url=url)
    publish_run(url, run.id, Actor("fay", "finance"))
    prepare_period(url, "2026-01", Actor("pat", "finance"))
    approve_period(url, "2026-01", Actor("mia", "manager"))
    approve_period(url, "2026-01", Actor("fay", "finance"))
    for username, role, person in USERS:
        as_user(url, username, role, person)
    return url


USERS = [
    ("ada", "admin", None),
    ("fay", "finance", None),
    ("pat", "finance", None),
    ("mia", "manager", "mia"),
    ("ana", "rep", "ana"),
]


@pytest.fixture(scope="module")
def approved_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The approved store on SQLite, built once; each test gets a copy."""
    folder = tmp_path_factory.mktemp("approved")
    build_approved(f"sqlite:///{folder / 'template.db'}", folder)
    get_engine(f"sqlite:///{folder / 'template.db'}").dispose()
    return folder / "template.db"


@pytest.fixture
def approved(approved_template: Path, tmp_path: Path) -> str:
    copy = tmp_path / "attain.db"
    shutil.copy(approved_template, copy)
    return f"sqlite:///{copy}"


def test_a_rep_token_cannot_close_a_period(approved: str) -> None:
    """Guards: the CLI took its role from a flag; a rep's identity now closes nothing."""
    code, out = attain(approved, "period", "close", "2026-01", env=as_user(approved, "ana", "rep"))
    assert code == 2 and _errors(out) == [
        " ana (rep) may not close a period: needs admin or finance"
    ]
    assert period_state(approved, "2026-01").status == "approved"
    code, out = attain(approved, "period", "close", "2026-01", env=as_user(approved, "fay", "x"))
    assert code == 0 and "closed by fay" in out
    assert period_state(approved, "2026-01").status == "closed"


@pytest.mark.postgres
def test_a_rep_token_cannot_close_a_period_on_postgres(postgres_url: str, tmp_path: Path) -> None:
    """Guards the same on PostgreSQL: the identity is read from the store the command writes."""
    test_a_rep_token_cannot_close_a_period(build_approved(postgres_url, tmp_path))


def test_role_admin_on_the_command_line_no_longer_makes_a_rep_an_admin(
    approved: str,
) -> None:
    """Guards: `--by ana --role admin` closed a period for anyone who typed it."""
    rep = as_user(approved, "ana", "rep")
    for flags in (["--by", "ada", "--role", "admin"], ["--role", "admin"], ["--by", "ada"]):
        code, out = attain(approved, "period", "close", "2026-01", *flags, env=rep)
        assert code == 2 and len(_errors(out)) == 1 and "--by and --role are gone" in out, out
    code, out = attain(approved, "period", "close", "2026-01", "--as", "ada", env=rep)
    assert code == 2 and "you are ana; --as ada needs ada's token" in out
    assert period_state(approved, "2026-01").status == "approved"


def test_a_preparer_cannot_approve_what_they_prepared_on_the_command_line(
    approved: str,
) -> None:
    """Guards: four eyes on the CLI were honour-based (any name could be typed as approver)."""
    pat = as_user(approved, "pat", "finance")
    assert attain(approved, "period", "revoke", "2026-01", "--reason", "recheck", env=pat)[0] == 0
    assert attain(approved, "period", "prepare", "2026-01", env=pat)[0] == 0
    mia = as_user(approved, "mia", "manager", "mia")
    assert attain(approved, "comp", "approve", "2026-01", env=mia)[0] == 0
    code, out = attain(approved, "comp", "approve", "2026-01", env=pat)
    assert code == 2 and "pat" in out and len(_errors(out)) == 1, out
    assert period_state(approved, "2026-01").status == "prepared"


def test_an_unmapped_os_user_is_refused_once_users_exist(
    approved: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards: whoever could run the CLI acted as an admin of a store that has users."""
    _os_user(monkeypatch, "mallory")
    before = len(list_tokens(get_engine(approved)))
    code, out = attain(approved, "tokens", "create", "ada")
    assert code == 2 and _errors(out) == [
        " you (OS user mallory) are not an attain user of this store: an admin maps you with "
        "`attain users operator mallory USERNAME`, or set ATTAIN_TOKEN"
    ]
    assert attain(approved, "period", "close", "2026-01")[0] == 2
    assert len(list_tokens(get_engine(approved))) == before
    assert period_state(approved, "2026-01").status == "approved"


def test_a_mapped_os_user_acts_as_their_user_with_its_role(
    approved: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards: the local operator was a name, not a user; now an admin maps it, audited."""
    ada = as_user(approved, "ada", "admin")
    assert attain(approved, "users", "operator", "fred", "fay", env=ada)[0] == 0
    _os_user(monkeypatch, "fred")
    assert attain(approved, "whoami") == (0, "fay (finance), as the local operator fred")
    code, out = attain(approved, "period", "close", "2026-01")
    assert code == 0 and "closed by fay" in out
    (closed,) = entries(get_engine(approved), "period", "2026-01", limit=1)
    assert (closed.action, closed.actor, closed.role) == ("period.close", "fay", "finance")
    (mapped,) = entries(get_engine(approved), "operator", "fred")
    assert (mapped.actor, mapped.after) == ("ada", {"user": "fay"})
    code, out = attain(approved, "users", "operator", "fred", "ada")  # fay is no admin
    assert code == 2 and len(_errors(out)) == 1
    assert attain(approved, "users", "deactivate", "fay", env=ada)[0] == 0
    code, out = attain(approved, "whoami")
    assert code == 2 and _errors(out) == [" you (OS user fred) act as fay, who is deactivated"]
    code, out = attain(approved, "users", "operator", "fred", "--remove", env=ada)
    assert code == 0 and out == "fred no longer acts as anyone"
    assert "not an attain user of this store" in attain(approved, "whoami")[1]


def test_a_revoked_token_is_refused(approved: str) -> None:
    """Guards: a token the admin revoked must not act on the command line."""
    ada = as_user(approved, "ada", "admin")
    fay = as_user(approved, "fay", "finance")
    (token_id,) = [t.id for t in list_tokens(get_engine(approved), "fay")][-1:]
    assert attain(approved, "tokens", "revoke", str(token_id), env=ada)[0] == 0
    code, out = attain(approved, "period", "close", "2026-01", env=fay)
    assert code == 2 and _errors(out) == [
        " ATTAIN_TOKEN is not a live API token here (unknown, revoked or expired, or its user is "
        "deactivated)"
    ]
    assert period_state(approved, "2026-01").status == "approved"


def test_bootstrap_the_first_admin_then_act_as_them(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards: on a store with no users the OS user adds the first admin and becomes them; after
    that, no other OS user is an admin by default."""
    _os_user(monkeypatch, "root-op")
    code, out = attain(
        sqlite_url, "users", "add", "fay", "--role", "finance", "--password", "x" * 12
    )
    assert code == 2 and "its first user is an admin" in out  # else no one could manage users
    assert (
        attain(sqlite_url, "whoami")[1]
        == "root-op (admin), as an admin: the store has no users yet"
    )
    code, out = attain(
        sqlite_url, "users", "add", "ada", "--role", "admin", "--password", "ada-pass-123"
    )
    assert code == 0 and "you (OS user root-op) now act as ada" in out
    assert attain(sqlite_url, "whoami") == (0, "ada (admin), as the local operator root-op")
    assert attain(sqlite_url, "tokens", "create", "ada")[0] == 0
    assert [e.actor for e in entries(get_engine(sqlite_url), limit=3)] == [
        "ada",
        "root-op",
        "root-op",
    ]
    _os_user(monkeypatch, "someone-else")
    assert attain(sqlite_url, "tokens", "create", "ada")[0] == 2
