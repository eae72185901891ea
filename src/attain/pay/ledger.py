"""The ledger of what is payable, fed from runs.

Publishing a run replaces the lines of its periods that are still open (or prepared: those go
back to open, their numbers changed). A period that is approved or closed keeps its lines: any
difference the run finds there is paid as a `true_up` line in the first open period after it,
linked to the line it corrects. Manual adjustments are never touched by a publish.

A run is published once: the check is made in the publishing transaction, after the periods
are locked, so two publishes of one run at once (a double click) have one winner.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, exc, insert, select, update

from attain.actions.core import audit, user_action
from attain.audit.actor import Actor
from attain.audit.schema import AuditEntry
from attain.clock import now
from attain.comp.engine.periods import periods_between
from attain.comp.runs.schema import CompRun
from attain.pay.actions import action, engine_of, lock_period, require
from attain.pay.changes import last_published, record_changes
from attain.pay.errors import PayError
from attain.pay.holds import held_parts, hold_columns
from attain.pay.periods import next_period
from attain.pay.runs import find_run, recorded_plans, stored_run_lines
from attain.pay.schema import LedgerLine, PayPeriod
from attain.pay.snapshot import has_snapshot, snapshot_run

FROZEN = ("approved", "closed")
REPLACED = ("calculated", "held", "release", "true_up")
Key = tuple[str, str, str]  # payee, plan, component


@dataclass(frozen=True)
class Published:
    run_id: str
    periods: int
    lines: int
    true_ups: int
    true_up_total: Decimal
    reopened: tuple[str, ...]
    verifiable: bool


def _desired(engine: Engine, run_id: str, plans: list[Any]) -> list[dict[str, Any]]:
    """The ledger lines a run asks for: its lines, less what is held, plus releases."""
    lines = stored_run_lines(engine, run_id)
    holds = held_parts(engine, run_id, plans, lines) if has_snapshot(engine, run_id) else {}
    out: list[dict[str, Any]] = []
    for ln in lines:
        base = {
            "payee": ln.payee,
            "plan": ln.plan,
            "component": ln.component,
            "run_id": run_id,
            "for_period": ln.period,
        }
        out.append({**base, "period": ln.period, "kind": "calculated", "amount": ln.amount})
        for part in holds.get((ln.plan, ln.payee, ln.period, ln.component), []):
            note = f"held until {part.until}" if part.until else "held until the date is set"
            out.append(
                {
                    **base,
                    "period": ln.period,
                    "kind": "held",
                    "amount": -part.amount,
                    "comment": note,
                }
            )
            if part.release_period is not None:
                out.append(
                    {
                        **base,
                        "period": part.release_period,
                        "kind": "release",
                        "amount": part.amount,
                        "comment": f"released: date {part.until}",
                    }
                )
    return out


def _lines_in(conn: Connection, periods: list[str], plans: list[str]) -> list[dict[str, Any]]:
    if not periods:
        return []
    return [
        dict(r)
        for r in conn.execute(
            select(LedgerLine).where(LedgerLine.period.in_(periods), LedgerLine.plan.in_(plans))
        ).mappings()
    ]


def _fingerprint(lines: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return sorted(
        (
            x["period"],
            x["payee"],
            x["plan"],
            x["component"],
            x["kind"],
            x["for_period"],
            Decimal(x["amount"]),
        )
        for x in lines
    )


@user_action("ledger.publish", capability="ledger.publish")
def publish_run(url: str | Engine | None, run_id: str, actor: Actor) -> Published:
    """Make a run's numbers payable; closed and approved periods only ever get true-ups."""
    require(actor, "ledger.publish", doing="publish a run")
    engine = engine_of(url)
    run = find_run(engine, run_id)
    plans = recorded_plans(run)
    plan_ids = [p.id for p in plans]
    verifiable = True
    try:
        _keep_inputs(engine, run)
    except PayError:
        verifiable = False
        if hold_columns(plans):
            raise PayError(
                f"run {run.id}: the data changed since it was calculated, and its plans hold pay"
                " on dates in that data: calculate a new run, then publish it"
            ) from None
    desired = _desired(engine, run.id, plans)
    span = {
        p.key for plan in plans for p in periods_between(plan.period, run.span_from, run.span_to)
    }
    touched = sorted(span | {d["period"] for d in desired})
    with action(engine) as conn:
        state = {p: lock_period(conn, p) for p in touched}
        _refuse_older(conn, run, plan_ids, touched)
        _refuse_published(conn, run.id)
        previous = last_published(conn, plan_ids, run)
        if previous is not None:
            record_changes(conn, engine, actor, previous, run)
        frozen = {p for p, s in state.items() if s["status"] in FROZEN}
        open_ = [p for p in touched if p not in frozen]
        # true-ups sitting in open periods that correct a frozen period of this run: recomputed
        # true-ups of this run's periods: recomputed when they sit in an open period
        old_true_ups = [
            dict(r)
            for r in conn.execute(
                select(LedgerLine).where(
                    LedgerLine.kind == "true_up",
                    LedgerLine.plan.in_(plan_ids),
                    LedgerLine.corrects_period.in_(touched),
                )
            ).mappings()
        ]
        for p in sorted({x["period"] for x in old_true_ups} - set(state)):
            state[p] = lock_period(conn, p)
        open_all = sorted(p for p, s in state.items() if s["status"] not in FROZEN)
        before = _fingerprint(_lines_in(conn, open_all, plan_ids))
        conn.execute(
            delete(LedgerLine).where(
                LedgerLine.plan.in_(plan_ids),
                LedgerLine.period.in_(open_),
                LedgerLine.kind.in_(REPLACED),
                LedgerLine.for_period.in_(touched),
            )
        )
        conn.execute(
            delete(LedgerLine).where(
                LedgerLine.plan.in_(plan_ids),
                LedgerLine.kind == "true_up",
                LedgerLine.period.in_(open_all),
                LedgerLine.corrects_period.in_(touched),
            )
        )
        t = now()
        stamp = {"created_by": actor.name, "created_at": t}
        rows = [{**d, **stamp} for d in desired if d["period"] not in frozen]
        rows += _paid_ahead(old_true_ups, state, run.id, stamp)
        true_ups = _true_ups(conn, desired, sorted(frozen), plan_ids, state, run.id, stamp)
        rows += true_ups
        if rows:
            blank = dict.fromkeys(("comment", "corrects_period", "corrects_line", "reason_code"))
            conn.execute(insert(LedgerLine), [{**blank, **r} for r in rows])
        after = _fingerprint(_lines_in(conn, sorted(state), plan_ids))
        after_open = [x for x in after if x[0] in open_all]
        changed = {x[0] for x in set(before) ^ set(after_open)}
        changed |= {t["period"] for t in true_ups if t["period"] not in open_all}
        reopened = []
        for p in sorted(changed):
            row = state[p]
            values: dict[str, Any] = {"version": row["version"] + 1}
            if row["status"] == "prepared":
                values.update(status="open", cycle=row["cycle"] + 1, prepared_by=None)
                reopened.append(p)
            conn.execute(update(PayPeriod).where(PayPeriod.period == p).values(**values))
        total = sum((Decimal(r["amount"]) for r in true_ups), Decimal(0))
        audit(
            conn,
            actor,
            "ledger.publish",
            "run",
            run.id,
            after={
                "span": [run.span_from, run.span_to],
                "plans": [p["sha256"] for p in _plans_json(run)],
                "periods": touched,
                "frozen": sorted(frozen),
                "changed": sorted(changed),
                "back_to_open": reopened,
                "true_ups": len(true_ups),
                "true_up_total": total,
                "verifiable": verifiable,
                "data_watermark": json.loads(run.data_watermark),
            },
        )
    return Published(
        run.id, len(touched), len(rows), len(true_ups), total, tuple(reopened), verifiable
    )


