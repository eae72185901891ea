"""Fixtures for the comp tests: a small company on one DuckDB connection, and a runner."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import ibis
import pytest
from comp_helpers import TABLES, Run, load_tables

from attain.comp import Result, calculate, load_plans


@pytest.fixture(scope="session")
def company() -> Iterator[ibis.BaseBackend]:
    """One DuckDB connection holding TABLES, shared by the tests that only read it."""
    con = ibis.duckdb.connect()
    load_tables(con, TABLES)
    yield con
    con.disconnect()


@pytest.fixture
def run(company: ibis.BaseBackend) -> Run:
    """Calculate plan text over `company` for Q1 2027, everyone assigned from 2027-01-01."""

    def go(text: str, payees: tuple[str, ...] = ("ana", "ben"), con: Any = None) -> Result:
        plans = load_plans(text)
        assignments = [
            {"payee": p, "plan": plan.id, "from": date(2027, 1, 1), "to": None}
            for plan in plans
            for p in payees
        ]
        return calculate(con or company, plans, assignments, date(2027, 1, 1), date(2027, 3, 31))

    return go
