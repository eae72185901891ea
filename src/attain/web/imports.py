"""Imports from the browser or the API: the file is checked first (a dry run, nothing written),
the admin maps its columns and values and sees the first rows as they would be written, then
confirms, and only then is it written. Changed deals and orders are recalculated live afterwards.

Staged uploads are kept in the store (`attain.data.staging`), so with several workers any of
them can map and confirm a file another checked; unconfirmed ones expire after an hour.

The mapping chosen on the page is a spec like any other (`attain.data.ingest.spec`), so it can be
saved under a name and used by `attain import --mapping NAME` too."""

from __future__ import annotations

import secrets
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from attain.actions.imports import import_rows
from attain.audit.actor import Actor
from attain.data import staging
from attain.data.ingest import (
    ImportFailed,
    ImportOptions,
    ImportReport,
    InvalidRows,
    SpecError,
    import_file,
    load_mapping,
    parse_spec,
)
from attain.data.ingest.choices import Choices, choices_from, parse_value_lines, value_lines
from attain.data.ingest.saved import target_of
from attain.data.ingest.source import open_source
from attain.data.ingest.target import TargetColumn
from attain.data.store import get_engine

SUFFIXES = (".csv", ".xlsx", ".parquet", ".tsv", ".txt")
PREVIEW_ROWS = 10
CENT = Decimal("0.01")
MAX_BYTES = 200 * 1024 * 1024


@dataclass
class Staged:
    """An uploaded file waiting for the admin's confirmation (kept in the store,
    `attain.data.staging`, so any worker can carry on with it)."""

    id: str
    table: str
    name: str
    engine_url: str | None
    spec_text: str | None = None
    """The mapping last previewed (YAML); what a confirm imports with."""
    mapping_name: str | None = None
    """The saved mapping it started from or was saved as."""
    user: str | None = None
    """Who uploaded it: only they may map, confirm or discard it."""

    def options(self, **more: object) -> ImportOptions:
        spec = None if self.spec_text is None else parse_spec(self.spec_text, self.spec_label)
        return ImportOptions(spec=spec, spec_label=self.spec_label, on_page=True, **more)  # type: ignore[arg-type]

    @property
    def spec_label(self) -> str:
        return f"mapping {self.mapping_name!r}" if self.mapping_name else "the mapping"

    @property
    def path(self) -> Path:
        """The file, read by the importer: this worker's copy of the stored bytes."""
        path = _uploads() / f"{self.id}{Path(self.name).suffix.lower()}"
        if not path.exists():
            data = staging.upload_bytes(get_engine(self.engine_url), self.id)
            if data is None:
                raise LookupError(self.id)
            path.write_bytes(data)
        return path


_lock = threading.Lock()
_dir: Path | None = None


def _uploads() -> Path:
    """Where this worker keeps copies of staged files to read them (a cache of the store's)."""
    global _dir
    with _lock:
        if _dir is None:
            _dir = Path(tempfile.mkdtemp(prefix="attain-uploads-"))
        return _dir


def _forget_copies(ids: list[str]) -> None:
    for sid in ids:
        for copy in _uploads().glob(f"{sid}.*"):
            copy.unlink(missing_ok=True)


