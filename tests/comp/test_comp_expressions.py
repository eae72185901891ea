"""The expression language end to end: each construct compiled to Ibis, same on both backends."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import ibis
import pytest
from backends import Backend

from attain.comp import calculate, load_plans
from attain.comp.language import parse_expression

DEALS = [
    {"id": "d1", "owner": "ana", "amount": Decimal("1000.50"), "stage": "won", "type": "new",
     "close_date": date(2027, 1, 10), "cancelled_date": date(2027, 1, 25)},
    {"id": "d2", "owner": "ana", "amount": Decimal("-200.25"), "stage": "won", "type": None,
     "close_date": date(2027, 1, 11), "cancelled_date": None},
    {"id": "d3", "owner": "ana", "amount": Decimal("300"), "stage": "lost", "type": "renewal",
     "close_date": date(2027, 1, 12), "cancelled_date": None},
]  # fmt: skip

# expression over a deal -> the value each deal is credited with (None: not credited)
VALUES = [
    ("amount * 2 - 1", ["2000.00", "-401.50", "599.00"]),
    ("abs(amount)", ["1000.50", "200.25", "300"]),
    ("min(amount, 500) + max(amount, 0)", ["1500.50", "-200.25", "600"]),
    ('if(type == "new", amount, 0)', ["1000.50", "0", "0"]),
    ("if(type is null, 1, 2)", ["2", "1", "2"]),
    ("round(amount / 3, 2)", ["333.50", "-66.75", "100.00"]),
    ("round(amount * 0.001, 1)", ["1.0", "-0.2", "0.3"]),
    ("days(cancelled_date - close_date)", ["15", None, None]),
    ("-amount", ["-1000.50", "200.25", "-300"]),
]
WHERES = [
    ('stage == "won"', ["d1", "d2"]),
    ('stage in ("won", "lost") and not type in ("new")', ["d3"]),
    ('type not in ("new")', ["d3"]),
    ("cancelled_date is not null or amount < 0", ["d1", "d2"]),
    ("days(cancelled_date - close_date) <= 30", ["d1"]),
    ("close_date >= close_date and amount >= 300 and amount != 1000.5", ["d3"]),
]


@pytest.fixture
def con(backend: Backend) -> ibis.BaseBackend:
    return backend.load({"deals": DEALS})


def _credits(con: ibis.BaseBackend, value: str, where: str | None = None) -> dict[str, Decimal]:
    w = f", where: '{where}'" if where else ""
    text = f"""
id: p
currency: USD
period: month
credits:
  - {{id: r, from: deals, to: owner, value: '{value}', date: close_date{w}}}
measures:
  m: {{sum: value}}
components:
  - {{id: c, measure: m, rate: 1}}
"""
    assignments = [{"payee": "ana", "plan": "p", "from": date(2027, 1, 1), "to": None}]
    result = calculate(con, load_plans(text), assignments, date(2027, 1, 1), date(2027, 1, 31))
    return {c.source_id or "": c.value for c in result.credits}


@pytest.mark.parametrize(("expression", "expected"), VALUES)
def test_value_expressions(
    con: ibis.BaseBackend, expression: str, expected: list[str | None]
) -> None:
    got = _credits(con, f"if({expression} is null, -999, {expression})")
    want = {
        f"d{i + 1}": Decimal(v) if v is not None else Decimal(-999) for i, v in enumerate(expected)
    }
    assert got == want


@pytest.mark.parametrize(("where", "ids"), WHERES)
def test_where_expressions(con: ibis.BaseBackend, where: str, ids: list[str]) -> None:
    assert sorted(_credits(con, "amount", where)) == ids


def test_positions_are_kept() -> None:
    node = parse_expression('stage == "won" and amount > 10', "t")
    assert (node.col, node.end_col) == (1, 31)
    assert (node.right.col, node.right.end_col) == (20, 31)  # type: ignore[attr-defined]
