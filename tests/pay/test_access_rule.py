"""The one rule for who sees what (on SQLite and PostgreSQL): a manager sees a payee's statements and disputes for the
periods in which the payee reported to them; "my team" follows today's hierarchy.

Ana reports to Mia in 2027-Q1 and to Max from April; Ben always reports to Max; Max reports to
Vic. Statements are quarterly.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pay_helpers import FINANCE, PLAN, deal

from attain.access import Scope, Viewer, scope_of, sees_in_period
from attain.actions.accounts import add_user, new_api_token
from attain.audit.actor import SYSTEM, Actor
from attain.comp.runs import calculate_run
from attain.data.schema import Person, PlanAssignment
from attain.data.store import get_engine, session
from attain.hierarchy import managers_above, managers_over, reports_over, team_of
from attain.pay import NotAllowed, publish_run, raise_dispute
from attain.pay.statements import statement

MIA = Actor("mia", "manager")
D = dt.date


@pytest.fixture
def store(store_url: str, tmp_path: Path) -> str:
    with session(store_url) as s:
        s.add_all(
            [
                Person(id="ana", name="Ana", manager="mia", valid_to=D(2027, 3, 31)),
                Person(id="ana", name="Ana", manager="max", valid_from=D(2027, 4, 1)),
                Person(id="ben", name="Ben", manager="max"),
                Person(id="mia", name="Mia"),
                Person(id="max", name="Max", manager="vic"),
                Person(id="vic", name="Vic"),
            ]
        )
        s.add_all(
            [PlanAssignment(payee=p, plan="ae", valid_from=D(2027, 1, 1)) for p in ("ana", "ben")]
        )
        s.add_all(
            [
                deal("d1", "ana", "10000", D(2027, 2, 10)),
                deal("d2", "ana", "4000", D(2027, 8, 20)),
                deal("d3", "ben", "8000", D(2027, 2, 15)),
            ]
        )
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "ae.yaml").write_text(PLAN.replace("period: month", "period: quarter"))
    summary = calculate_run(plans, D(2027, 1, 1), D(2027, 9, 30), url=store_url)
    publish_run(store_url, summary.id, FINANCE)
    return store_url


def test_a_manager_reads_the_statement_of_a_quarter_they_managed_and_not_of_a_later_one(
    store: str,
) -> None:
    q1 = statement(store, "ana", "2027-Q1", MIA)
    assert q1.total == Decimal("1000.00")
    with pytest.raises(NotAllowed, match="may not see ana's statement for 2027-Q3"):
        statement(store, "ana", "2027-Q3", MIA)
    # the manager above Ana's new manager reads Q3 (at any depth) but not Q1
    vic = Actor("vic", "manager")
    assert statement(store, "ana", "2027-Q3", vic).total == Decimal("400.00")
    with pytest.raises(NotAllowed):
        statement(store, "ana", "2027-Q1", vic)


def test_a_manager_cannot_raise_a_dispute_about_a_stranger_or_outside_their_period(
    store: str,
) -> None:
    with pytest.raises(NotAllowed, match="ben"):
        raise_dispute(store, MIA, payee="ben", period="2027-Q1", subject="x", deal="d9")
    with pytest.raises(NotAllowed, match="2027-Q3"):
        raise_dispute(store, MIA, payee="ana", period="2027-Q3", subject="x", deal="d9")
    assert raise_dispute(store, MIA, payee="ana", period="2027-Q1", subject="x", deal="d9") > 0


def test_the_team_list_follows_today_and_the_period_rule_follows_the_period(store: str) -> None:
    engine = get_engine(store)
    mia = Viewer(1, "mia", "manager", "mia")
    assert scope_of(engine, mia, D(2027, 2, 1)).payees == frozenset({"mia", "ana"})
    today = scope_of(engine, mia, D(2027, 6, 1))
    assert today.payees == frozenset({"mia"})
    assert today.sees_in(engine, "ana", "2027-Q1")
    assert not today.sees_in(engine, "ana", "2027-Q2")
    assert not today.sees_in(engine, "ana", "not-a-period")
    assert sees_in_period(engine, "finance", None, "ana", "2027-Q3")
    assert not sees_in_period(engine, "rep", "ben", "ana", "2027-Q1")
    assert Scope(None).sees_in(engine, "ana", "2027-Q1")


def test_the_api_answers_not_found_for_a_period_the_manager_did_not_manage(store: str) -> None:
    from attain.web.app import create_app

    engine = get_engine(store)
    add_user(engine, SYSTEM, "mia", "mia-pass-123", "manager", "mia")
    token = new_api_token(engine, SYSTEM, "mia", "api")
    client = TestClient(create_app(store, secure_cookies=False))
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/payees/ana/statements/2027-Q1", headers=auth).status_code == 200
    assert client.get("/api/v1/payees/ana/statements/2027-Q3", headers=auth).status_code == 404
    assert client.get("/api/v1/payees/ben/statements/2027-Q1", headers=auth).status_code == 404


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dates(D(2026, 12, 1), D(2027, 12, 31)))
def test_the_hierarchy_over_one_day_is_the_hierarchy_of_that_day(store: str, day: dt.date) -> None:
    """The store is only read: one store serves every example."""
    engine = get_engine(store)
    for person in ("ana", "ben", "max"):
        assert managers_over(engine, person, day, day) == managers_above(engine, person, day)
    for manager in ("mia", "max", "vic"):
        assert reports_over(engine, manager, day, day) == set(team_of(engine, manager, day)) - {
            manager
        }
        # a manager is above a person exactly when the person is under the manager
        for person in {"ana", "ben", "max"} - {manager}:
            assert (manager in managers_above(engine, person, day)) == (
                person in team_of(engine, manager, day)
            )
