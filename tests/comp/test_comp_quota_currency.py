"""A quota in another currency: converted at its period's first month, shown in the trace."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import ibis
import pyarrow as pa
import pytest
from backends import Backend

from attain.comp import calculate
from attain.comp.cases import load_case
from attain.comp.language import load_plans
from attain.comp.language.model import Assignment

CASE = Path(__file__).resolve().parents[2] / "cases/comp/21-quota-in-euros-month.yaml"
Connect = Callable[[dict[str, pa.Table]], ibis.BaseBackend]


def _lines(backend: Backend) -> dict[str, object]:
    case = load_case(CASE)
    con = backend.load(case.tables)
    assignments = [Assignment.model_validate(a) for a in case.assignments]
    result = calculate(
        con, load_plans(case.plans), assignments, date(2027, 3, 1), date(2027, 3, 31)
    )
    return {ln.payee: ln for ln in result.lines}


def test_the_trace_keeps_the_quota_as_written_and_its_rate(backend: Backend) -> None:
    lines = _lines(backend)
    ana = lines["ana"].trace  # type: ignore[attr-defined]
    assert ana.quota == Decimal("54185")
    assert (ana.quota_amount, ana.quota_currency) == (Decimal("50000"), "EUR")
    assert (ana.quota_rate, ana.quota_rate_month) == (Decimal("1.0837"), "2027-03")
    assert ana.tiers[1].lower == Decimal("54185")  # tier boundaries are in the plan currency
    assert lines["ana"].trace.reproduce() == lines["ana"].amount  # type: ignore[attr-defined]


def test_a_quota_in_the_plan_currency_shows_no_conversion(backend: Backend) -> None:
    ben = _lines(backend)["ben"].trace  # type: ignore[attr-defined]
    assert ben.quota == Decimal("40000")
    assert (ben.quota_amount, ben.quota_currency, ben.quota_rate) == (None, None, None)


def test_a_quota_in_the_plan_currency_written_out_is_not_converted(backend: Backend) -> None:
    case = load_case(CASE)
    case.tables["quotas"][1]["currency"] = "USD"  # ben's quota, now saying USD
    result = calculate(
        backend.load(case.tables),
        load_plans(case.plans),
        [Assignment.model_validate(a) for a in case.assignments],
        date(2027, 3, 1),
        date(2027, 3, 31),
    )
    (ben,) = [ln for ln in result.lines if ln.payee == "ben"]
    assert (ben.amount, ben.trace.quota, ben.trace.quota_rate) == (
        Decimal("1500.00"),
        Decimal("40000"),
        None,
    )


STORE_PLAN = """
id: ae
currency: USD
period: quarter
credits:
  - {id: owner, from: deals, to: owner, value: amount, currency: currency, date: close_date}
measures:
  bookings: {sum: value}
components:
  - {id: bonus, amount: 1000, gate: attainment(bookings) >= 1.0}
  - {id: commission, measure: bookings, tier_basis: attainment, tiers: [{from: 0, rate: 0.01}]}
"""


@pytest.mark.parametrize("backend_name", ["duckdb", "postgres"])
def test_quotas_imported_with_a_currency_are_converted_in_a_run_over_the_store(
    store_url: str, tmp_path: Path, backend_name: str
) -> None:
    """`attain import quotas` takes a currency column (an ISO code, checked); a run over the
    store converts the quota: 100,000 EUR x 1.10 = 110,000 USD is not reached by 105,000 USD
    (taken as dollars, it would be, and the bonus would pay)."""
    from typer.testing import CliRunner

    from attain.cli import app
    from attain.comp.runs import calculate_run
    from attain.data.schema import Deal, FxRate, Person, PlanAssignment
    from attain.data.store import session

    if backend_name == "postgres" and not store_url.startswith("postgresql"):
        pytest.skip("the PostgreSQL backend runs inside a PostgreSQL store")
    assert CliRunner().invoke(app, ["init", "--db", store_url]).exit_code == 0
    with session(store_url) as s:
        s.add_all([Person(id="ana", name="Ana"), Person(id="ben", name="Ben")])
        s.add(FxRate(currency="EUR", month="2027-01", rate=Decimal("1.10")))
        s.add_all(
            Deal(id=f"d{i}", owner=p, stage="won", amount=Decimal("105000"), currency="USD",
                 close_date=date(2027, 2, 1))
            for i, p in enumerate(("ana", "ben"))
        )  # fmt: skip
        s.add_all(
            PlanAssignment(payee=p, plan="ae", valid_from=date(2027, 1, 1)) for p in ("ana", "ben")
        )
    bad = tmp_path / "bad.csv"
    bad.write_text("payee,measure,period,amount,currency\nana,bookings,2027-Q1,100000,EURO\n")
    refused = CliRunner().invoke(app, ["import", "quotas", str(bad), "--db", store_url])
    assert refused.exit_code == 2 and "bad.csv:2:currency" in refused.output
    good = tmp_path / "quotas.csv"
    good.write_text(
        "payee,measure,period,amount,currency\n"
        "ana,bookings,2027-Q1,100000,eur\n"
        "ben,bookings,2027-Q1,100000,\n"
    )
    imported = CliRunner().invoke(app, ["import", "quotas", str(good), "--db", store_url])
    assert imported.exit_code == 0, imported.output
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "ae.yaml").write_text(STORE_PLAN)
    summary = calculate_run(
        plans, date(2027, 1, 1), date(2027, 3, 31), url=store_url, backend=backend_name,  # type: ignore[arg-type]
    )  # fmt: skip
    assert summary.result is not None
    paid = {(ln.payee, ln.component): ln for ln in summary.result.lines}
    assert set(paid) == {("ana", "commission"), ("ben", "bonus"), ("ben", "commission")}
    assert dict(paid["ben", "bonus"].trace.gate_inputs)["attainment(bookings)"] == Decimal("1.05")
    ana = paid["ana", "commission"].trace  # ana's quota is 110,000 USD: no bonus
    assert (ana.quota, ana.quota_amount, ana.quota_currency) == (110000, 100000, "EUR")
    shown = CliRunner().invoke(app, ["comp", "show", "latest", "--payee", "ana", "--db", store_url])
    assert "quota EUR 100,000.00 x 1.1 (2027-01) = USD 110,000.00" in shown.output
