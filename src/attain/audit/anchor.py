"""Checkpoints: the audit log's head (sequence number and hash) kept outside the store.

A signed chain proves its entries were not rewritten, but not that none were cut off the end:
whoever deletes the newest entries and moves the head back leaves a shorter, valid chain. Each
period close and approval and each payroll export therefore appends one signed line to a
checkpoint file beside the key (`<audit home>/checkpoints/<store>.log`, or
`ATTAIN_AUDIT_CHECKPOINTS`); `attain audit verify` holds the log against every line.

    2027-02-01T09:00:00 seq=12 hash=... action=period.close id=2027-01 ledger=... key=k... hmac=...
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from attain.audit.keys import audit_home, keyring, signing_key
from attain.clock import now

ENV_CHECKPOINTS = "ATTAIN_AUDIT_CHECKPOINTS"
ANCHORED = (
    "period.close",
    "period.approve",
    "payroll.export",
    "audit.checkpoint",
    "audit.rotate-key",
)
"""The entries whose commit writes a checkpoint line."""


@dataclass(frozen=True)
class Checkpoint:
    line: int
    seq: int
    hash: str
    fields: dict[str, str]
    signed: bool
    text: str = ""

    @property
    def at(self) -> str:
        return self.fields.get("at", "")


def store_id(engine: Engine) -> str:
    """Which store a checkpoint belongs to: its file's real path, or its server and database."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        ident = "sqlite:" + str(Path(url.database or "").resolve())
    else:
        ident = f"{url.get_backend_name()}://{url.host}:{url.port}/{url.database}"
    return hashlib.sha256(ident.encode()).hexdigest()[:16]


def checkpoint_path(engine: Engine) -> Path:
    if os.environ.get(ENV_CHECKPOINTS):
        return Path(os.environ[ENV_CHECKPOINTS])
    return audit_home() / "checkpoints" / f"{store_id(engine)}.log"


def _signed_text(fields: Mapping[str, str]) -> str:
    """What a line's HMAC covers: everything but its time and the signature itself (not the
    store's path either: a store moved with its checkpoint file still verifies)."""
    return " ".join(f"{k}={v}" for k, v in fields.items() if k not in ("at", "key", "hmac"))


def write_checkpoint(engine: Engine, seq: int, digest: str, **extra: str) -> str:
    """Append one signed line naming the head; returns the line as written."""
    key = signing_key()
    fields = {"seq": str(seq), "hash": digest, **{k: v for k, v in extra.items() if v}}
    mac = key.sign(_signed_text(fields))
    at = now().isoformat(timespec="seconds")
    line = " ".join([at, *(f"{k}={v}" for k, v in fields.items()), f"key={key.id}", f"hmac={mac}"])
    path = checkpoint_path(engine)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a") as f:
        f.write(line + "\n")
    return line


def retire_checkpoints(engine: Engine) -> Path | None:
    """Set the store's checkpoint file aside (renamed, never deleted) when the store itself was
    replaced on purpose (`attain demo`, `attain synth --replace`): its lines name the old log,
    and held against the new one they would read as deleted entries. Returns where it went."""
    path = checkpoint_path(engine)
    if not path.exists():
        return None
    stamp = now().strftime("%Y%m%dT%H%M%S%f")
    retired = path.with_name(f"{path.name}.replaced-{stamp}")
    path.rename(retired)
    return retired


def checkpoints(engine: Engine) -> list[Checkpoint]:
    """Every line of the store's checkpoint file, each checked against its signature."""
    path = checkpoint_path(engine)
    if not path.exists():
        return []
    keys = keyring()
    out = []
    for n, text in enumerate(path.read_text().splitlines(), 1):
        parts = text.split()
        if not parts:
            continue
        fields = {"at": parts[0]}
        for part in parts[1:]:
            k, _, v = part.partition("=")
            fields[k] = v
        key = keys.get(fields.get("key", ""))
        signed = key is not None and key.sign(_signed_text(fields)) == fields.get("hmac")
        try:
            seq = int(fields.get("seq", "-1"))
        except ValueError:
            seq, signed = -1, False
        out.append(Checkpoint(n, seq, fields.get("hash", ""), fields, signed, text))
    return out


def newest_checkpoint(engine: Engine) -> Checkpoint | None:
    signed = [c for c in checkpoints(engine) if c.signed]
    return max(signed, key=lambda c: c.seq) if signed else None


_pending: dict[tuple[str, str, int], tuple[Engine, str, dict[str, str]]] = {}


def expect(engine: Engine, action: str, entity_id: str, seq: int, digest: str, after: Any) -> None:
    """Remember an anchored entry; its checkpoint is written once its transaction commits."""
    extra = {"action": action, "id": entity_id}
    if isinstance(after, dict) and isinstance(after.get("ledger"), dict):
        extra["ledger"] = str(after["ledger"].get("digest", ""))
    _pending[(action, entity_id, seq)] = (engine, digest, extra)


def committed(action: str, entity_id: str, seq: int) -> None:
    """The entry `seq` was committed: write its checkpoint (an event subscriber calls this)."""
    pending = _pending.pop((action, entity_id, seq), None)
    if pending is not None:
        engine, digest, extra = pending
        write_checkpoint(engine, seq, digest, **extra)
