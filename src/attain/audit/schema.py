"""The audit log's tables: entries chained by hash, and the chain's head.

An entry is never updated or deleted (store triggers refuse it); its hash, signed with the audit
key, covers its own fields and the previous entry's hash, so an edit or a deletion anywhere
breaks the chain from there on, and nobody without the key can recompute it.
The head row holds the last sequence number and hash, so a deleted last entry is noticed too.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from attain.data.schema import Base


class AuditEntry(Base):
    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(64))  # period.close, ledger.publish, ...
    entity: Mapped[str] = mapped_column(String(32))  # period, run, adjustment, dispute, ...
    entity_id: Mapped[str] = mapped_column(String(120))
    before: Mapped[str | None] = mapped_column(Text)  # JSON
    after: Mapped[str | None] = mapped_column(Text)  # JSON
    reason: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str | None] = mapped_column(String(16))  # the key that signs it (None: unsigned)


class AuditHead(Base):
    """One row: the newest entry's sequence number and hash (locked while appending)."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
