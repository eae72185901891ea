"""A plan that silently matches nothing is paid as written, and warned about: which rule or
filter, and what the column does hold."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import ibis
import pyarrow as pa
from backends import Backend
from typer.testing import CliRunner

from attain.cli import app
from attain.comp import calculate, load_plans
from attain.comp.cases import Case, arrow_tables, duckdb_backend

Connect = Callable[[dict[str, pa.Table]], ibis.BaseBackend]

DEALS = [
    {"id": f"d{i}", "owner": "ana", "amount": Decimal(100), "stage": s, "type": t,
     "close_date": date(2027, 1, 5 + i)}
    for i, (s, t) in enumerate(
        [("Won", "new"), ("Won", "new"), ("Lost", "renewal"), ("Won", "renewal"),
         ("Engaging", "new"), ("Prospecting", "new"), ("Engaging", "new")]
    )
]  # fmt: skip

PLAN = """
id: ae
currency: USD
period: month
credits:
  - {id: owner, from: deals, where: stage == "won", to: owner, value: amount, date: close_date}
  - {id: any, from: deals, where: 'stage in ("Won", "closed_won")', to: owner, value: amount, date: close_date}
measures:
  logos: {sum: value, where: type == "New"}
  all: {sum: value}
components:
  - {id: c, measure: all, rate: 0.1}
  - {id: logo, measure: logos, rate: 0.1}
"""

EXPECTED = (
    'plan ae, credit rule owner: stage == "won" matches no row; '
    'stage holds "Won", "Engaging", "Lost", "Prospecting"',
    'plan ae, credit rule any, where: stage never holds "closed_won"; '
    'stage holds "Won", "Engaging", "Lost", "Prospecting"',
    'plan ae, measure logos, where: type never holds "New"; type holds "new", "renewal"',
)


def _warnings(backend: Backend, plan: str) -> tuple[str, ...]:
    con = backend.load({"deals": DEALS})
    assignments = [{"payee": "ana", "plan": "ae", "from": date(2027, 1, 1), "to": None}]
    result = calculate(con, load_plans(plan), assignments, date(2027, 1, 1), date(2027, 1, 31))
    return result.warnings


def test_rules_and_filters_matching_nothing_are_warned_about(backend: Backend) -> None:
    assert _warnings(backend, PLAN) == EXPECTED


def test_a_plan_whose_filters_match_has_no_warnings(backend: Backend) -> None:
    fixed = PLAN.replace('"won"', '"Won"').replace(', "closed_won"', "").replace('"New"', '"new"')
    assert _warnings(backend, fixed) == ()


def test_a_rule_over_an_empty_table_is_warned_about() -> None:
    with duckdb_backend() as connect:
        con = connect(arrow_tables(Case("w", "", {"deals": DEALS}, [], [], (), None)))
        con.create_table("orders", con.table("deals").limit(0))
        text = PLAN.replace('from: deals, where: stage == "won",', "from: orders,")
        assignments = [{"payee": "ana", "plan": "ae", "from": date(2027, 1, 1), "to": None}]
        result = calculate(con, load_plans(text), assignments, date(2027, 1, 1), date(2027, 1, 31))
        assert result.warnings[0] == (
            "plan ae, credit rule owner: table orders matches no row; table orders has no rows"
        )


def test_a_run_keeps_its_warnings_and_the_cli_shows_them(sqlite_url: str, tmp_path: Path) -> None:
    from attain.comp.runs import calculate_run, get_run, run_warnings
    from attain.data.schema import Deal, Person, PlanAssignment
    from attain.data.store import get_engine, session

    runner = CliRunner()
    assert runner.invoke(app, ["init", "--db", sqlite_url]).exit_code == 0
    with session(sqlite_url) as s:
        s.add(Person(id="ana", name="Ana"))
        s.add_all(
            Deal(id=d["id"], owner="ana", stage=d["stage"], amount=d["amount"], currency="USD",
                 close_date=d["close_date"])
            for d in DEALS
        )  # fmt: skip
        s.add(PlanAssignment(payee="ana", plan="ae", valid_from=date(2027, 1, 1)))
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "ae.yaml").write_text(PLAN.replace('type == "New"', 'stage != "Lost"'))
    summary = calculate_run(plans, date(2027, 1, 1), date(2027, 1, 31), url=sqlite_url)
    assert summary.warnings == EXPECTED[:2]
    run = get_run(get_engine(sqlite_url), summary.id)
    assert run is not None and run_warnings(run) == list(EXPECTED[:2])
    shown = runner.invoke(
        app,
        ["comp", "run", "--plans", str(plans), "--from", "2027-01-01", "--to", "2027-01-31",
         "--db", sqlite_url, "--dry-run"],
    )  # fmt: skip
    assert shown.exit_code == 0
    assert 'warning: plan ae, credit rule owner: stage == "won" matches no row' in " ".join(
        shown.output.split()
    )


def test_cases_check_prints_a_passing_cases_warnings(tmp_path: Path) -> None:
    case = tmp_path / "won.yaml"
    case.write_text(
        """title: won, written in the wrong case
tables:
  deals:
    - {id: d1, owner: ana, amount: 100, stage: Won, close_date: 2027-01-05}
plans:
  - id: ae
    currency: USD
    period: month
    credits:
      - {id: owner, from: deals, where: stage == "won", to: owner, value: amount, date: close_date}
    measures: {b: {sum: value}}
    components: [{id: c, measure: b, rate: 0.1}]
assignments:
  - {payee: ana, plan: ae, from: 2027-01-01}
expect:
  payouts: []
"""
    )
    result = CliRunner().invoke(app, ["cases", "check", str(case)])
    assert result.exit_code == 0
    assert result.output.split("\n")[:2] == [
        "PASS won",
        '    warning: plan ae, credit rule owner: stage == "won" matches no row; stage holds "Won"',
    ]
