"""A mapping spec: everything an import needs to know about one kind of file, in one YAML text.

A spec names its table and says which file column fills which table column (`columns`), which
values to replace (`values`), how dates are written (`dates`), how numbers are written
(`numbers`) and which columns are computed from others (`derive`). Keys of `values`, `dates` and
`derive` are table columns. A plain `{file column: table column}` YAML (the older mapping file)
is a spec with only `columns`. Every error names the spec, the column and the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from attain.data.ingest.derive import Derivation, parse_derivation
from attain.data.ingest.mapping import Pair
from attain.data.ingest.problems import SpecError

SECTIONS = ("table", "columns", "values", "dates", "numbers", "derive")


@dataclass(frozen=True)
class ValueMap:
    """Replacements for one column's values: exact match, or ignoring case."""

    replace: tuple[tuple[str, str | None], ...]
    ignore_case: bool = False


@dataclass(frozen=True)
class Numbers:
    """How the file writes numbers: its decimal mark and thousands separator."""

    decimal: str = "."
    thousands: str = ""


@dataclass(frozen=True)
class MappingSpec:
    """One file layout's mapping onto one table."""

    table: str | None = None
    columns: tuple[Pair, ...] = ()
    values: dict[str, ValueMap] = field(default_factory=dict)
    dates: dict[str, str] = field(default_factory=dict)
    numbers: Numbers = field(default_factory=Numbers)
    derive: dict[str, Derivation] = field(default_factory=dict)

    def targets_named(self) -> list[str]:
        """The table columns the spec names outside `columns` (checked against the table)."""
        return [*self.values, *self.dates, *self.derive]


class _Reader:
    """Walks the YAML node tree so every error can say where it is."""

    def __init__(self, label: str) -> None:
        self.label = label

    def fail(self, node: Node, what: str) -> SpecError:
        return SpecError(f"{self.label}, line {node.start_mark.line + 1}: {what}")

    def text(self, node: Node, what: str) -> str:
        if not isinstance(node, ScalarNode) or node.tag.endswith(":null"):
            raise self.fail(node, f"{what} must be a single value")
        return str(node.value)

    def optional_text(self, node: Node, what: str) -> str | None:
        if isinstance(node, ScalarNode) and node.tag.endswith(":null"):
            return None
        return self.text(node, what)

    def pairs(self, node: Node, what: str) -> list[tuple[Node, Node]]:
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{what} must be lines of 'name: value'")
        return list(node.value)


def parse_spec(text: str, label: str = "mapping") -> MappingSpec:
    """The spec in `text`; `label` names it in errors (`mapping 'crm-deals'`, a file name)."""
    reader = _Reader(label)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e)
        raise SpecError(f"{label}{where}: not readable YAML: {problem}") from None
    if root is None:
        raise SpecError(f"{label}: the mapping is empty")
    top = reader.pairs(root, "a mapping")
    keys = {reader.text(k, "a section name") for k, _ in top}
    if not keys & {"columns", "values", "dates", "numbers", "derive"}:
        return MappingSpec(columns=tuple(_columns(reader, root)))
    spec: dict[str, Any] = {}
    for key_node, value in top:
        key = reader.text(key_node, "a section name")
        if key not in SECTIONS:
            raise reader.fail(key_node, f"unknown section {key!r} (one of {', '.join(SECTIONS)})")
        if key == "table":
            spec["table"] = reader.text(value, "table")
        elif key == "columns":
            spec["columns"] = tuple(_columns(reader, value))
        elif key == "values":
            spec["values"] = {
                reader.text(k, "a column"): _value_map(reader, reader.text(k, "a column"), v)
                for k, v in reader.pairs(value, "values")
            }
        elif key == "dates":
            spec["dates"] = {
                reader.text(k, "a column"): _date_format(reader, reader.text(k, "a column"), v)
                for k, v in reader.pairs(value, "dates")
            }
        elif key == "numbers":
            spec["numbers"] = _numbers(reader, value)
        else:
            spec["derive"] = {
                reader.text(k, "a column"): parse_derivation(
                    _plain(v), f"{label}, line {v.start_mark.line + 1}, derive {k.value!r}"
                )
                for k, v in reader.pairs(value, "derive")
            }
    return MappingSpec(**spec)


