"""Fixtures for the comp tests: the engine's backends (ibis style), a small company on each,
and a runner.

`backend` runs a test once per backend the engine calculates on (DuckDB, PostgreSQL). A test
that a backend cannot pass yet says so with `@pytest.mark.notyet("postgres", reason=...)`: it
still runs there, as a strict xfail whose reason is printed, so a gap is on the page and a gap
that closes fails until its mark is removed. See docs/testing.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import ibis
import pytest
from backends import BACKENDS, Backend
from comp_helpers import TABLES, Run

from attain.comp import Result, calculate, load_plans

_opened: dict[str, Backend] = {}


@pytest.fixture(scope="session")
def _backends() -> Iterator[dict[str, Backend]]:
    yield _opened
    for b in _opened.values():
        b.close()
    _opened.clear()


@pytest.fixture(params=[BACKENDS[0], pytest.param(BACKENDS[1], marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, _backends: dict[str, Backend]) -> Backend:
    """The test once per engine backend; `notyet` marks turn a known gap into a strict xfail."""
    name = request.param
    for mark in request.node.iter_markers("notyet"):
        if name in mark.args:
            reason = mark.kwargs.get("reason", "")
            request.applymarker(pytest.mark.xfail(strict=True, reason=f"{name}: {reason}"))
    if name not in _backends:
        server = request.getfixturevalue("postgres_server") if name == "postgres" else None
        _backends[name] = Backend(name, server)
    return _backends[name]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A `notyet` mark must name a known backend and say why."""
    for item in items:
        for mark in item.iter_markers("notyet"):
            unknown = [a for a in mark.args if a not in BACKENDS]
            if unknown or not mark.args or not mark.kwargs.get("reason"):
                raise pytest.UsageError(
                    f"{item.nodeid}: notyet needs backends among {BACKENDS} and a reason"
                )


@pytest.fixture
def company(backend: Backend) -> ibis.BaseBackend:
    """TABLES on the backend, shared by the tests that only read it."""
    return backend.load(TABLES)


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
