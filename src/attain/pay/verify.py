"""`attain comp verify`: recalculate a stored run from what it recorded and compare to the cent."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import duckdb
import ibis
from sqlalchemy import Engine

from attain.comp.engine import calculate
from attain.comp.language import Assignment
from attain.comp.runs.run import ENGINE_VERSION
from attain.pay.actions import engine_of
from attain.pay.errors import PayError
from attain.pay.runs import find_run, recorded_plans, stored_run_lines
from attain.pay.snapshot import ASSIGNMENTS, load_snapshot, snapshot_run


@dataclass(frozen=True)
class Verification:
    run_id: str
    lines: int
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def verify_run(url: str | Engine | None, run_id: str) -> Verification:
    """Recalculate run `run_id` from its kept inputs, plan texts and span; list every difference."""
    engine = engine_of(url)
    run = find_run(engine, run_id)
    if run.engine_version != ENGINE_VERSION:
        raise PayError(
            f"run {run.id} was calculated by {run.engine_version}, this is {ENGINE_VERSION}:"
            " verify it with that version"
        )
    plans = recorded_plans(run)
    snapshot_run(engine, run)  # a run never published: kept now, if the data is as it read it
    raw = duckdb.connect()
    try:
        load_snapshot(engine, run.id, raw)
        rows = raw.execute(
            f'SELECT payee, plan, valid_from, valid_to FROM "{ASSIGNMENTS}"'
        ).fetchall()
        assignments = [
            Assignment.model_validate({"payee": p, "plan": pl, "from": f, "to": t})
            for p, pl, f, t in rows
            if pl in {x.id for x in plans}
        ]
        con = ibis.duckdb.from_connection(raw)
        result = calculate(con, plans, assignments, run.span_from, run.span_to)
        fresh = {
            (r["plan"], r["payee"], r["period"], r["component"]): Decimal(r["amount"])
            for r in result.lines_table().to_pylist()
        }
    finally:
        raw.close()
    stored = {
        (ln.plan, ln.payee, ln.period, ln.component): ln.amount
        for ln in stored_run_lines(engine, run.id)
    }
    differences = []
    for key in sorted(set(fresh) | set(stored)):
        a, b = stored.get(key, Decimal(0)), fresh.get(key, Decimal(0))
        if a.quantize(Decimal("0.01")) != b.quantize(Decimal("0.01")):
            plan, payee, period, component = key
            differences.append(
                f"{payee} {period} {plan}/{component}: stored {a:.2f}, recalculated {b:.2f}"
            )
    return Verification(run.id, len(stored), differences)
