"""Imports from the browser or the API: the file is checked first (a dry run, nothing written),
the admin sees the validation report, then confirms, and only then is it written. Changed deals
and orders are recalculated live afterwards."""

from __future__ import annotations

import secrets
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
from sqlalchemy import Engine

from attain.data.ingest import ImportFailed, ImportOptions, ImportReport, InvalidRows, import_file
from attain.web import live

SUFFIXES = (".csv", ".xlsx", ".parquet", ".tsv", ".txt")
MAX_BYTES = 200 * 1024 * 1024


@dataclass
class Staged:
    """An uploaded file waiting for the admin's confirmation."""

    id: str
    table: str
    path: Path
    name: str


_staged: dict[str, Staged] = {}
_lock = threading.Lock()
_dir: Path | None = None


def _uploads() -> Path:
    """Where staged uploads wait (made on first use, private to this process)."""
    global _dir
    with _lock:
        if _dir is None:
            _dir = Path(tempfile.mkdtemp(prefix="attain-uploads-"))
        return _dir


def stage(table: str, name: str, data: bytes) -> Staged:
    """Keep an upload under a random id until it is confirmed or discarded."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ImportFailed(
            f"{name}: unsupported file type {suffix or '(none)'} (CSV, XLSX, Parquet)"
        )
    if len(data) > MAX_BYTES:
        raise ImportFailed(f"{name}: larger than {MAX_BYTES // (1024 * 1024)} MB")
    sid = secrets.token_urlsafe(12)
    path = _uploads() / f"{sid}{suffix}"
    path.write_bytes(data)
    staged = Staged(sid, table, path, Path(name).name)
    with _lock:
        _staged[sid] = staged
    return staged


def staged(sid: str) -> Staged | None:
    with _lock:
        return _staged.get(sid)


def check(engine_url: str | None, s: Staged) -> ImportReport:
    """The validation report of a staged file: what would be inserted, updated, rejected."""
    try:
        return import_file(
            s.table,
            s.path,
            db=engine_url,
            options=ImportOptions(dry_run=True, skip_invalid=True),
            label=s.name,
        )
    except InvalidRows as exc:  # pragma: no cover - skip_invalid reports instead of raising
        raise ImportFailed(str(exc)) from None


def _keys(path: Path) -> list[str]:
    """The `id` column of an imported file (for deals and orders), to know what changed."""
    try:
        if path.suffix == ".parquet":
            import pyarrow.parquet as pq

            table = pq.read_table(path, columns=["id"])
        elif path.suffix == ".xlsx":
            return []
        else:
            import pyarrow.csv as pcsv

            table = pcsv.read_csv(
                path,
                convert_options=pcsv.ConvertOptions(
                    include_columns=["id"], column_types={"id": pa.string()}
                ),
            )
        return [str(v) for v in table.column("id").to_pylist() if v is not None]
    except (pa.ArrowInvalid, KeyError, OSError):
        return []


def confirm(engine: Engine, engine_url: str | None, sid: str) -> ImportReport:
    """Write a staged file (valid rows; invalid ones are reported), then recalculate live."""
    s = staged(sid)
    if s is None:
        raise LookupError(sid)
    report = import_file(
        s.table,
        s.path,
        db=engine_url,
        options=ImportOptions(skip_invalid=True, rejects=s.path.with_suffix(".rejects.csv")),
        label=s.name,
    )
    if s.table in live.SOURCES:
        ids = _keys(s.path)
        if ids:
            live.rows_changed_later(engine, s.table, ids)
    if s.table == "people":
        from attain.web.access import forget_hierarchy

        forget_hierarchy()
        from attain.web.pay import forget_cached_pay

        forget_cached_pay()
    discard(sid)
    return report


def discard(sid: str) -> None:
    with _lock:
        s = _staged.pop(sid, None)
    if s is not None:
        s.path.unlink(missing_ok=True)
        s.path.with_suffix(".rejects.csv").unlink(missing_ok=True)
