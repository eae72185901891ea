"""Where each run stands with the ledger: published, superseded, or a draft nobody published.

A run is published while the ledger holds its lines; it is superseded once a later publish
replaced all of them; a draft was never published. Publishing is offered for a draft newer than
every published run: publishing an older one would silently put back figures already replaced.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace

from sqlalchemy import Connection, Engine, func, select

from attain.audit.schema import AuditEntry
from attain.comp.runs.schema import CompRun
from attain.pay.schema import LedgerLine


@dataclass(frozen=True)
class RunState:
    """`state` is published, superseded, draft or failed; `note` says more in a few words."""

    state: str
    note: str = ""
    publishable: bool = False
    currency: str = ""
    """The plans' payout currency when they share one (a run total in several is no amount)."""


_CURRENCY = re.compile(r"^currency:\s*([A-Z]{3})\b", re.M)


def plan_currencies(conn: Connection) -> dict[str, str]:
    """Each plan's payout currency, as the newest run in the ledger that paid it says."""
    out: dict[str, str] = {}
    in_ledger = select(LedgerLine.run_id).where(LedgerLine.run_id.is_not(None)).distinct()
    query = select(CompRun.plans).where(CompRun.id.in_(in_ledger)).order_by(CompRun.created_at)
    for (plans,) in conn.execute(query):
        for p in json.loads(plans):
            if m := _CURRENCY.search(p["text"]):
                out[p["id"]] = m.group(1)
    return out


def run_currency(run: CompRun) -> str:
    """The currency every plan of the run pays in, or "" when they pay in several."""
    found = {m.group(1) for p in json.loads(run.plans) if (m := _CURRENCY.search(p["text"]))}
    return found.pop() if len(found) == 1 else ""


def run_states(engine: Engine, runs: list[CompRun]) -> dict[str, RunState]:
    """The state of each of `runs` (any order)."""
    with engine.connect() as conn:
        in_ledger = dict(
            conn.execute(
                select(LedgerLine.run_id, func.count(func.distinct(LedgerLine.period)))
                .where(LedgerLine.run_id.is_not(None))
                .group_by(LedgerLine.run_id)
            ).all()
        )
        publishes = [
            run_id
            for (run_id,) in conn.execute(
                select(AuditEntry.entity_id)
                .where(AuditEntry.action == "ledger.publish", AuditEntry.entity == "run")
                .order_by(AuditEntry.seq)
            )
        ]
        newest = None
        if in_ledger:
            newest = conn.execute(
                select(CompRun.id, CompRun.created_at)
                .where(CompRun.id.in_(list(in_ledger)))
                .order_by(CompRun.created_at.desc())
                .limit(1)
            ).first()
    out = {}
    for run in runs:
        if run.id in in_ledger:
            n = in_ledger[run.id]
            out[run.id] = RunState("published", f"pays {n} period{'s' if n != 1 else ''}")
        elif run.id in publishes:
            last = max(i for i, r in enumerate(publishes) if r == run.id)
            later = next((r for r in publishes[last + 1 :] if r != run.id), None)
            out[run.id] = RunState("superseded", f"replaced by {later}" if later else "replaced")
        elif run.status != "complete":
            out[run.id] = RunState("failed", run.status)
        elif newest is not None and run.created_at < newest.created_at:
            out[run.id] = RunState("draft", f"older than the published run {newest.id}")
        else:
            out[run.id] = RunState("draft", "not published", publishable=True)
    return {r.id: replace(out[r.id], currency=run_currency(r)) for r in runs}
