"""Compiled queries are reused only where they are the same query: same plan, periods, schemas."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import ibis
import pyarrow as pa
import pytest

from attain.comp import calculate, load_plans
from attain.comp.engine import prepared

PLAN = """
id: ae
currency: USD
period: month
credits:
  - {id: owner, from: deals, to: owner, value: amount, date: close_date}
measures:
  bookings: {sum: value}
components:
  - {id: commission, measure: bookings, tiers: [{from: 0, rate: 0.05}, {from: 1000, rate: 0.1}]}
"""


def _deals(amounts: list[str], kind: pa.DataType = pa.decimal128(18, 2)) -> pa.Table:
    n = len(amounts)
    return pa.table(
        {
            "id": [f"d{i}" for i in range(n)],
            "owner": ["ana" if i % 2 else "ben" for i in range(n)],
            "amount": pa.array([Decimal(a) for a in amounts], pa.decimal128(18, 2)).cast(kind),
            "close_date": [date(2027, 1, 5 + i) for i in range(n)],
        }
    )


def _pay(con: ibis.BaseBackend, payees: list[str]) -> dict[tuple[str, str], Decimal]:
    assignments = [{"payee": p, "plan": "ae", "from": date(2027, 1, 1), "to": None} for p in payees]
    result = calculate(con, load_plans(PLAN), assignments, date(2027, 1, 1), date(2027, 2, 28))
    return {(r["payee"], r["period"]): r["amount"] for r in result.lines_table().to_pylist()}


@pytest.fixture(autouse=True)
def _fresh() -> None:
    prepared.forget()


def test_a_plan_calculated_again_reuses_its_query_with_this_calls_data() -> None:
    con = ibis.duckdb.connect()
    con.create_table("deals", _deals(["800", "900", "1500"]))
    first = _pay(con, ["ana", "ben"])
    assert first == {("ana", "2027-01"): Decimal("45.00"), ("ben", "2027-01"): Decimal("180.00")}
    compiled = prepared.counts["compiled"]
    con.create_table("deals", _deals(["100", "2000", "100"]), overwrite=True)
    again = _pay(con, ["ana"])  # other data, other payees
    assert again == {("ana", "2027-01"): Decimal("150.00")}
    assert prepared.counts["compiled"] == compiled  # nothing compiled the second time
    assert prepared.counts["reused"] >= 1


def test_a_new_connection_with_the_same_tables_reuses_the_query() -> None:
    one, two = ibis.duckdb.connect(), ibis.duckdb.connect()
    one.create_table("deals", _deals(["800"]))
    two.create_table("deals", _deals(["1200", "40"]))
    assert _pay(one, ["ben"]) == {("ben", "2027-01"): Decimal("40.00")}
    compiled = prepared.counts["compiled"]
    assert _pay(two, ["ana", "ben"]) == {
        ("ben", "2027-01"): Decimal("70.00"),
        ("ana", "2027-01"): Decimal("2.00"),
    }
    assert prepared.counts["compiled"] == compiled


def test_a_table_whose_schema_changed_is_compiled_again() -> None:
    con = ibis.duckdb.connect()
    con.create_table("deals", _deals(["1500.25"]))
    assert _pay(con, ["ben"]) == {("ben", "2027-01"): Decimal("100.03")}
    compiled = prepared.counts["compiled"]
    con.create_table("deals", _deals(["1500.25"], pa.float64()), overwrite=True)
    assert _pay(con, ["ben"]) == {("ben", "2027-01"): Decimal("100.03")}
    assert prepared.counts["compiled"] == compiled + 1


def test_another_span_is_another_query() -> None:
    con = ibis.duckdb.connect()
    con.create_table("deals", _deals(["1500"]))
    _pay(con, ["ben"])
    compiled = prepared.counts["compiled"]
    assignments = [{"payee": "ben", "plan": "ae", "from": date(2027, 1, 1), "to": None}]
    result = calculate(con, load_plans(PLAN), assignments, date(2027, 1, 1), date(2027, 3, 31))
    assert prepared.counts["compiled"] == compiled + 1
    assert [r["period"] for r in result.lines_table().to_pylist()] == ["2027-01"]
