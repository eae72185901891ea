"""Uploads waiting for an admin's confirmation, kept in the store.

Every worker of `attain serve --workers N` reads the same store, so a file checked by one
worker can be confirmed by another. A staged upload expires after `STAGING_HOURS`; expired
ones are refused and removed on every new upload and by `attain imports clean`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import DateTime, Engine, LargeBinary, String, Text, delete, insert, select, update
from sqlalchemy.orm import Mapped, mapped_column

from attain.clock import now
from attain.data.schema import Base

STAGING_HOURS = 1
"""How long an unconfirmed upload is kept."""


class StagedUpload(Base):
    """One uploaded file, with the mapping last previewed, until confirmed, discarded or expired."""

    __tablename__ = "import_staging"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user: Mapped[str | None] = mapped_column(String(120))
    table: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    spec_text: Mapped[str | None] = mapped_column(Text)
    mapping_name: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


@dataclass(frozen=True)
class Upload:
    id: str
    user: str | None
    table: str
    name: str
    spec_text: str | None
    mapping_name: str | None
    expires_at: dt.datetime


_FIELDS = (
    StagedUpload.id,
    StagedUpload.user,
    StagedUpload.table,
    StagedUpload.name,
    StagedUpload.spec_text,
    StagedUpload.mapping_name,
    StagedUpload.expires_at,
)


def keep_upload(engine: Engine, upload: Upload, data: bytes) -> None:
    """Keep a new upload (after removing the expired ones)."""
    remove_expired(engine)
    with engine.begin() as conn:
        conn.execute(
            insert(StagedUpload).values(
                id=upload.id,
                user=upload.user,
                table=upload.table,
                name=upload.name,
                data=data,
                spec_text=upload.spec_text,
                mapping_name=upload.mapping_name,
                created_at=now(),
                expires_at=upload.expires_at,
            )
        )


def expiry() -> dt.datetime:
    return now() + dt.timedelta(hours=STAGING_HOURS)


def find_upload(engine: Engine, sid: str) -> Upload | None:
    """The upload, or None when there is none or it has expired (then it is removed)."""
    with engine.connect() as conn:
        row = conn.execute(select(*_FIELDS).where(StagedUpload.id == sid)).first()
    if row is None:
        return None
    upload = Upload(*row)
    if upload.expires_at <= now():
        drop_upload(engine, sid)
        return None
    return upload


def upload_bytes(engine: Engine, sid: str) -> bytes | None:
    with engine.connect() as conn:
        return conn.execute(select(StagedUpload.data).where(StagedUpload.id == sid)).scalar()


def set_mapping(engine: Engine, sid: str, spec_text: str, mapping_name: str | None) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(StagedUpload)
            .where(StagedUpload.id == sid)
            .values(spec_text=spec_text, mapping_name=mapping_name)
        )


def drop_upload(engine: Engine, sid: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(StagedUpload).where(StagedUpload.id == sid))


def remove_expired(engine: Engine) -> list[str]:
    """Remove every expired upload; returns their ids."""
    with engine.begin() as conn:
        gone = list(
            conn.execute(select(StagedUpload.id).where(StagedUpload.expires_at <= now())).scalars()
        )
        if gone:
            conn.execute(delete(StagedUpload).where(StagedUpload.id.in_(gone)))
    return gone
