"""Appending to the audit log and checking its chain.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's own fields in a
canonical JSON form; the head row names the newest entry. Appends lock the head row, so
entries from concurrent writers are chained one after the other, never forked.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from attain.audit.actor import Actor
from attain.audit.schema import AuditEntry, AuditHead
from attain.clock import now

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    at: datetime
    actor: str
    role: str
    action: str
    entity: str
    entity_id: str
    before: Any
    after: Any
    reason: str | None
    hash: str


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True, default=str)


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """The hash that chains an entry to the one before it."""
    body = json.dumps(fields, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def _fields(row: Any) -> dict[str, Any]:
    return {
        "seq": row["seq"],
        "at": row["at"].isoformat(timespec="microseconds"),
        "actor": row["actor"],
        "role": row["role"],
        "action": row["action"],
        "entity": row["entity"],
        "entity_id": row["entity_id"],
        "before": row["before"],
        "after": row["after"],
        "reason": row["reason"],
    }


def _lock_head(conn: Connection) -> tuple[int, str]:
    query = select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, %(h)s) ON CONFLICT DO NOTHING",
            {"h": GENESIS},
        )
        row = conn.execute(query.with_for_update()).one()
    else:
        # A write first: SQLite takes the store's write lock here, so the read below stays true.
        conn.exec_driver_sql(
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, ?) ON CONFLICT DO NOTHING",
            (GENESIS,),
        )
        row = conn.execute(query).one()
    return int(row.seq), str(row.hash)


def record(
    conn: Connection,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str,
    *,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
) -> int:
    """Append one entry inside the caller's transaction; returns its sequence number."""
    seq, prev = _lock_head(conn)
    row = {
        "seq": seq + 1,
        "at": now(),
        "actor": actor.name,
        "role": actor.role,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "before": _json(before),
        "after": _json(after),
        "reason": reason,
    }
    digest = entry_hash(prev, _fields(row))
    conn.execute(insert(AuditEntry).values(**row, prev_hash=prev, hash=digest))
    conn.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=seq + 1, hash=digest))
    return seq + 1


def log_change(
    engine: Engine,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str,
    *,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
) -> int:
    """Record a change made outside a lifecycle action (a plan version, an assignment), on its own."""
    with engine.begin() as conn:
        return record(
            conn, actor, action, entity, entity_id, before=before, after=after, reason=reason
        )


def entries(
    engine: Engine, entity: str | None = None, entity_id: str | None = None, limit: int = 200
) -> list[AuditRecord]:
    """The newest entries first, optionally of one entity."""
    query = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return [
        AuditRecord(
            r["seq"],
            r["at"],
            r["actor"],
            r["role"],
            r["action"],
            r["entity"],
            r["entity_id"],
            None if r["before"] is None else json.loads(r["before"]),
            None if r["after"] is None else json.loads(r["after"]),
            r["reason"],
            r["hash"],
        )
        for r in rows
    ]


def verify_log(engine: Engine) -> tuple[int, list[str]]:
    """Walk the chain from the first entry: (entries checked, problems); no problems = intact."""
    problems: list[str] = []
    prev = GENESIS
    expected = 1
    count = 0
    with engine.connect() as conn:
        head = conn.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).first()
        result = conn.execute(select(AuditEntry).order_by(AuditEntry.seq)).mappings()
        for row in result:
            count += 1
            if row["seq"] != expected:
                problems.append(f"entries {expected}..{row['seq'] - 1} are missing (deleted)")
            if row["prev_hash"] != prev:
                problems.append(f"entry {row['seq']}: does not follow the entry before it")
            if entry_hash(row["prev_hash"], _fields(row)) != row["hash"]:
                problems.append(f"entry {row['seq']}: its content was altered (hash mismatch)")
            prev = row["hash"]
            expected = row["seq"] + 1
    head_seq, head_hash = (0, GENESIS) if head is None else (int(head.seq), str(head.hash))
    if head_seq != expected - 1 or head_hash != prev:
        problems.append(
            f"the log ends at entry {expected - 1} but its head names entry {head_seq}"
            " (entries at the end were deleted, or the head was altered)"
        )
    return count, problems
