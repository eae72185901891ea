"""`attain demo` end to end, small: as of pinned days, with logins for every role, over stores.

The demo is built as of a pinned "today" (`--as-of` or ATTAIN_TODAY), so these tests do not
depend on the day they run. `--reps 3` keeps it cheap while every plan still pays.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from attain.cli import app
from attain.comp.runs.schema import CompRun
from attain.data.schema import Person
from attain.data.store import get_engine
from attain.data.synth.write import store_tables

SMALL = ["--reps", "3", "--no-serve"]


def demo(url: str, *more: str, env: dict[str, str] | None = None) -> Any:
    result = CliRunner().invoke(app, ["demo", "--db", url, *SMALL, *more], env=env)
    return result


def logins_of(output: str) -> dict[str, tuple[str, str]]:
    """role -> (username, password) from the printed `demo logins` table."""
    found = {}
    for role in ("admin", "finance", "manager", "rep"):
        row = re.search(rf"│ {role}\s+│ (\S+)\s+│ (\S+)\s+│", output)
        assert row, f"no {role} login printed:\n{output}"
        found[role] = (row.group(1), row.group(2))
    return found


def published_runs(url: str) -> list[str]:
    with get_engine(url).connect() as conn:
        return list(conn.execute(text("SELECT DISTINCT run_id FROM pay_ledger")).scalars())


@pytest.mark.parametrize(
    ("today", "last_day"),
    [(dt.date(2026, 12, 1), dt.date(2026, 11, 30)), (dt.date(2027, 1, 31), dt.date(2026, 12, 31))],
)
def test_the_demo_completes_as_of_a_pinned_day_with_a_published_run(
    tmp_path: Any, today: dt.date, last_day: dt.date
) -> None:
    url = f"sqlite:///{tmp_path / 'attain.db'}"
    result = demo(url, "--as-of", str(today))
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())  # as Rich wraps it at the console's width or not
    assert f"history {last_day - dt.timedelta(days=365 * 3 - 1):%Y-%m}" in said
    assert f"to {last_day}" in said and f"as of {today}" in said
    runs = published_runs(url)
    with get_engine(url).connect() as conn:
        (run,) = conn.execute(select(CompRun.id, CompRun.span_to)).all()
    assert runs == [run.id] and run.span_to == last_day


def test_attain_today_pins_the_day_and_a_bad_one_is_one_line(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'attain.db'}"
    bad = demo(url, env={"ATTAIN_TODAY": "2027-02-30"})
    assert bad.exit_code == 2
    assert bad.output.strip() == "error: ATTAIN_TODAY '2027-02-30' is not a date (YYYY-MM-DD)"
    pinned = demo(url, env={"ATTAIN_TODAY": "2027-03-15"})
    assert pinned.exit_code == 0, pinned.output
    assert "to 2027-02-28" in " ".join(pinned.output.split())
    # whoever ran the demo acts as its admin on the command line (the README's commands work)
    me = CliRunner().invoke(app, ["whoami", "--db", url], env={"ATTAIN_TOKEN": ""})
    assert me.exit_code == 0 and me.output.startswith("admin (admin), as the local operator")


def test_no_serve_then_serve_lets_each_role_log_in_with_the_printed_logins(
    tmp_path: Any,
) -> None:
    from fastapi.testclient import TestClient

    from attain.web.app import create_app

    url = f"sqlite:///{tmp_path / 'attain.db'}"
    result = demo(url, "--as-of", "2026-12-01")
    assert result.exit_code == 0, result.output
    # What `attain serve --db url` serves: the app over the same store, in a new process's state.
    client = TestClient(create_app(url, secure_cookies=False), follow_redirects=False)
    for role, (username, password) in logins_of(result.output).items():
        client.cookies.clear()
        page = client.get("/login")
        csrf = re.search(r'name="csrf" value="([^"]*)"', page.text)
        assert csrf, page.text
        answer = client.post(
            "/login",
            data={"username": username, "password": password, "csrf": csrf.group(1)},
        )
        assert answer.status_code == 303, (role, answer.text)
        landing = client.get(answer.headers["location"])
        assert landing.status_code == 200, (role, landing.text)


def test_demo_takes_host_and_port() -> None:
    result = CliRunner().invoke(app, ["demo", "--help"], env={"COLUMNS": "200"})
    assert "--host" in result.output and "--port" in result.output and "--as-of" in result.output


def counts(url: str) -> dict[str, int]:
    engine = get_engine(url)
    with engine.connect() as conn:
        return {
            t: int(conn.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar_one())
            for t in store_tables(conn)
        }


def test_a_second_demo_replaces_the_whole_store(store_url: str) -> None:
    """E00026 of the new company must not carry the old company's runs, closes or disputes."""
    from attain.audit.actor import Actor
    from attain.pay import approve_period, close_period, prepare_period, raise_dispute

    first = demo(store_url, "--as-of", "2026-12-01", "--seed", "1")
    assert first.exit_code == 0, first.output
    old_run = published_runs(store_url)
    fin, boss = Actor("fay", "finance"), Actor("ada", "admin")  # admin: every team
    prepare_period(store_url, "2026-01", fin)
    approve_period(store_url, "2026-01", boss)
    approve_period(store_url, "2026-01", Actor("ann", "finance"))
    close_period(store_url, "2026-01", Actor("ann", "finance"))
    with get_engine(store_url).connect() as conn:
        someone = conn.execute(select(Person.id).limit(1)).scalar_one()
    raise_dispute(
        store_url, fin, payee=someone, period="2026-01", subject="missing deal", deal="D-1"
    )
    before = counts(store_url)
    assert before["pay_disputes"] == 1 and before["pay_periods"] > 0

    second = demo(store_url, "--as-of", "2027-01-31", "--seed", "2")
    assert second.exit_code == 0, second.output
    after = counts(store_url)
    new_run = published_runs(store_url)
    assert len(new_run) == 1 and new_run != old_run
    assert after["comp_runs"] == 1
    for table in ("pay_disputes", "pay_dispute_events", "pay_approvals"):
        assert after[table] == 0, table
    with get_engine(store_url).connect() as conn:
        old_audit = conn.execute(
            text("SELECT COUNT(*) FROM audit_log WHERE action IN ('period.close', 'dispute.raise')")
        ).scalar_one()
        touched = conn.execute(
            text("SELECT COUNT(*) FROM pay_periods WHERE status <> 'open'")
        ).scalar_one()
        users = set(conn.execute(text("SELECT username FROM web_users")).scalars())
        people = conn.execute(select(func.count(func.distinct(Person.id)))).scalar_one()
    assert old_audit == 0 and touched == 0
    assert users == {"admin", "finance", "manager", "rep"}
    assert people < before["people"] + 1  # the new company alone, not both
    # The old log's checkpoints (written by the close) are set aside, not held against the new
    # log: before, `attain audit verify` called the new store's log cut short.
    assert "the replaced store's checkpoints are kept in" in second.output
    checked = CliRunner().invoke(app, ["audit", "verify", "--db", store_url])
    assert checked.exit_code == 0, checked.output


def test_a_store_with_other_data_is_refused_unless_replace(store_url: str) -> None:
    from attain.data.store import session

    with session(store_url) as s:
        s.add(Person(id="own-1", name="Someone Real"))
    refused = demo(store_url, "--as-of", "2026-12-01")
    assert refused.exit_code == 2
    lines = [ln for ln in refused.output.splitlines() if ln.strip() and not ln.startswith(">")]
    assert len(lines) == 1 and "--replace" in lines[0] and "people" in lines[0], refused.output
    with get_engine(store_url).connect() as conn:
        assert conn.execute(select(Person.id)).scalars().all() == ["own-1"]
    replaced = demo(store_url, "--as-of", "2026-12-01", "--replace")
    assert replaced.exit_code == 0, replaced.output
    with get_engine(store_url).connect() as conn:
        assert conn.execute(select(Person.id).where(Person.id == "own-1")).first() is None
