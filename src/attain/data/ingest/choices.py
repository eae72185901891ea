"""A mapping as a person chooses it on a form: for each table column, the file column that fills
it, its value replacements and date format; derived columns as YAML. Turned into a spec's YAML
(the one form saved mappings and `--mapping` files take) and back."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode

from attain.data.ingest.mapping import plan_columns
from attain.data.ingest.problems import ImportFailed, SpecError
from attain.data.ingest.spec import Numbers, ValueMap, parse_spec

ARROW = "=>"


@dataclass
class Choices:
    """What fills each table column of one file, as chosen on the import page."""

    table: str
    fills: dict[str, str] = field(default_factory=dict)
    """Table column -> the file column that fills it."""
    values: dict[str, ValueMap] = field(default_factory=dict)
    dates: dict[str, str] = field(default_factory=dict)
    numbers: Numbers = field(default_factory=Numbers)
    derive_text: str = ""
    """The `derive` section as YAML (`amount: {multiply: [Quantity, UnitPrice]}`)."""

    @property
    def derived(self) -> set[str]:
        return set(_derived_names(self.derive_text))

    def to_yaml(self, header: list[str]) -> str:
        """The spec these choices make, every file column named (unused ones map to nothing)."""
        both = sorted(set(self.fills) & self.derived)
        if both:
            raise SpecError(f"{both[0]!r} is filled from a file column and derived; choose one")
        columns: dict[str, Any] = {}
        for name in header:
            targets = [str(t) for t, source in self.fills.items() if source == name]
            columns[str(name)] = targets[0] if len(targets) == 1 else (targets or None)
        doc: dict[str, Any] = {"table": str(self.table), "columns": columns}
        if self.values:
            doc["values"] = {str(c): _value_doc(v) for c, v in self.values.items()}
        if self.dates:
            doc["dates"] = {str(c): str(f) for c, f in self.dates.items()}
        if self.numbers != Numbers():
            doc["numbers"] = {"decimal": self.numbers.decimal, "thousands": self.numbers.thousands}
        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
        if self.derive_text.strip():
            # kept as written, so values such as NO (Norway) stay text, not YAML booleans
            text += "derive:\n" + textwrap.indent(self.derive_text.strip("\n") + "\n", "  ")
        parse_spec(text, "the mapping")
        return text


def choices_from(
    spec_text: str | None, header: list[str], table: str, table_columns: list[str]
) -> Choices:
    """The choices a spec makes for this file (without one: columns matched by name)."""
    spec = parse_spec(spec_text, "the mapping") if spec_text else None
    pairs = list(spec.columns) if spec else []
    try:
        plan = plan_columns(header, table_columns, pairs, label="the file", table=table)
    except ImportFailed:
        plan = plan_columns(header, table_columns, [], label="the file", table=table)
    fills = {m.target: m.source for m in plan.columns}
    if spec is None:
        return Choices(table, fills)
    for target in spec.derive:
        fills.pop(target, None)
    return Choices(
        table,
        fills,
        dict(spec.values),
        dict(spec.dates),
        spec.numbers,
        _section_text(spec_text or "", "derive"),
    )


def value_lines(value_map: ValueMap | None) -> str:
    """Replacements as the form shows them, one `file value => table value` a line."""
    if value_map is None:
        return ""
    return "\n".join(f"{old} {ARROW} {new or ''}".rstrip() for old, new in value_map.replace)


def parse_value_lines(column: str, text: str, ignore_case: bool) -> ValueMap | None:
    """`GTXPro => GTX Pro` lines as replacements for `column` (None when there are none)."""
    replace: list[tuple[str, str | None]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if ARROW not in line:
            raise SpecError(
                f"values of {column!r}, line {number}: write it as 'file value {ARROW} table value'"
            )
        old, new = (part.strip() for part in line.split(ARROW, 1))
        if not old:
            raise SpecError(f"values of {column!r}, line {number}: which file value is replaced?")
        replace.append((old, new or None))
    return ValueMap(tuple(replace), ignore_case) if replace else None


def _value_doc(value_map: ValueMap) -> dict[str, Any]:
    replace = {old: new for old, new in value_map.replace}
    return {"ignore_case": True, "replace": replace} if value_map.ignore_case else replace


def _section_text(text: str, section: str) -> str:
    """A top-level section of a spec as it was written, unindented."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, MappingNode):
        return ""
    for key, value in root.value:
        if isinstance(key, ScalarNode) and key.value == section:
            if isinstance(value, ScalarNode):
                return ""
            start = text.rfind("\n", 0, value.start_mark.index) + 1
            if value.start_mark.line == key.start_mark.line:
                start = value.start_mark.index
            return textwrap.dedent(text[start : value.end_mark.index]).strip("\n")
    return ""


def _derived_names(text: str) -> list[str]:
    if not text.strip():
        return []
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        raise SpecError(f"derived columns{where}: not readable YAML") from None
    if not isinstance(root, MappingNode):
        raise SpecError("derived columns: write one 'column: derivation' a line")
    return [str(k.value) for k, _ in root.value]
