"""Run actions: a comp run asked for and kept, each step in the audit log.

A run takes minutes, so it is not one transaction: `run.start` is recorded when it is asked for
(who, which plans, which span), and `run.complete` when its lines are kept (the run's id, size
and total), or `run.failed` with the reason. A dry run keeps nothing and records nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from attain.actions.core import audit, require, transaction, user_action
from attain.audit.actor import Actor
from attain.comp.runs import RunSummary, calculate_run
from attain.comp.runs.run import Backend
from attain.data.store import get_engine

Progress = Callable[[str, int, int], None]


def _record(db: str | None, actor: Actor, action: str, entity_id: str, **fields: Any) -> None:
    with transaction(get_engine(db)) as conn:
        audit(
            conn,
            actor,
            action,
            "run",
            entity_id,
            after=fields.get("after"),
            reason=fields.get("reason"),
        )


@user_action("run.start", capability="runs.start")
def run(
    db: str | None,
    actor: Actor,
    plans: Path,
    start: dt.date,
    end: dt.date,
    *,
    backend: Backend = "duckdb",
    keep: bool = True,
    progress: Progress | None = None,
) -> RunSummary:
    """Pay the plans under `plans` over `start`..`end` and keep the run (unless `keep` is off)."""
    require(actor, "runs.start")
    asked = {"plans": str(plans.name), "from": start.isoformat(), "to": end.isoformat()}
    if keep:
        _record(db, actor, "run.start", "new", after={**asked, "backend": backend})
    try:
        summary = calculate_run(
            plans,
            start,
            end,
            url=db,
            backend=backend,
            keep=keep,
            progress=progress,
        )
    except Exception as exc:  # recorded as failed, then raised as it was
        if keep:
            _record(db, actor, "run.failed", "new", after=asked, reason=str(exc))
        raise
    if keep:
        _record(
            db,
            actor,
            "run.complete",
            summary.id,
            after={
                **asked,
                "lines": summary.lines,
                "payees": summary.payees,
                "credits": summary.credits,
                "total": str(summary.total),
            },
        )
    return summary
