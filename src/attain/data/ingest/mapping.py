"""Which column of the file fills which column of the table.

Without a mapping a file column fills the table column of the same name, compared loosely
(`Close Date` fills `close_date`). A mapping (`--map "Opportunity Owner=owner"` or a YAML file)
says the rest; a mapping to nothing (`--map "Notes="`) drops a column without a warning.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from attain.data.ingest.problems import ImportFailed

Pair = tuple[str, str | None]
"""(file column, table column), or (file column, None) to drop the file column."""

IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class MappedColumn:
    """A file column (by position and name) that fills a table column."""

    index: int
    source: str
    target: str


@dataclass
class ColumnPlan:
    """How a file's columns fill a table: what is filled, and what the file has to spare."""

    columns: list[MappedColumn]
    ignored: list[str] = field(default_factory=list)

    @property
    def targets(self) -> set[str]:
        return {c.target for c in self.columns}

    def source_of(self, target: str) -> MappedColumn:
        return next(c for c in self.columns if c.target == target)


def normal_name(name: str) -> str:
    """`Close Date` -> `close_date`: how names are compared, and how new tables name columns."""
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


def parse_map_option(text: str) -> Pair:
    """`"Opportunity Owner=owner"` -> ("Opportunity Owner", "owner"); `"Notes="` drops Notes."""
    if "=" not in text:
        raise ImportFailed(f"--map {text!r}: write it as 'FILE COLUMN=table_column'")
    source, target = text.rsplit("=", 1)
    return source.strip(), (target.strip() or None)


def read_mapping_file(path: Path) -> list[Pair]:
    """A YAML mapping `{file column: table column}`; a list fills several, null drops it."""
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ImportFailed(f"{path}: no such mapping file") from None
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise ImportFailed(f"{path}: not a readable YAML mapping: {e}") from None
    if not isinstance(loaded, dict):
        raise ImportFailed(f"{path}: a mapping file holds lines like 'File column: table_column'")
    pairs: list[Pair] = []
    for source, target in loaded.items():
        targets = target if isinstance(target, list) else [target]
        for one in targets:
            if one is not None and not isinstance(one, str):
                raise ImportFailed(
                    f"{path}: {source!r} maps to {one!r}, which is not a column name"
                )
            pairs.append((str(source), one or None))
    return pairs


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like `name` (loosely compared), if any is close."""
    by_normal = {normal_name(c): c for c in candidates if c}
    wanted = normal_name(name)
    close = difflib.get_close_matches(wanted, list(by_normal), n=1, cutoff=0.6)
    if close:
        return by_normal[close[0]]
    containing = [c for n, c in by_normal.items() if wanted in n.split("_")]
    return containing[0] if len(containing) == 1 else None


def merge_mappings(from_file: list[Pair], from_flags: list[Pair]) -> list[Pair]:
    """A mapping file's pairs with the `--map` flags on top: a flag replaces every line of the
    file for the same file column."""
    flagged = {source for source, _ in from_flags}
    return [p for p in from_file if p[0] not in flagged] + from_flags


def _suggest(name: str, candidates: Iterable[str]) -> str:
    match = closest(name, candidates)
    return f" (did you mean {match!r}?)" if match else ""


def find_source(header: list[str], name: str, label: str) -> int:
    if name in header:
        return header.index(name)
    loose = [i for i, h in enumerate(header) if normal_name(h) == normal_name(name)]
    if len(loose) == 1:
        return loose[0]
    named = ", ".join(repr(h) for h in header if h)
    raise ImportFailed(
        f"{label}: the mapping names a column {name!r} that the file does not have"
        f"{_suggest(name, header)}; the file's columns are: {named}"
    )


def plan_columns(
    header: list[str], table_columns: list[str] | None, pairs: list[Pair], *, label: str, table: str
) -> ColumnPlan:
    """Match the file's header to the table's columns (None: a new table takes the file's names)."""
    mapped: list[MappedColumn] = []
    claimed: set[int] = set()
    for source, target in pairs:
        index = find_source(header, source, label)
        claimed.add(index)
        if target is None:
            continue
        if table_columns is not None and target not in table_columns:
            raise ImportFailed(
                f"the mapping sends {source!r} to {target!r}, but {table} has no column {target!r}"
                f"{_suggest(target, table_columns)}; its columns are: {', '.join(table_columns)}"
            )
        if table_columns is None and not IDENTIFIER.match(target):
            raise ImportFailed(
                f"the mapping sends {source!r} to {target!r}, which cannot name a column "
                "(use lower-case letters, digits and _)"
            )
        mapped.append(MappedColumn(index, header[index], target))

    ignored: list[str] = []
    explicit_targets = {m.target for m in mapped}
    for index, name in enumerate(header):
        if index in claimed:
            continue
        target = _auto_target(name, table_columns)
        if target is None or target in explicit_targets:
            ignored.append(name or f"(unnamed column {index + 1})")
            continue
        mapped.append(MappedColumn(index, name, target))

    _refuse_doubles(header, mapped, label)
    mapped.sort(key=lambda m: m.index)
    return ColumnPlan(mapped, ignored)


def _auto_target(name: str, table_columns: list[str] | None) -> str | None:
    if not name:
        return None
    if table_columns is None:
        normal = normal_name(name)
        return normal if IDENTIFIER.match(normal) else None
    if name in table_columns:
        return name
    loose = [c for c in table_columns if c == normal_name(name)]
    return loose[0] if loose else None


def _refuse_doubles(header: list[str], mapped: list[MappedColumn], label: str) -> None:
    by_target: dict[str, list[MappedColumn]] = {}
    for m in mapped:
        by_target.setdefault(m.target, []).append(m)
    for target, sources in by_target.items():
        if len(sources) > 1:
            names = " and ".join(f"{s.source!r} (column {s.index + 1})" for s in sources)
            raise ImportFailed(
                f"{label}: {names} would both fill {target!r}; map one of them to nothing "
                f"(--map '{sources[-1].source}=')"
            )
    for m in mapped:
        same = [i + 1 for i, h in enumerate(header) if h == m.source]
        if len(same) > 1:
            where = " and ".join(str(i) for i in same)
            raise ImportFailed(
                f"{label}: the header names {m.source!r} twice (columns {where}); rename one"
            )


def missing_required(
    label: str, table: str, missing: list[str], plan: ColumnPlan, *, on_page: bool = False
) -> ImportFailed:
    """The error for required table columns that no file column fills, with likely candidates
    (and how to map one: a `--map` flag, or on the import page, the column's choice)."""
    column = missing[0]
    spare = [name for name in plan.ignored if not name.startswith("(unnamed")]
    hint = ""
    candidate = closest(column, spare)
    if candidate:
        how = f"choose it for {column}" if on_page else f"map it with --map '{candidate}={column}'"
        hint = f" (did you mean {candidate!r}? {how})"
    elif spare:
        hint = f"; unmapped file columns: {', '.join(repr(s) for s in spare)}"
    more = f" (also missing: {', '.join(missing[1:])})" if len(missing) > 1 else ""
    return ImportFailed(f"{label}: missing required column {column!r} for {table}{hint}{more}")
