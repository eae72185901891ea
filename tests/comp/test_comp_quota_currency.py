"""A quota in another currency: converted at its period's first month, shown in the trace."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date
from decimal import Decimal
from pathlib import Path

import ibis
import pyarrow as pa
import pytest

from attain.comp import calculate
from attain.comp.cases import arrow_tables, duckdb_backend, load_case, postgres_backend
from attain.comp.language import load_plans
from attain.comp.language.model import Assignment

CASE = Path(__file__).resolve().parents[2] / "cases/comp/21-quota-in-euros-month.yaml"
Connect = Callable[[dict[str, pa.Table]], ibis.BaseBackend]


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> Iterator[Connect]:
    ctx: AbstractContextManager[Connect] = (
        duckdb_backend()
        if request.param == "duckdb"
        else postgres_backend(request.getfixturevalue("postgres_server"))
    )
    with ctx as connect:
        yield connect


def _lines(connect: Connect) -> dict[str, object]:
    case = load_case(CASE)
    con = connect(arrow_tables(case))
    assignments = [Assignment.model_validate(a) for a in case.assignments]
    result = calculate(con, load_plans(case.plans), assignments, date(2027, 3, 1), date(2027, 3, 31))
    return {ln.payee: ln for ln in result.lines}


def test_the_trace_keeps_the_quota_as_written_and_its_rate(backend: Connect) -> None:
    lines = _lines(backend)
    ana = lines["ana"].trace  # type: ignore[attr-defined]
    assert ana.quota == Decimal("54185")
    assert (ana.quota_amount, ana.quota_currency) == (Decimal("50000"), "EUR")
    assert (ana.quota_rate, ana.quota_rate_month) == (Decimal("1.0837"), "2027-03")
    assert ana.tiers[1].lower == Decimal("54185")  # tier boundaries are in the plan currency
    assert lines["ana"].trace.reproduce() == lines["ana"].amount  # type: ignore[attr-defined]


def test_a_quota_in_the_plan_currency_shows_no_conversion(backend: Connect) -> None:
    ben = _lines(backend)["ben"].trace  # type: ignore[attr-defined]
    assert ben.quota == Decimal("40000")
    assert (ben.quota_amount, ben.quota_currency, ben.quota_rate) == (None, None, None)


def test_a_quota_in_the_plan_currency_written_out_is_not_converted() -> None:
    case = load_case(CASE)
    case.tables["quotas"][1]["currency"] = "USD"  # ben's quota, now saying USD
    with duckdb_backend() as connect:
        con = connect(arrow_tables(case))
        result = calculate(
            con,
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