def _keep_inputs(engine: Engine, run: CompRun) -> None:
    """Keep the run's inputs once: a publish of the same run at the same moment may have kept
    them first (its rows win; they are the same copy)."""
    try:
        snapshot_run(engine, run)
    except exc.IntegrityError:
        if not has_snapshot(engine, run.id):
            raise


def _refuse_published(conn: Connection, run_id: str) -> None:
    """A run is published once; publishing it again would only repeat what it paid."""
    done = conn.execute(
        select(AuditEntry.seq)
        .where(
            AuditEntry.action == "ledger.publish",
            AuditEntry.entity == "run",
            AuditEntry.entity_id == run_id,
        )
        .limit(1)
    ).first()
    if done is not None:
        raise PayError(f"run {run_id} is already published: calculate a new run to publish again")


def _refuse_older(conn: Connection, run: Any, plan_ids: list[str], periods: list[str]) -> None:
    """Publishing a run older than one already published would bring back stale numbers."""
    newer = conn.execute(
        select(CompRun.id)
        .where(
            CompRun.id.in_(
                select(LedgerLine.run_id)
                .where(LedgerLine.plan.in_(plan_ids), LedgerLine.period.in_(periods))
                .distinct()
            ),
            CompRun.created_at > run.created_at,
        )
        .limit(1)
    ).scalar()
    if newer is not None:
        raise PayError(
            f"run {newer} is newer than run {run.id} and already published: publish a new run"
        )


