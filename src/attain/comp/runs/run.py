"""A calculation run over the store's tables, kept with what it was calculated from."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import duckdb
import ibis
from sqlalchemy import Engine

import attain
from attain.clock import now
from attain.comp.engine import Result, calculate
from attain.comp.errors import PlanError
from attain.comp.runs.inputs import PlanVersion, read_plans, store_assignments, store_tables_read
from attain.comp.runs.record import record_run
from attain.comp.runs.watermark import duckdb_watermark, postgres_watermark
from attain.data.columnar import load_into_duckdb
from attain.data.store import get_engine

Backend = Literal["duckdb", "postgres"]
RUN_STEPS = (
    "reading the plans",
    "loading the data",
    "calculating",
    "collecting credits",
    "storing the run",
)
"""What a run says it is doing, in order (to `progress`)."""
ENGINE_VERSION = f"attain-{attain.__version__}"


@dataclass(frozen=True)
class RunSummary:
    """What a run did: its id, span, size, total, and the seconds each step took."""

    id: str
    span_from: date
    span_to: date
    plans: tuple[str, ...]
    lines: int
    credits: int
    payees: int
    total: Decimal
    seconds: dict[str, float] = field(default_factory=dict)
    result: Result | None = None
    warnings: tuple[str, ...] = ()  # rules and filters that matched nothing (see `run_warnings`)


def new_run_id() -> str:
    """Sortable by time, unique: `r20270131T120000-1a2b3c`."""
    return f"r{now():%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def _missing_tables(engine: Engine, names: list[str]) -> list[str]:
    from attain.data.store import table_names

    present = set(table_names(engine))
    return [n for n in names if n not in present]


def _with_warnings(versions: list[PlanVersion], warnings: tuple[str, ...]) -> list[dict[str, Any]]:
    """Each plan version as the run keeps it, with the warnings about that plan."""
    return [
        {**v.__dict__, "warnings": [w for w in warnings if w.startswith(f"plan {v.id},")]}
        for v in versions
    ]


def calculate_run(
    plans_path: Path,
    start: date,
    end: date,
    *,
    url: str | None = None,
    backend: Backend = "duckdb",
    keep: bool = True,
    progress: Callable[[str, int, int], None] | None = None,
) -> RunSummary:
    """Calculate every plan under `plans_path` over `start`..`end` on the store's data.

    Assignments come from the store's `plan_assignments`. With the DuckDB backend the tables are
    copied into an in-process DuckDB first; with `postgres` the engine runs inside the PostgreSQL
    store itself. The run (credits, lines, traces, plan versions, data watermark, engine version)
    is written to the store in one transaction unless `keep` is false. `progress` hears each of
    `RUN_STEPS` as it begins (step, steps done, steps in all).
    """

    def step(i: int) -> None:
        if progress is not None:
            progress(RUN_STEPS[i], i, len(RUN_STEPS))

    if end < start:
        raise PlanError(f"the span ends ({end}) before it starts ({start})")
    step(0)
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    engine = get_engine(url)
    plans, versions = read_plans(plans_path)
    assignments = store_assignments(engine, {p.id for p in plans})
    tables = store_tables_read(engine, plans)
    missing = _missing_tables(engine, tables)
    if missing:
        raise PlanError(f"the plans read table(s) the store does not have: {', '.join(missing)}")
    seconds["read plans"] = time.perf_counter() - t0

    step(1)
    t0 = time.perf_counter()
    con: ibis.BaseBackend
    if backend == "duckdb":
        raw = duckdb.connect()
        load_into_duckdb(engine, raw, tables)
        watermark = duckdb_watermark(raw, tables)
        con = ibis.duckdb.from_connection(raw)
    else:
        if engine.dialect.name != "postgresql":
            raise PlanError("--backend postgres needs a PostgreSQL store (ATTAIN_DATABASE_URL)")
        u = engine.url
        con = ibis.postgres.connect(
            host=u.host, port=u.port, user=u.username, password=u.password, database=u.database
        )
        with engine.connect() as c, c.connection.dbapi_connection.cursor() as cur:  # type: ignore[union-attr]
            watermark = postgres_watermark(cur, tables)
    seconds["load"] = time.perf_counter() - t0

    step(2)
    t0 = time.perf_counter()
    try:
        result = calculate(con, plans, assignments, start, end)
        seconds["calculate"] = time.perf_counter() - t0
        # The credits and credit ids stay in the backend until asked for; the run keeps them
        # and the summary's result outlives the connection, so fetch them before closing it.
        step(3)
        t0 = time.perf_counter()
        result.materialise()
        seconds["credits"] = time.perf_counter() - t0
    finally:
        con.disconnect()

    run_id = new_run_id()
    total = result.total()
    summary = RunSummary(
        id=run_id,
        span_from=start,
        span_to=end,
        plans=tuple(p.id for p in plans),
        lines=result.line_count,
        credits=result.credit_count,
        payees=result.payee_count(),
        total=total,
        seconds=seconds,
        result=result,
        warnings=result.warnings,
    )
    if keep:
        step(4)
        t0 = time.perf_counter()
        record_run(
            engine,
            {
                "id": run_id,
                "created_at": now(),
                "span_from": start,
                "span_to": end,
                "status": "complete",
                "engine_version": ENGINE_VERSION,
                "plans": json.dumps(_with_warnings(versions, result.warnings)),
                "data_watermark": json.dumps(watermark, sort_keys=True),
                "line_count": summary.lines,
                "credit_count": summary.credits,
                "total": total,
                "seconds": json.dumps({k: round(v, 4) for k, v in seconds.items()}),
            },
            result,
        )
        seconds["store"] = time.perf_counter() - t0
    if progress is not None:
        progress("done", len(RUN_STEPS), len(RUN_STEPS))
    return summary
