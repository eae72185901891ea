"""Checking the audit log: its signed chain, its head, the checkpoints kept outside the store,
and the store's own guards.

Every way to change the log leaves one of these behind: an edited entry fails its signature,
a deleted one leaves a gap, a reordered one breaks the chain, a chain recomputed without the
key fails every signature, and a log cut short (or emptied) with its head moved back is shorter
than the newest checkpoint says it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select

from attain.audit.anchor import Checkpoint, checkpoint_path, checkpoints
from attain.audit.keys import ENV_KEY, keyring
from attain.audit.log import GENESIS, _fields, entry_hash
from attain.audit.schema import AuditEntry, AuditHead
from attain.audit.triggers import missing_guards


@dataclass
class LogCheck:
    """What `attain audit verify` found: entries walked, problems (none: intact), notes."""

    entries: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    newest: Checkpoint | None = None
    head_seq: int = 0
    head_hash: str = GENESIS


def check_log(engine: Engine) -> LogCheck:
    """Walk the whole log once, then hold it against its head, checkpoints and guards."""
    out = LogCheck()
    keys = keyring()
    marks = checkpoints(engine)
    wanted = {c.seq for c in marks if c.signed}
    seen: dict[int, str] = {}
    unknown_keys: dict[str, int] = {}
    prev, expected, keyed, unkeyed = GENESIS, 1, False, 0
    cols = [c for c in AuditEntry.__table__.columns]
    with engine.connect() as conn:
        head = conn.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).first()
        rows = conn.execution_options(yield_per=5000).execute(
            select(*cols).order_by(AuditEntry.seq)
        )
        for row in rows.mappings():
            seq = row["seq"]
            out.entries += 1
            if seq != expected:
                out.problems.append(f"entries {expected}..{seq - 1} are missing (deleted)")
            if row["prev_hash"] != prev:
                out.problems.append(f"entry {seq}: does not follow the entry before it")
            kid = row["key_id"]
            if kid is None:
                if keyed:
                    out.problems.append(f"entry {seq}: is not signed, unlike the entries before it")
                unkeyed += 1
                if entry_hash(row["prev_hash"], _fields(row)) != row["hash"]:
                    out.problems.append(f"entry {seq}: its content was altered (hash mismatch)")
            else:
                if not keyed and unkeyed:
                    _check_keyed(out, row, unkeyed)
                keyed = True
                key = keys.get(kid)
                if key is None:
                    unknown_keys[kid] = unknown_keys.get(kid, 0) + 1
                elif entry_hash(row["prev_hash"], _fields(row), key) != row["hash"]:
                    out.problems.append(
                        f"entry {seq}: its content was altered (signature mismatch)"
                    )
            if seq in wanted:
                seen[seq] = row["hash"]
            prev = row["hash"]
            expected = seq + 1
    for kid, n in sorted(unknown_keys.items()):
        out.problems.append(
            f"{n} entries are signed with key {kid}, which is not in the keyring:"
            f" set {ENV_KEY} or the keyring to the store's key to verify them"
        )
    if out.entries and not keyed:
        out.problems.append(
            f"entries 1..{expected - 1} are not signed with the audit key:"
            " run `attain audit checkpoint` to sign them as they are"
        )
    out.head_seq, out.head_hash = (0, GENESIS) if head is None else (int(head.seq), str(head.hash))
    if out.head_seq != expected - 1 or out.head_hash != prev:
        out.problems.append(
            f"the log ends at entry {expected - 1} but its head names entry {out.head_seq}"
            " (entries at the end were deleted, or the head was altered)"
        )
    _check_marks(out, engine, marks, seen, expected - 1)
    for guard in missing_guards(engine):
        out.problems.append(f"the store guard {guard} is missing (dropped?)")
    return out


def _check_keyed(out: LogCheck, row: Any, unkeyed: int) -> None:
    """The first signed entry after unsigned ones must be the `audit.keyed` entry naming them."""
    after = json.loads(str(row["after"])) if row["after"] else {}
    if row["action"] != "audit.keyed" or after.get("entries") != unkeyed:
        out.problems.append(
            f"entry {row['seq']}: follows {unkeyed} unsigned entries without signing them"
        )
    elif after.get("head") != row["prev_hash"]:
        out.problems.append(f"entry {row['seq']}: the unsigned entries before it were altered")


def _check_marks(
    out: LogCheck, engine: Engine, marks: list[Checkpoint], seen: dict[int, str], last: int
) -> None:
    signed = [c for c in marks if c.signed]
    for c in marks:
        if not c.signed:
            out.problems.append(
                f"checkpoint line {c.line} is not signed by a known key (the checkpoint file"
                " was edited, or its key is not in the keyring)"
            )
    if not signed:
        if out.entries:
            out.notes.append(
                f"no checkpoint for this store yet ({checkpoint_path(engine)}): a log cut short"
                " cannot be told from a short log until the first close, approval or export"
            )
        return
    newest = max(signed, key=lambda c: c.seq)
    out.newest = newest
    if newest.seq > last:
        cut = "the log is empty" if last == 0 else f"the log ends at entry {last}"
        out.problems.append(
            f"{cut} but the checkpoint of {newest.at} names entry {newest.seq}"
            f" ({newest.fields.get('action', '')} {newest.fields.get('id', '')}):"
            f" entries {last + 1}..{newest.seq} were deleted"
        )
        out.notes.append(f"checkpoints of this store: {checkpoint_path(engine)}")
    for c in sorted(signed, key=lambda c: c.seq):
        if c.seq in seen and seen[c.seq] != c.hash:
            out.problems.append(
                f"entry {c.seq} is not the entry checkpointed at {c.at}"
                f" ({c.fields.get('action', '')} {c.fields.get('id', '')}):"
                " the log was rewritten from there on"
            )
            break


def verify_log(engine: Engine) -> tuple[int, list[str]]:
    """(entries checked, problems); no problems = intact."""
    check = check_log(engine)
    return check.entries, check.problems
