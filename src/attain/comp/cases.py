"""Worked cases: a YAML file of tables, plans, assignments and expected payouts (or errors).

`check_paths` runs every case under the given paths on DuckDB (in memory) or PostgreSQL (a
fresh schema per case, dropped afterwards) and reports PASS/FAIL with the lines that differ.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import ibis
import pyarrow as pa

from attain.comp.engine import calculate, credit_span
from attain.comp.engine.unmatched import warnings_of
from attain.comp.errors import PlanError
from attain.comp.language import load_plans
from attain.comp.language.model import Assignment
from attain.comp.yaml_loader import load_yaml

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"

Line = tuple[str, str, str, Decimal]
MAX_SCALE = 18
"""Decimal places a case's table may hold (DECIMAL(38, 18) at most); more is an error."""  # payee, period, component, amount


@dataclass(frozen=True)
class Case:
    name: str
    title: str
    tables: dict[str, list[dict[str, Any]]]
    plans: list[Any]
    assignments: list[dict[str, Any]]
    expect_lines: tuple[Line, ...] | None
    expect_error: tuple[str, ...] | None


@dataclass(frozen=True)
class Outcome:
    name: str
    passed: bool
    details: tuple[str, ...] = ()


def load_case(path: Path) -> Case:
    """Read one case file; a malformed file is a `PlanError` naming it."""
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise PlanError(f"{path}: a case is a mapping with tables, plans, assignments, expect")
    expect = data.get("expect") or {}
    lines = None
    if "payouts" in expect:
        lines = tuple(
            (str(p["payee"]), str(p["period"]), str(p["component"]), Decimal(str(p["amount"])))
            for p in expect["payouts"] or []
        )
    error = tuple(str(s) for s in expect["error"]) if "error" in expect else None
    if lines is None and error is None:
        raise PlanError(f"{path}: `expect` needs `payouts` or `error`")
    return Case(
        name=path.stem,
        title=str(data.get("title", "")),
        tables=data.get("tables") or {},
        plans=data.get("plans") or [],
        assignments=data.get("assignments") or [],
        expect_lines=lines,
        expect_error=error,
    )


def _arrow_type(values: list[Any]) -> tuple[pa.DataType, list[Any]]:
    """Infer a column's type from its values: Decimal -> DECIMAL, date -> DATE, str -> string."""
    present = [v for v in values if v is not None]
    kinds = {type(v) for v in present}
    if not present:
        return pa.string(), values
    if kinds == {bool}:
        return pa.bool_(), values
    if kinds == {date}:
        return pa.date32(), values
    if kinds <= {date, datetime} and datetime in kinds:
        return pa.timestamp("us"), values
    if kinds == {int}:
        return pa.int64(), values
    if kinds <= {int, Decimal}:
        scale = max(max(0, -Decimal(v).as_tuple().exponent) for v in present)  # type: ignore[operator]
        if scale > MAX_SCALE:
            raise ValueError(f"a number has more than {MAX_SCALE} decimal places")
        return pa.decimal128(38, max(scale, 2)), [None if v is None else Decimal(v) for v in values]
    text = [
        None if v is None else (v.isoformat() if isinstance(v, date) else str(v)) for v in values
    ]
    return pa.string(), text


def arrow_tables(case: Case) -> dict[str, pa.Table]:
    """The case's tables as Arrow; a column missing from some rows is null there."""
    out = {}
    for name, rows in case.tables.items():
        rows = rows or []
        columns: list[str] = []
        for row in rows:
            columns += [c for c in row if c not in columns]
        arrays = {}
        for c in columns:
            try:
                typ, values = _arrow_type([row.get(c) for row in rows])
            except ValueError as exc:
                raise PlanError(f"table {name}, column {c}: {exc}") from None
            arrays[c] = pa.array(values, type=typ)
        out[name] = pa.table(arrays) if columns else pa.table({"id": pa.array([], pa.string())})
    return out


@contextmanager
def duckdb_backend() -> Iterator[Callable[[dict[str, pa.Table]], ibis.BaseBackend]]:
    """A fresh in-memory DuckDB per case."""
    opened: list[ibis.BaseBackend] = []

    def make(tables: dict[str, pa.Table]) -> ibis.BaseBackend:
        con = ibis.duckdb.connect()
        opened.append(con)
        for name, table in tables.items():
            con.create_table(name, table)
        return con

    try:
        yield make
    finally:
        for con in opened:
            con.disconnect()


