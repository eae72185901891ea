"""Submitting a forecast call, by the action, the API and the CLI: who may call for whom, what
is refused in one line, and that each call is one row and one audit entry, in force at once."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner
from web_company import Company

from attain.actions import NotAllowed
from attain.actions.forecast_calls import CallRejected, submit_call
from attain.audit import entries
from attain.audit.actor import Actor
from attain.cli import app
from attain.comp.engine.periods import period_of
from attain.data.asof import calls_as_of
from attain.data.schema import ForecastCall
from attain.data.store import get_engine
from attain.web.deps import today
from cli_users import as_user


def _quarter(shift: int = 0) -> str:
    q = period_of(today(), "quarter")
    for _ in range(abs(shift)):
        q = (
            period_of(q.start - dt.timedelta(days=1), "quarter")
            if shift < 0
            else period_of(q.end + dt.timedelta(days=1), "quarter")
        )
    return q.key


def _calls(company: Company) -> int:
    with get_engine(company.url).connect() as conn:
        return int(conn.execute(select(func.count()).select_from(ForecastCall)).scalar_one())


def test_who_may_call_for_whom(company: Company) -> None:
    engine = get_engine(company.url)
    period = _quarter()
    rep, manager = Actor(company.rep, "rep"), Actor(company.manager, "manager")
    before = _calls(company)
    submit_call(engine, rep, company.rep, period, "commit", Decimal("1000.005"), "usd")
    submit_call(engine, manager, company.manager, period, "best_case", Decimal(5000), "USD")
    submit_call(
        engine, Actor("admin", "admin"), company.other_rep, period, "commit", Decimal(7), "USD"
    )
    with pytest.raises(NotAllowed):
        submit_call(engine, rep, company.other_rep, period, "commit", Decimal(1), "USD")
    with pytest.raises(NotAllowed):  # a manager calls their own roll-up, not a rep's
        submit_call(engine, manager, company.rep, period, "commit", Decimal(1), "USD")
    with pytest.raises(NotAllowed):  # finance reads forecasts, never calls
        submit_call(
            engine, Actor("fin", "finance"), company.rep, period, "commit", Decimal(1), "USD"
        )
    assert _calls(company) == before + 3
    in_force = calls_as_of(engine, today(), period).set_index(["payee", "category"])
    assert in_force.loc[(company.rep, "commit"), "amount"] == Decimal("1000.01")
    assert in_force.loc[(company.rep, "commit"), "submitted_by"] == company.rep
    assert pd.isna(in_force.loc[(company.other_rep, "commit"), "submitted_by"])
    logged = [e for e in entries(engine, limit=10) if e.action == "forecast.call"]
    assert [(e.actor, e.entity_id) for e in logged][:3] == [
        ("admin", f"{company.other_rep}/{period}/commit"),
        (company.manager, f"{company.manager}/{period}/best_case"),
        (company.rep, f"{company.rep}/{period}/commit"),
    ]


@pytest.mark.parametrize(
    ("period", "category", "amount", "currency", "says"),
    [
        (_quarter(-1), "commit", "1", "USD", "is over"),
        ("2026-Q7", "commit", "1", "USD", "period"),
        (_quarter(), "pipeline", "1", "USD", "category"),
        (_quarter(), "commit", "-5", "USD", "negative"),
        (_quarter(), "commit", "1000000000000", "USD", "too large"),
        (_quarter(), "commit", "NaN", "USD", "not a finite amount"),
        (_quarter(), "commit", "1", "US", "currency"),
    ],
)
def test_a_bad_call_is_refused_and_nothing_is_written(
    shared_company: Company, period: str, category: str, amount: str, currency: str, says: str
) -> None:
    before = _calls(shared_company)
    with pytest.raises(CallRejected, match=says):
        submit_call(
            get_engine(shared_company.url),
            Actor(shared_company.rep, "rep"),
            shared_company.rep,
            period,
            category,
            Decimal(amount),
            currency,
        )
    assert _calls(shared_company) == before


def test_the_api_call_is_in_force(client: TestClient, company: Company) -> None:
    """(The forecast page showing a new call at once is tests/e2e/test_forecast_pages.py's.)"""
    token = {"Authorization": f"Bearer {company.tokens['manager']}"}
    period = _quarter()
    body = {"period": period, "category": "commit", "amount": "250000.50"}
    r = client.post("/api/v1/forecast/calls", json=body, headers=token)
    assert r.status_code == 201, r.text
    assert r.json()["amount"] == "250000.50" and r.json()["payee"] == company.manager
    in_force = calls_as_of(get_engine(company.url), today(), period)
    in_force = in_force.set_index(["payee", "category"])
    assert in_force.loc[(company.manager, "commit"), "amount"] == Decimal("250000.50")
    bad = client.post("/api/v1/forecast/calls", json={**body, "amount": "-1"}, headers=token)
    assert bad.status_code == 422 and "amount" in bad.json()["detail"]
    other = {**body, "payee": company.other_rep}
    assert client.post("/api/v1/forecast/calls", json=other, headers=token).status_code == 404


def test_the_cli_submits_a_call(company: Company) -> None:
    env = {**os.environ, "COLUMNS": "200", **as_user(company.url, "cli-rep", "rep", company.rep)}
    runner = CliRunner()
    period = _quarter()
    args = ["forecast", "call", "--db", company.url, "--period", period]
    done = runner.invoke(app, [*args, "--commit", "1,000", "--best-case", "2500.5"], env=env)
    assert done.exit_code == 0, done.output
    assert f"{company.rep} {period} commit: USD 1,000.00" in done.output
    assert "best_case: USD 2,500.50" in done.output
    before = _calls(company)
    bad = runner.invoke(app, [*args, "--commit", "lots"], env=env)
    assert bad.exit_code == 2 and "--commit: 'lots' is not an amount" in bad.output
    other = runner.invoke(app, [*args, "--commit", "5", "--for", company.other_rep], env=env)
    assert other.exit_code == 2 and "for themselves only" in other.output
    assert _calls(company) == before