def _paid_ahead(
    old_true_ups: list[dict[str, Any]],
    state: dict[str, dict[str, Any]],
    run_id: str,
    stamp: dict[str, Any],
) -> list[dict[str, Any]]:
    """An open period whose earlier true-ups were already paid elsewhere pays that much less."""
    ahead: dict[tuple[str, Key], Decimal] = defaultdict(Decimal)
    for x in old_true_ups:
        p = x["corrects_period"]
        if state[x["period"]]["status"] in FROZEN and state.get(p, {}).get("status") not in FROZEN:
            ahead[(p, (x["payee"], x["plan"], x["component"]))] += Decimal(x["amount"])
    return [
        {
            "period": p,
            "payee": payee,
            "plan": plan,
            "component": component,
            "kind": "true_up",
            "amount": -amount,
            "run_id": run_id,
            "for_period": p,
            "corrects_period": p,
            "comment": "already paid as a true-up in a later period",
            **stamp,
        }
        for (p, (payee, plan, component)), amount in sorted(ahead.items())
        if amount != 0
    ]


def _plans_json(run: Any) -> list[dict[str, Any]]:
    return list(json.loads(run.plans))


def _true_ups(
    conn: Connection,
    desired: list[dict[str, Any]],
    frozen: list[str],
    plan_ids: list[str],
    state: dict[str, dict[str, Any]],
    run_id: str,
    stamp: dict[str, Any],
) -> list[dict[str, Any]]:
    """For each frozen period: what the run says it should pay, less what it paid (and was trued up)."""
    if not frozen:
        return []
    want: dict[tuple[str, Key], Decimal] = defaultdict(Decimal)
    for d in desired:
        if d["period"] in frozen:
            want[(d["period"], (d["payee"], d["plan"], d["component"]))] += Decimal(d["amount"])
    paid: dict[tuple[str, Key], Decimal] = defaultdict(Decimal)
    line_of: dict[tuple[str, Key], int] = {}
    for x in _lines_in(conn, frozen, plan_ids):
        key = (x["payee"], x["plan"], x["component"])
        if x["kind"] in ("true_up", "manual"):
            continue
        paid[(x["period"], key)] += Decimal(x["amount"])
        if x["kind"] == "calculated" or (x["period"], key) not in line_of:
            line_of[(x["period"], key)] = x["id"]
    for tu in (
        conn.execute(
            select(LedgerLine).where(
                and_(
                    LedgerLine.kind == "true_up",
                    LedgerLine.plan.in_(plan_ids),
                    LedgerLine.corrects_period.in_(frozen),
                )
            )
        )
        .mappings()
        .all()
    ):
        if tu["period"] not in state:
            state[tu["period"]] = lock_period(conn, tu["period"])
        if state[tu["period"]]["status"] in FROZEN:
            key = (tu["payee"], tu["plan"], tu["component"])
            paid[(tu["corrects_period"], key)] += Decimal(tu["amount"])
    out = []
    targets: dict[str, str] = {}
    for pk in sorted(set(want) | set(paid)):
        diff = want.get(pk, Decimal(0)) - paid.get(pk, Decimal(0))
        if diff == 0:
            continue
        period, (payee, plan, component) = pk
        if period not in targets:
            q = next_period(period)
            while True:
                if q not in state:
                    state[q] = lock_period(conn, q)
                if state[q]["status"] not in FROZEN:
                    break
                q = next_period(q)
            targets[period] = q
        out.append(
            {
                "period": targets[period],
                "payee": payee,
                "plan": plan,
                "component": component,
                "kind": "true_up",
                "amount": diff,
                "run_id": run_id,
                "for_period": period,
                "corrects_period": period,
                "corrects_line": line_of.get(pk),
                **stamp,
            }
        )
    return out


def ledger_lines(
    url: str | Engine | None, *, period: str | None = None, payee: str | None = None
) -> list[LedgerLine]:
    """Ledger lines, optionally of one period and payee, in a stable order."""
    query = select(LedgerLine)
    if period is not None:
        query = query.where(LedgerLine.period == period)
    if payee is not None:
        query = query.where(LedgerLine.payee == payee)
    query = query.order_by(
        LedgerLine.period, LedgerLine.payee, LedgerLine.plan, LedgerLine.component, LedgerLine.id
    )
    with engine_of(url).connect() as conn:
        return [LedgerLine(**r._mapping) for r in conn.execute(query)]
