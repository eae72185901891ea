"""Every worked case (../shared/cases/comp and cases/comp) on DuckDB and on PostgreSQL, to the cent."""

from __future__ import annotations

from pathlib import Path

import pytest

from attain.comp import calculate, credit_span, load_plans
from attain.comp.cases import arrow_tables, duckdb_backend, load_case, postgres_backend, run_case
from attain.comp.language.model import Assignment

ROOT = Path(__file__).resolve().parents[2]
SHARED_CASES = ROOT.parent / "shared" / "cases" / "comp"
OWN_CASES = ROOT / "cases" / "comp"


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.yaml")) if folder.is_dir() else ["(none)"]


@pytest.mark.shared
@pytest.mark.parametrize("name", _names(SHARED_CASES))
def test_shared_case_duckdb(name: str, shared_dir: Path) -> None:
    with duckdb_backend() as connect:
        outcome = run_case(load_case(shared_dir / "cases" / "comp" / name), connect)
    assert outcome.passed, "\n".join(outcome.details)


@pytest.mark.shared
@pytest.mark.postgres
@pytest.mark.parametrize("name", _names(SHARED_CASES))
def test_shared_case_postgres(name: str, shared_dir: Path, postgres_server: str) -> None:
    with postgres_backend(postgres_server) as connect:
        outcome = run_case(load_case(shared_dir / "cases" / "comp" / name), connect)
    assert outcome.passed, "\n".join(outcome.details)


@pytest.mark.parametrize("name", _names(OWN_CASES))
def test_own_case_duckdb(name: str) -> None:
    with duckdb_backend() as connect:
        outcome = run_case(load_case(OWN_CASES / name), connect)
    assert outcome.passed, "\n".join(outcome.details)


@pytest.mark.postgres
@pytest.mark.parametrize("name", _names(OWN_CASES))
def test_own_case_postgres(name: str, postgres_server: str) -> None:
    with postgres_backend(postgres_server) as connect:
        outcome = run_case(load_case(OWN_CASES / name), connect)
    assert outcome.passed, "\n".join(outcome.details)


def _payout_cases() -> list[Path]:
    found = [p for folder in (SHARED_CASES, OWN_CASES) for p in sorted(folder.glob("*.yaml"))]
    return [p for p in found if "error" not in p.stem]


@pytest.mark.parametrize("path", _payout_cases(), ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_every_trace_reproduces_its_line(path: Path) -> None:
    """A statement is a rendering of traces: each trace must give back its line's amount."""
    case = load_case(path)
    plans = load_plans(case.plans)
    with duckdb_backend() as connect:
        con = connect(arrow_tables(case))
        span = credit_span(con, plans)
        assert span is not None
        assignments = [Assignment.model_validate(a) for a in case.assignments]
        result = calculate(con, plans, assignments, *span).materialise()  # before closing con
    assert result.lines
    for line in result.lines:
        assert line.trace.reproduce() == line.amount, line
        if line.component != "draw" and line.trace.measure is not None:
            credited = {c.credit_id for c in result.credits}
            assert set(line.trace.credit_ids) <= credited
