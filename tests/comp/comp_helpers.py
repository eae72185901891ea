"""Helpers for the comp tests: a small company's tables and a plan to vary."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import ibis

from attain.comp import Result
from attain.comp.cases import Case, arrow_tables

D = Decimal

TABLES: dict[str, list[dict[str, Any]]] = {
    "people": [
        {"id": "mia", "role": "Manager"},
        {"id": "ana", "role": "AE", "manager": "mia"},
        {"id": "ben", "role": "AE", "manager": "mia"},
    ],
    "quotas": [
        {"payee": "ana", "measure": "bookings", "period": "2027-Q1", "amount": D(100000)},
    ],
    "fx_rates": [{"currency": "EUR", "month": "2027-01", "rate": D("1.10")}],
    "deals": [
        {"id": "d1", "owner": "ana", "amount": D(70000), "currency": "USD", "stage": "closed_won",
         "close_date": date(2027, 1, 14), "type": "new"},
        {"id": "d2", "owner": "ben", "amount": D(40000), "currency": "EUR", "stage": "closed_won",
         "close_date": date(2027, 2, 10), "type": "renewal"},
    ],
}  # fmt: skip


def load_tables(con: ibis.BaseBackend, tables: dict[str, list[dict[str, Any]]]) -> None:
    case = Case("t", "", tables, [], [], (), None)
    for name, table in arrow_tables(case).items():
        con.create_table(name, table, overwrite=True)


PLAN = """
id: ae
currency: USD
period: quarter
credits:
  - {id: owner, from: deals, where: 'stage == "closed_won"', to: owner, value: amount, date: close_date}
measures:
  bookings: {sum: value}
components:
  - {id: commission, measure: bookings, rate: 0.10}
"""


def plan_text(**replace: str) -> str:
    """PLAN with some text replaced: plan_text(**{"value: amount": "value: amont"})."""
    text = PLAN
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


Run = Callable[..., Result]