@contextmanager
def postgres_backend(url: str) -> Iterator[Callable[[dict[str, pa.Table]], ibis.BaseBackend]]:
    """A fresh schema on the server at `url` per case, dropped when the run ends."""
    import psycopg

    parts = urlparse(url)
    params = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": unquote(parts.username or "postgres"),
        "password": unquote(parts.password) if parts.password else None,
        "database": (parts.path or "/").lstrip("/") or "postgres",
    }
    schemas: list[str] = []
    opened: list[ibis.BaseBackend] = []

    def make(tables: dict[str, pa.Table]) -> ibis.BaseBackend:
        schema = f"attain_case_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'CREATE SCHEMA "{schema}"')
        schemas.append(schema)
        con = ibis.postgres.connect(**params, schema=schema)
        opened.append(con)
        for name, table in tables.items():
            con.create_table(name, table, database=schema)
        return con

    try:
        yield make
    finally:
        for con in opened:
            con.disconnect()
        if schemas:
            with psycopg.connect(url, autocommit=True) as admin:
                for schema in schemas:
                    admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def run_case(case: Case, connect: Callable[[dict[str, pa.Table]], ibis.BaseBackend]) -> Outcome:
    """Calculate one case and compare with what it expects, to the cent."""
    got: list[Line] = []
    try:
        plans = load_plans(case.plans)
        assignments = [Assignment.model_validate(a) for a in case.assignments]
        con = connect(arrow_tables(case))
        span = credit_span(con, plans)
        warnings: tuple[str, ...] = ()
        if span is not None:
            result = calculate(con, plans, assignments, span[0], span[1])
            got = [(ln.payee, ln.period, ln.component, ln.amount) for ln in result.lines]
            warnings = result.warnings
        else:  # no credit at all: the plans may say why
            warnings = warnings_of(con, plans)
    except PlanError as exc:
        return _error_outcome(case, str(exc))
    except Exception as exc:
        return _error_outcome(case, f"{type(exc).__name__}: {exc}")
    if case.expect_error is not None:
        return Outcome(
            case.name,
            False,
            (
                f"expected an error containing {list(case.expect_error)}, got {len(got)} lines",
                *tuple(_fmt(line) for line in got),
            ),
        )
    outcome = _compare(case, got)
    notes = tuple(f"warning: {w}" for w in warnings)
    return Outcome(outcome.name, outcome.passed, outcome.details + notes)


def _error_outcome(case: Case, message: str) -> Outcome:
    if case.expect_error is not None:
        missing = [s for s in case.expect_error if s not in message]
        if not missing:
            return Outcome(case.name, True, (message,))
        return Outcome(case.name, False, (f"error lacks {missing}:", *message.splitlines()))
    return Outcome(case.name, False, ("error:", *message.splitlines()))


def _fmt(line: Line | None) -> str:
    if line is None:
        return "(no line)"
    payee, period, component, amount = line
    return f"{payee} {period} {component} {amount:.2f}"


def _compare(case: Case, got: list[Line]) -> Outcome:
    assert case.expect_lines is not None
    want = Counter((p, pe, c, a.quantize(Decimal("0.01"))) for p, pe, c, a in case.expect_lines)
    have = Counter(got)
    if want == have:
        return Outcome(case.name, True)
    details = []
    missing = want - have
    extra = have - want
    keys = sorted({line[:3] for line in missing} | {line[:3] for line in extra})
    for key in keys:
        exp = [line for line in missing if line[:3] == key]
        act = [line for line in extra if line[:3] == key]
        for i in range(max(len(exp), len(act))):
            e = exp[i] if i < len(exp) else None
            a = act[i] if i < len(act) else None
            details.append(f"expected {_fmt(e)}  got {_fmt(a)}")
    return Outcome(case.name, False, tuple(details))


def case_files(paths: Sequence[Path]) -> list[Path]:
    """Every `*.yaml` case under `paths` (files or folders), sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(path.rglob("*.yaml"))
        else:
            files.append(path)
    return files


def check_paths(
    paths: Sequence[Path],
    backend: str = "duckdb",
    postgres_url: str = DEFAULT_POSTGRES_URL,
    report: Callable[[str], None] = print,
) -> tuple[int, int]:
    """Run every case under `paths`; print PASS/FAIL lines and `N passed, M failed`."""
    passed = failed = 0
    ctx = duckdb_backend() if backend == "duckdb" else postgres_backend(postgres_url)
    with ctx as connect:
        for path in case_files(paths):
            try:
                case = load_case(path)
            except PlanError as exc:
                outcome = Outcome(path.stem, False, tuple(str(exc).splitlines()))
            else:
                outcome = run_case(case, connect)
            if outcome.passed:
                passed += 1
                report(f"PASS {outcome.name}")
                for detail in outcome.details:
                    if detail.startswith("warning: "):
                        report(f"    {detail}")
            else:
                failed += 1
                report(f"FAIL {outcome.name}")
                for detail in outcome.details:
                    report(f"    {detail}")
    report(f"{passed} passed, {failed} failed")
    return passed, failed
