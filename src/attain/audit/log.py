"""Appending to the audit log.

Each entry's hash is HMAC-SHA256, with the audit key (`attain.audit.keys`, kept outside the
store), over the previous entry's hash and the entry's own fields in a canonical JSON form; the
entry names its key by id. The head row names the newest entry. Appends lock the head row, so
entries from concurrent writers are chained one after the other, never forked.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from attain.audit.actor import SYSTEM, Actor
from attain.audit.anchor import ANCHORED, committed, expect
from attain.audit.keys import Key, rotate, signing_key
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


def entry_hash(prev_hash: str, fields: dict[str, Any], key: Key | None = None) -> str:
    """What chains an entry to the one before it: HMAC-SHA256 with the audit key (plain SHA-256
    for entries written before the log was keyed)."""
    body = json.dumps(fields, sort_keys=True, default=str, separators=(",", ":"))
    if key is None:
        return hashlib.sha256((prev_hash + body).encode()).hexdigest()
    return key.sign(prev_hash + body)


def _fields(row: Any) -> dict[str, Any]:
    fields = {
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
    if row["key_id"] is not None:
        fields["key_id"] = row["key_id"]
    return fields


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


Sealer = Callable[[Connection, str, Any, Key], "dict[str, Any] | None"]
SEALERS: dict[str, Sealer] = {}
"""By entity: what to add to an entry's `after` as `ledger` (a frozen period's signed ledger)."""


def _append(
    conn: Connection,
    key: Key,
    seq: int,
    prev: str,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str,
    before: Any,
    after: Any,
    reason: str | None,
) -> str:
    row = {
        "seq": seq,
        "at": now(),
        "actor": actor.name,
        "role": actor.role,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "before": _json(before),
        "after": _json(after),
        "reason": reason,
        "key_id": key.id,
    }
    digest = entry_hash(prev, _fields(row), key)
    conn.execute(insert(AuditEntry).values(**row, prev_hash=prev, hash=digest))
    conn.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=seq, hash=digest))
    return digest


def _unkeyed(conn: Connection, seq: int) -> bool:
    if seq == 0:
        return False
    kid = conn.execute(select(AuditEntry.key_id).where(AuditEntry.seq == seq)).first()
    return kid is not None and kid[0] is None


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
    """Append one signed entry inside the caller's transaction; returns its sequence number.

    A log written before entries were signed is first closed by an `audit.keyed` entry that
    names its last entry and hash, signed: from then on those entries cannot change either."""
    key = signing_key()
    seq, prev = _lock_head(conn)
    if _unkeyed(conn, seq):
        seq += 1
        prev = _append(
            conn,
            key,
            seq,
            prev,
            SYSTEM,
            "audit.keyed",
            "audit",
            "log",
            None,
            {"entries": seq - 1, "head": prev},
            "entries before this were not signed",
        )
    sealer = SEALERS.get(entity)
    sealed = sealer(conn, entity_id, after, key) if sealer is not None else None
    if sealed is not None:
        after = {**after, "ledger": sealed}
    digest = _append(
        conn, key, seq + 1, prev, actor, action, entity, entity_id, before, after, reason
    )
    if action in ANCHORED:
        expect(conn.engine, action, entity_id, seq + 1, digest, after)
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


def checkpoint(engine: Engine, actor: Actor = SYSTEM, *, action: str = "audit.checkpoint") -> int:
    """Sign the log as it is now (an unsigned log gets its `audit.keyed` entry) and write a
    checkpoint of its head outside the store; returns the entry's number."""
    seq = log_change(engine, actor, action, "audit", "log", after={"signed_by": signing_key().id})
    committed(action, "log", seq)
    return seq


def rotate_key(engine: Engine, actor: Actor = SYSTEM) -> tuple[str, str]:
    """A new signing key; the rotation is logged (signed with the new key, naming the old one)
    and checkpointed. Old keys stay in the keyring: entries keep verifying with their key."""
    old, new = rotate()
    log_change(
        engine,
        actor,
        "audit.rotate-key",
        "audit",
        "log",
        before={"key": old.id},
        after={"key": new.id},
    )
    checkpoint(engine, actor)
    return old.id, new.id


def verify_log(engine: Engine) -> tuple[int, list[str]]:
    """(entries checked, problems): `attain.audit.verify.verify_log`, kept here for its callers."""
    from attain.audit.verify import verify_log as check

    return check(engine)
