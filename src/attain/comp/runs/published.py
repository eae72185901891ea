"""Which run people are shown: the published one (the newest complete run with lines in the
ledger), and the newest complete run of all (what a plan's first version is seeded from)."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine, select

from attain.audit.schema import AuditHead
from attain.comp.runs.schema import CompRun

_lock = threading.Lock()


def latest_run(engine: Engine) -> CompRun | None:
    """The newest complete run, published or not (what a plan's first version is seeded from;
    pages show `shown_run`)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(CompRun)
            .where(CompRun.status == "complete")
            .order_by(CompRun.created_at.desc())
            .limit(1)
        ).first()
    return CompRun(**row._mapping) if row is not None else None


_shown: dict[str, tuple[tuple[Any, ...], CompRun | None]] = {}


def shown_run(engine: Engine) -> CompRun | None:
    """The published run: the newest complete run with lines in the ledger. What reps,
    managers and finance see; a run nobody published is never shown.

    Publishing writes the audit log, so the run is looked for again only when the audit log's
    head moved (one indexed read otherwise)."""
    with engine.connect() as conn:
        head = conn.execute(select(AuditHead.seq, AuditHead.hash).limit(1)).first()
        key = tuple(head) if head is not None else ()
        slot = str(engine.url)
        with _lock:
            hit = _shown.get(slot)
        if hit is not None and hit[0] == key:
            return hit[1]
        row = None
        if head is not None:  # nothing was ever published without an audit entry
            from attain.pay.schema import LedgerLine  # the ledger says what was published

            published = select(LedgerLine.run_id).where(LedgerLine.run_id.is_not(None)).distinct()
            row = conn.execute(
                select(CompRun)
                .where(CompRun.status == "complete", CompRun.id.in_(published))
                .order_by(CompRun.created_at.desc())
                .limit(1)
            ).first()
    run = CompRun(**row._mapping) if row is not None else None
    with _lock:
        _shown[slot] = (key, run)
    return run


def forget_published() -> None:
    """Drop the remembered published run (tests and imports that replace the store)."""
    with _lock:
        _shown.clear()
