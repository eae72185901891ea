"""Keeping a run in the store: the run, its credits and its payout lines, in one transaction."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pyarrow as pa
from sqlalchemy import Engine, insert

from attain.comp.engine import LineTrace, Result
from attain.comp.runs.schema import CompRun
from attain.data.bulk import bulk_insert


def _plain(value: Any) -> Any:
    """JSON-ready: Decimal and dates as strings (money stays exact), tuples as lists."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def trace_json(trace: LineTrace) -> str:
    """A trace as JSON, without the fields that do not apply to the line."""
    data = {k: v for k, v in dataclasses.asdict(trace).items() if v not in (None, (), [])}
    return json.dumps(_plain(data), separators=(",", ":"))


def record_run(
    engine: Engine,
    run: dict[str, Any],
    result: Result,
) -> None:
    """Write the run row, its credits and its lines; all of it or (on any error) none of it."""
    credits = result.credits_table()
    credits = credits.append_column("run_id", pa.array([run["id"]] * credits.num_rows, pa.string()))
    lines = result.lines_table()
    lines = lines.append_column("run_id", pa.array([run["id"]] * lines.num_rows, pa.string()))
    lines = lines.append_column("trace", pa.array([trace_json(ln.trace) for ln in result.lines]))
    with engine.begin() as conn:
        conn.execute(insert(CompRun).values(**run))
        bulk_insert(conn, "comp_run_credits", credits)
        bulk_insert(conn, "comp_payout_lines", lines)