def stage(
    engine_url: str | None,
    table: str,
    name: str,
    data: bytes,
    spec_text: str | None = None,
    mapping_name: str | None = None,
    user: str | None = None,
) -> Staged:
    """Keep an upload in the store under a random id until it is confirmed, discarded or
    expires (`attain.data.staging.STAGING_HOURS`); expired uploads are removed first."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ImportFailed(
            f"{name}: unsupported file type {suffix or '(none)'} (CSV, XLSX, Parquet)"
        )
    if len(data) > MAX_BYTES:
        raise ImportFailed(f"{name}: larger than {MAX_BYTES // (1024 * 1024)} MB")
    engine = get_engine(engine_url)
    _forget_copies(staging.remove_expired(engine))
    sid = secrets.token_urlsafe(12)
    upload = staging.Upload(
        sid, user, table, Path(name).name, spec_text, mapping_name, staging.expiry()
    )
    staging.keep_upload(engine, upload, data)
    return Staged(sid, table, upload.name, engine_url, spec_text, mapping_name, user)


def stage_mapped(
    engine_url: str | None,
    table: str,
    name: str,
    data: bytes,
    mapping: str | None,
    user: str | None = None,
) -> Staged:
    """Stage an upload to be read with the saved mapping `mapping` (None: columns by name)."""
    if not mapping:
        return stage(engine_url, table, name, data, user=user)
    saved = load_mapping(engine_url, mapping)
    if saved.table != table:
        raise ImportFailed(f"{saved.label} is for {saved.table}, not {table}")
    return stage(engine_url, table, name, data, saved.spec_text, saved.name, user)


def staged(engine_url: str | None, sid: str, user: str | None = None) -> Staged | None:
    """The staged upload `sid`, or None when there is none, it expired, or (given `user`)
    someone else uploaded it."""
    found = staging.find_upload(get_engine(engine_url), sid)
    if found is None:
        _forget_copies([sid])
        return None
    if user is not None and found.user is not None and found.user != user:
        return None
    return Staged(
        found.id,
        found.table,
        found.name,
        engine_url,
        found.spec_text,
        found.mapping_name,
        found.user,
    )


def remap(
    engine_url: str | None,
    sid: str,
    spec_text: str,
    mapping_name: str | None = None,
    user: str | None = None,
) -> Staged:
    """Give a staged file the mapping to preview and import it with (checked as a spec first)."""
    s = staged(engine_url, sid, user)
    if s is None:
        raise LookupError(sid)
    label = f"mapping {mapping_name!r}" if mapping_name else "the mapping"
    parse_spec(spec_text, label)
    staging.set_mapping(get_engine(engine_url), sid, spec_text, mapping_name)
    s.spec_text, s.mapping_name = spec_text, mapping_name
    return s


@dataclass(frozen=True)
class MappingView:
    """What the import page shows to map a staged file: its columns, the table's, the choices
    (as last previewed, or as just typed when they could not be used)."""

    header: list[str]
    columns: list[TargetColumn]
    fills: dict[str, str]
    dates: dict[str, str]
    values_text: dict[str, str]
    ignore_case: set[str]
    derive_text: str
    derived: set[str]
    spec_text: str

    @property
    def money(self) -> set[str]:
        """The money columns, shown to cents in the preview."""
        return {c.name for c in self.columns if c.kind == "money"}


def to_cents(value: object) -> str:
    """A money value as imported, to cents at least; more places are shown, never rounded."""
    if value is None:
        return ""
    exact = Decimal(str(value))
    return f"{exact:,.2f}" if exact == exact.quantize(CENT) else f"{exact:,f}"


def mapping_view(
    engine_url: str | None, s: Staged, typed: Mapping[str, str] | None = None
) -> MappingView:
    """The page's mapping of `s`: from its spec, or as `typed` in the form (to correct it)."""
    header = open_source(s.path, label=s.name, sheet=None).header
    target = target_of(engine_url, s.table)
    columns = list(target.columns.values())
    choices = choices_from(s.spec_text, header, target.name, [c.name for c in columns])
    spec_text = s.spec_text or choices.to_yaml(header)
    if typed is None:
        return MappingView(
            header,
            columns,
            choices.fills,
            choices.dates,
            {c: value_lines(v) for c, v in choices.values.items()},
            {c for c, v in choices.values.items() if v.ignore_case},
            choices.derive_text,
            choices.derived,
            spec_text,
        )
    names = [c.name for c in columns]
    derive_text = typed.get("derive", "")
    try:
        derived = Choices(s.table, derive_text=derive_text).derived
    except SpecError:
        derived = set()
    return MappingView(
        header,
        columns,
        {c: typed[f"fill-{c}"] for c in names if typed.get(f"fill-{c}")},
        {c: typed[f"date-{c}"] for c in names if typed.get(f"date-{c}")},
        {c: typed.get(f"values-{c}", "") for c in names},
        {c for c in names if typed.get(f"case-{c}")},
        derive_text,
        derived,
        spec_text,
    )


def choices_from_form(engine_url: str | None, s: Staged, form: Mapping[str, str]) -> str:
    """The spec YAML made by the page's form: `fill-<column>`, `values-<column>`,
    `case-<column>`, `date-<column>` for each table column, and `derive`."""
    header = open_source(s.path, label=s.name, sheet=None).header
    target = target_of(engine_url, s.table)
    numbers = choices_from(s.spec_text, header, target.name, list(target.columns)).numbers
    choices = Choices(s.table, derive_text=form.get("derive", ""), numbers=numbers)
    for column in target.columns.values():
        source = form.get(f"fill-{column.name}", "")
        if source:
            if source not in header:
                raise ImportFailed(f"{source!r} is not a column of {s.name}")
            choices.fills[column.name] = source
        value_map = parse_value_lines(
            column.name,
            form.get(f"values-{column.name}", ""),
            bool(form.get(f"case-{column.name}")),
        )
        if value_map is not None:
            choices.values[column.name] = value_map
        fmt = form.get(f"date-{column.name}", "").strip()
        if fmt:
            choices.dates[column.name] = fmt
    return choices.to_yaml(header)


def check(engine_url: str | None, s: Staged) -> ImportReport:
    """The validation report of a staged file: what would be inserted, updated, rejected, and
    its first rows as they would be written."""
    try:
        return import_file(
            s.table,
            s.path,
            db=engine_url,
            options=s.options(dry_run=True, skip_invalid=True, preview=PREVIEW_ROWS),
            label=s.name,
        )
    except InvalidRows as exc:  # pragma: no cover - skip_invalid reports instead of raising
        raise ImportFailed(str(exc)) from None


def confirm(
    engine_url: str | None, sid: str, actor: Actor, user: str | None = None
) -> ImportReport:
    """Write a staged file (valid rows; invalid ones are reported) through the import action,
    which recalculates live in the background and refreshes the caches. Only `user`, who
    uploaded it, may confirm it (when given)."""
    s = staged(engine_url, sid, user)
    if s is None:
        raise LookupError(sid)
    report = import_rows(
        engine_url,
        actor,
        s.table,
        s.path,
        s.options(skip_invalid=True, rejects=s.path.with_suffix(".rejects.csv"), keep_ids=True),
        label=s.name,
        recalculate="later",
    )
    discard(engine_url, sid)
    return report


def discard(engine_url: str | None, sid: str, user: str | None = None) -> None:
    """Remove a staged upload (from the store, and this worker's copy)."""
    if user is not None and staged(engine_url, sid, user) is None:
        return
    staging.drop_upload(get_engine(engine_url), sid)
    for copy in _uploads().glob(f"{sid}.*"):
        copy.unlink(missing_ok=True)
