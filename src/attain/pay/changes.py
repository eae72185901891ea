"""What changed in a run's inputs since the last published run: plans, assignments and quotas.

However a change arrived (an import, the web app, SQL), the next publish compares the two runs'
kept inputs and writes each difference to the audit log, before and after, so the log explains
why pay moved.
"""

from __future__ import annotations

import json
from typing import Any

import duckdb
from sqlalchemy import Connection, Engine, select

from attain.actions.core import audit
from attain.audit.actor import Actor
from attain.comp.runs.schema import CompRun
from attain.pay.schema import LedgerLine, RunInput
from attain.pay.snapshot import has_snapshot, load_snapshot

SHOWN = 200
"""Rows of a table's difference kept in one audit entry (the count is always exact)."""

TABLES = {"plan_assignments": "assignments", "quotas": "quotas"}


def last_published(conn: Connection, plan_ids: list[str], run: CompRun) -> CompRun | None:
    """The newest run already in the ledger for these plans, other than `run`."""
    row = conn.execute(
        select(CompRun)
        .where(
            CompRun.id.in_(
                select(LedgerLine.run_id).where(LedgerLine.plan.in_(plan_ids)).distinct()
            ),
            CompRun.id != run.id,
        )
        .order_by(CompRun.created_at.desc())
        .limit(1)
    ).first()
    return None if row is None else CompRun(**row._mapping)


def _rows(engine: Engine, run_id: str, table: str) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        kept = conn.execute(
            select(RunInput.run_id).where(RunInput.run_id == run_id, RunInput.table_name == table)
        ).first()
    if kept is None:
        return []
    con = duckdb.connect()
    try:
        load_snapshot(engine, run_id, con, {table})
        cur = con.execute(f'SELECT * FROM "{table}"')
        names = [d[0] for d in cur.description or []]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()


def _key(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True, default=str)


def record_changes(
    conn: Connection, engine: Engine, actor: Actor, previous: CompRun, run: CompRun
) -> int:
    """Audit entries for every plan, assignment and quota that differs; returns how many."""
    written = 0
    before_plans = {p["id"]: p for p in json.loads(previous.plans)}
    for p in json.loads(run.plans):
        old = before_plans.get(p["id"])
        if old is None or old["sha256"] != p["sha256"]:
            audit(
                conn,
                actor,
                "plan.change",
                "plan",
                p["id"],
                before=None if old is None else {"sha256": old["sha256"], "text": old["text"]},
                after={"sha256": p["sha256"], "text": p["text"], "run": run.id},
            )
            written += 1
    if not (has_snapshot(engine, previous.id) and has_snapshot(engine, run.id)):
        return written
    for table, name in TABLES.items():
        old_rows = {_key(r): r for r in _rows(engine, previous.id, table)}
        new_rows = {_key(r): r for r in _rows(engine, run.id, table)}
        removed = [old_rows[k] for k in sorted(set(old_rows) - set(new_rows))]
        added = [new_rows[k] for k in sorted(set(new_rows) - set(old_rows))]
        if removed or added:
            audit(
                conn,
                actor,
                f"{name}.change",
                name,
                run.id,
                before={"rows": removed[:SHOWN], "count": len(removed), "run": previous.id},
                after={"rows": added[:SHOWN], "count": len(added), "run": run.id},
            )
            written += 1
    return written