def read_spec_file(path: Path) -> MappingSpec:
    """The spec in a YAML file, named by the file in errors."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SpecError(f"{path}: no such mapping file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise SpecError(f"{path}: cannot be read: {e}") from None
    return parse_spec(text, str(path))


def _columns(reader: _Reader, node: Node) -> list[Pair]:
    pairs: list[Pair] = []
    for key, value in reader.pairs(node, "columns"):
        source = reader.text(key, "a file column")
        targets = value.value if isinstance(value, SequenceNode) else [value]
        for one in targets:
            target = reader.optional_text(one, f"what {source!r} fills")
            pairs.append((source, target or None))
    return pairs


def _value_map(reader: _Reader, column: str, node: Node) -> ValueMap:
    entries = reader.pairs(node, f"values of {column!r}")
    names = {reader.text(k, "a value") for k, _ in entries}
    ignore_case = False
    if "replace" in names and names <= {"replace", "ignore_case"}:
        for k, v in entries:
            if k.value == "ignore_case":
                flag = reader.text(v, "ignore_case").lower()
                if flag not in ("true", "false", "yes", "no"):
                    raise reader.fail(v, f"values of {column!r}: ignore_case is true or false")
                ignore_case = flag in ("true", "yes")
            else:
                entries = reader.pairs(v, f"values of {column!r}")
    replace: list[tuple[str, str | None]] = []
    seen: dict[str, int] = {}
    for k, v in entries:
        old = reader.text(k, f"a value of {column!r}")
        key = old.lower() if ignore_case else old
        if key in seen:
            raise reader.fail(k, f"values of {column!r}: {old!r} is replaced twice")
        seen[key] = k.start_mark.line
        replace.append((old, reader.optional_text(v, f"what {old!r} becomes")))
    return ValueMap(tuple(replace), ignore_case)


def _date_format(reader: _Reader, column: str, node: Node) -> str:
    fmt = reader.text(node, f"the date format of {column!r}")
    if "%" not in fmt:
        raise reader.fail(node, f"dates of {column!r}: {fmt!r} is not a format such as %m/%d/%Y")
    return fmt


def _numbers(reader: _Reader, node: Node) -> Numbers:
    found = {"decimal": ".", "thousands": ""}
    for k, v in reader.pairs(node, "numbers"):
        key = reader.text(k, "numbers")
        if key not in found:
            raise reader.fail(k, f"numbers: unknown setting {key!r} (decimal, thousands)")
        found[key] = reader.optional_text(v, f"numbers {key}") or ""
    if found["decimal"] not in (".", ","):
        raise reader.fail(
            node, f"numbers: the decimal mark is '.' or ',', not {found['decimal']!r}"
        )
    if found["thousands"] not in ("", ",", ".", " ", "'", "_"):
        raise reader.fail(node, f"numbers: {found['thousands']!r} cannot separate thousands")
    if found["thousands"] == found["decimal"]:
        raise reader.fail(node, "numbers: the decimal mark and thousands separator must differ")
    return Numbers(found["decimal"], found["thousands"])


def _plain(node: Node) -> Any:
    """A node as plain Python (strings, lists, dicts), every scalar kept as the text written."""
    if isinstance(node, MappingNode):
        return {_plain(k): _plain(v) for k, v in node.value}
    if isinstance(node, SequenceNode):
        return [_plain(v) for v in node.value]
    if isinstance(node, ScalarNode) and node.tag.endswith(":null"):
        return None
    return str(node.value)


def check_against(spec: MappingSpec, label: str, table: str, columns: list[str]) -> None:
    """Refuse a spec naming table columns that `table` does not have, or for another table."""
    if spec.table is not None and spec.table != table:
        raise SpecError(f"{label} is for {spec.table}, not {table}")
    for name in spec.targets_named():
        if name not in columns:
            raise SpecError(
                f"{label}: {table} has no column {name!r}; its columns are: {', '.join(columns)}"
            )
    for source, target in spec.columns:
        if target is not None and target not in columns:
            raise SpecError(
                f"{label}: {source!r} fills {target!r}, but {table} has no column {target!r}; "
                f"its columns are: {', '.join(columns)}"
            )
