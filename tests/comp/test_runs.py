"""Runs over the store: calculated on the store's tables, kept with traces, read back exactly."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from attain.cli import app
from attain.comp.errors import PlanError
from attain.comp.runs import calculate_run, get_run, run_credits, run_lines
from attain.comp.runs.schema import CompRun, PayoutLine, RunCredit
from attain.data.schema import Deal, FxRate, Person, PlanAssignment, Quota
from attain.data.store import get_engine, session

PLAN = """
id: ae
currency: USD
period: quarter
credits:
  - id: owner
    from: deals
    where: stage == "closed_won"
    to: owner
    value: amount
    currency: currency
    date: close_date
    clawback: {date: cancelled_date, within_days: 90}
measures:
  bookings: {sum: value}
components:
  - id: commission
    measure: bookings
    tier_basis: attainment
    tiers: [{from: 0, rate: 0.08}, {from: 1.0, rate: 0.12}]
  - {id: bonus, amount: 1000, gate: attainment(bookings) >= 1.0}
"""


def _seed(url: str) -> None:
    d = dt.date
    with session(url) as s:
        s.add_all([Person(id="ana", name="Ana"), Person(id="ben", name="Ben")])
        s.add_all(
            [
                Quota(payee=p, measure="bookings", period=q, amount=Decimal("100000"))
                for p in ("ana", "ben")
                for q in ("2027-Q1", "2027-Q2")
            ]
        )
        s.add(FxRate(currency="EUR", month="2027-02", rate=Decimal("1.10")))
        s.add_all(
            [
                Deal(
                    id="d1",
                    owner="ana",
                    stage="closed_won",
                    amount=Decimal("70000"),
                    currency="USD",
                    close_date=d(2027, 1, 14),
                ),
                Deal(
                    id="d2",
                    owner="ana",
                    stage="closed_won",
                    amount=Decimal("50000"),
                    currency="EUR",
                    close_date=d(2027, 2, 10),
                ),
                Deal(
                    id="d3",
                    owner="ben",
                    stage="closed_won",
                    amount=Decimal("40000.10"),
                    currency="USD",
                    close_date=d(2027, 3, 3),
                    cancelled_date=d(2027, 4, 20),
                ),
                Deal(
                    id="d4",
                    owner="ben",
                    stage="closed_lost",
                    amount=Decimal("99999"),
                    currency="USD",
                    close_date=d(2027, 3, 9),
                ),
            ]
        )
        s.add_all(
            [
                PlanAssignment(payee="ana", plan="ae", valid_from=d(2027, 1, 1)),
                PlanAssignment(payee="ben", plan="ae", valid_from=d(2027, 1, 1)),
            ]
        )


EXPECTED = {
    # ana Q1: 70,000 + 50,000 x 1.10 = 125,000: 100,000 x 8% + 25,000 x 12% = 11,000; bonus 1,000
    ("ana", "2027-Q1", "commission"): Decimal("11000.00"),
    ("ana", "2027-Q1", "bonus"): Decimal("1000.00"),
    # ben Q1: 40,000.10 x 8% = 3,200.008 -> 3,200.01; Q2: cancelled within 90 days, clawed back
    ("ben", "2027-Q1", "commission"): Decimal("3200.01"),
    ("ben", "2027-Q2", "commission"): Decimal("-3200.01"),
}


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "ae.yaml").write_text(PLAN)
    return folder


def test_run_pays_the_store_and_keeps_lines_traces_and_credits(store_url: str, plans: Path) -> None:
    _seed(store_url)
    summary = calculate_run(plans, dt.date(2027, 1, 1), dt.date(2027, 6, 30), url=store_url)
    engine = get_engine(store_url)
    lines = run_lines(engine, summary.id)
    assert {(ln.payee, ln.period, ln.component): ln.amount for ln in lines} == EXPECTED
    assert summary.total == sum(EXPECTED.values())
    run = get_run(engine, summary.id)
    assert run is not None and run.line_count == 4 and run.status == "complete"
    assert run.total == summary.total
    versions = json.loads(run.plans)
    assert versions[0]["id"] == "ae" and "tier_basis: attainment" in versions[0]["text"]
    watermark = json.loads(run.data_watermark)
    assert watermark["deals"]["rows"] == 4 and watermark["quotas"]["rows"] == 4
    ana = next(ln for ln in lines if ln.payee == "ana" and ln.component == "commission")
    assert Decimal(ana.trace["measure_value"]) == Decimal("125000")
    assert Decimal(ana.trace["quota"]) == Decimal("100000")
    assert [Decimal(s["quantity"]) for s in ana.trace["tiers"]] == [100000, 25000]
    credits = run_credits(engine, summary.id, ana.trace["credit_ids"])
    assert sorted(c.source_id for c in credits.values()) == ["d1", "d2"]
    assert sum(c.value for c in credits.values()) == Decimal("125000")


def test_same_lines_pushed_down_into_postgres(postgres_url: str, plans: Path) -> None:
    _seed(postgres_url)
    span = dt.date(2027, 1, 1), dt.date(2027, 6, 30)
    in_duckdb = calculate_run(plans, *span, url=postgres_url, keep=False)
    in_postgres = calculate_run(plans, *span, url=postgres_url, backend="postgres", keep=False)
    assert in_duckdb.result is not None and in_postgres.result is not None
    key = [(ln.payee, ln.period, ln.component, ln.amount) for ln in in_duckdb.result.lines]
    assert key == [
        (ln.payee, ln.period, ln.component, ln.amount) for ln in in_postgres.result.lines
    ]


def test_a_failing_run_writes_nothing(sqlite_url: str, plans: Path) -> None:
    _seed(sqlite_url)
    (plans / "ae.yaml").write_text(PLAN.replace("value: amount", "value: amont"))
    with pytest.raises(PlanError, match="amont"):
        calculate_run(plans, dt.date(2027, 1, 1), dt.date(2027, 6, 30), url=sqlite_url)
    with get_engine(sqlite_url).connect() as conn:
        for table in (CompRun, PayoutLine, RunCredit):
            assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 0


def test_missing_quota_in_the_store_is_a_clear_error(sqlite_url: str, plans: Path) -> None:
    _seed(sqlite_url)
    with pytest.raises(PlanError, match=r"ben.*bookings.*2027-Q3|2027-Q3.*ben"):
        calculate_run(plans, dt.date(2027, 1, 1), dt.date(2027, 9, 30), url=sqlite_url)


def test_cli_run_and_show(sqlite_url: str, plans: Path) -> None:
    _seed(sqlite_url)
    runner = CliRunner()
    out = runner.invoke(
        app,
        [
            "comp",
            "run",
            "--plans",
            str(plans),
            "--from",
            "2027-01-01",
            "--to",
            "2027-06-30",
            "--db",
            sqlite_url,
        ],
    )
    assert out.exit_code == 0, out.output
    assert "11,000.00" in out.output and "4 lines for 2 payees" in out.output
    shown = runner.invoke(app, ["comp", "show", "latest", "--payee", "ana", "--db", sqlite_url])
    assert shown.exit_code == 0, shown.output
    assert "ana 2027-Q1 ae/commission: USD 11,000.00" in shown.output
    assert "quota USD 100,000.00" in shown.output and "tier 2" in shown.output
    assert "deals d2" in shown.output
    assert "gate attainment(bookings) >= 1.0: passed" in shown.output
    bad = runner.invoke(app, ["comp", "show", "nope", "--db", sqlite_url])
    assert bad.exit_code == 2 and "no run 'nope'" in bad.output
