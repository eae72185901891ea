"""Plan actions: keep a draft version, publish a version, and seed the store's first versions.

Publishing changes what is paid, so it is checked and written in one transaction with its
audit entry: a version that is no longer the newest draft is refused there, never half-applied.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, func, insert, select, update

from attain.actions.core import audit, require, transaction, user_action
from attain.audit.actor import SYSTEM, Actor
from attain.clock import now
from attain.comp.plan_versions.schema import PlanVersionRecord
from attain.comp.plan_versions.store import (
    PlanRejected,
    check_plan_text,
    ensure_seeded,
    seed_rows,
    sha256,
)


class StalePublish(ValueError):
    """The version asked for is not the plan's newest draft (someone saved or published since)."""


def _newest(conn: Connection, plan: str) -> PlanVersionRecord | None:
    row = conn.execute(
        select(PlanVersionRecord)
        .where(PlanVersionRecord.plan == plan)
        .order_by(PlanVersionRecord.version.desc())
        .limit(1)
    ).first()
    return None if row is None else PlanVersionRecord(**row._mapping)


def _published(conn: Connection, plan: str) -> PlanVersionRecord | None:
    row = conn.execute(
        select(PlanVersionRecord)
        .where(PlanVersionRecord.plan == plan, PlanVersionRecord.status == "published")
        .order_by(PlanVersionRecord.version.desc())
        .limit(1)
    ).first()
    return None if row is None else PlanVersionRecord(**row._mapping)


def _stamp(record: PlanVersionRecord | None) -> dict[str, object] | None:
    return None if record is None else {"version": record.version, "sha256": record.sha256}


@user_action("plan.draft", capability="plans.edit")
def save_draft(
    engine: Engine, actor: Actor, plan: str, text: str, note: str | None = None
) -> PlanVersionRecord:
    """Keep a new draft version; a plan with errors is refused with every error at its line."""
    require(actor, "plans.edit")
    problems = check_plan_text(engine, text, plan)
    if problems:
        raise PlanRejected(problems)
    ensure_seeded(engine)
    with transaction(engine) as conn:
        newest = _newest(conn, plan)
        record = {
            "plan": plan,
            "version": (newest.version if newest else 0) + 1,
            "text": text,
            "sha256": sha256(text),
            "status": "draft",
            "note": note,
            "created_by": actor.name,
            "created_at": now(),
        }
        conn.execute(insert(PlanVersionRecord).values(**record))
        audit(
            conn,
            actor,
            "plan.draft",
            "plan",
            plan,
            before=_stamp(newest),
            after={"version": record["version"], "sha256": record["sha256"]},
            reason=note,
        )
    return PlanVersionRecord(**record)


@user_action("plan.publish", capability="plans.edit")
def publish(engine: Engine, actor: Actor, plan: str, version: int) -> PlanVersionRecord:
    """Publish the newest draft: the next run pays it. Publishing an older published version
    rolls back to it: a new version copying its text is published, so the newest published
    version is always the one in force and the history keeps every step. An unknown version
    is a LookupError; a draft that is not the newest, or the version already in force, is
    refused (StalePublish)."""
    require(actor, "plans.edit")
    with transaction(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("LOCK TABLE plan_versions IN SHARE ROW EXCLUSIVE MODE")
        found = conn.execute(
            select(PlanVersionRecord).where(
                PlanVersionRecord.plan == plan, PlanVersionRecord.version == version
            )
        ).first()
        if found is None:
            raise LookupError(f"no version {version} of plan {plan}")
        record = PlanVersionRecord(**found._mapping)
        newest = _newest(conn, plan)
        assert newest is not None
        before = _published(conn, plan)
        if record.status == "published" and before is not None and before.version != version:
            return _roll_back(conn, actor, record, newest, before)
        if record.status != "draft":
            raise StalePublish(f"version {version} of plan {plan} is already {record.status}")
        if newest.version != version:
            raise StalePublish(
                f"version {version} of plan {plan} is not the newest draft "
                f"(version {newest.version} is): publish that one or save again"
            )
        conn.execute(
            update(PlanVersionRecord)
            .where(PlanVersionRecord.plan == plan, PlanVersionRecord.version == version)
            .values(status="published")
        )
        record.status = "published"
        audit(
            conn, actor, "plan.publish", "plan", plan, before=_stamp(before), after=_stamp(record)
        )
    return record


def _roll_back(
    conn: Connection,
    actor: Actor,
    old: PlanVersionRecord,
    newest: PlanVersionRecord,
    before: PlanVersionRecord,
) -> PlanVersionRecord:
    """Publish a copy of an older published version as the newest version (in the caller's
    transaction): from the next run on, the old rates are paid again."""
    record = {
        "plan": old.plan,
        "version": newest.version + 1,
        "text": old.text,
        "sha256": old.sha256,
        "status": "published",
        "note": f"rolled back to version {old.version}",
        "created_by": actor.name,
        "created_at": now(),
    }
    conn.execute(insert(PlanVersionRecord).values(**record))
    audit(
        conn,
        actor,
        "plan.publish",
        "plan",
        old.plan,
        before=_stamp(before),
        after={"version": record["version"], "sha256": old.sha256, "rolled_back_to": old.version},
        reason=str(record["note"]),
    )
    return PlanVersionRecord(**record)


def seed(engine: Engine) -> int:
    """Keep the plans the latest run paid as their version 1 (attain itself does this, once);
    returns the versions written."""
    run_id, rows = seed_rows(engine)
    if not rows:
        return 0
    with transaction(engine) as conn:
        if conn.execute(select(func.count()).select_from(PlanVersionRecord)).scalar():
            return 0
        conn.execute(insert(PlanVersionRecord), rows)
        audit(
            conn,
            SYSTEM,
            "plan.seed",
            "run",
            str(run_id),
            after={str(r["plan"]): {"version": 1, "sha256": r["sha256"]} for r in rows},
        )
    return len(rows)
