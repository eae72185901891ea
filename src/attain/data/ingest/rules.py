"""A mapping spec bound to one file: its derived columns placed after the file's own, the file
columns they read found in the header, and what they remember from batch to batch."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from attain.data.ingest.derive import Inputs, lookup
from attain.data.ingest.mapping import Pair, find_source
from attain.data.ingest.spec import MappingSpec, Numbers
from attain.data.ingest.values import Formats

ProblemSink = Callable[[pa.Array, str, str, pa.Array], None]
"""Where derivations report bad inputs: (mask, file column, reason, values shown)."""

DERIVED = " (derived)"
"""How a derived column is named among the file's columns, in the plan and in problems."""


@dataclass
class Rules:
    """What a spec does to each batch, besides choosing columns."""

    spec: MappingSpec
    file_width: int
    sources: dict[str, int]
    memory: dict[int, dict[tuple[Any, ...], int]] = field(default_factory=dict)

    @staticmethod
    def bind(spec: MappingSpec, header: list[str], label: str) -> Rules:
        sources = {
            name: find_source(header, name, f"{label}: derive {target!r}")
            for target, derivation in spec.derive.items()
            for name in derivation.columns()
        }
        return Rules(spec, len(header), sources)

    def header(self, header: list[str]) -> list[str]:
        """The file's header, then one name per derived column."""
        return [*header, *(f"{target}{DERIVED}" for target in self.spec.derive)]

    def unused(self, filled: set[str]) -> list[str]:
        """Table columns the spec replaces values in or gives a date format, that nothing fills."""
        named = [*self.spec.values, *self.spec.dates]
        return sorted({c for c in named if c not in filled})

    def pairs(self) -> list[Pair]:
        return [(f"{target}{DERIVED}", target) for target in self.spec.derive]

    def derive(self, trimmed: list[pa.Array], add: ProblemSink) -> list[pa.Array]:
        """The derived columns of a batch (after its file columns), noting bad inputs."""
        if not self.spec.derive:
            return []
        count = len(trimmed[0]) if trimmed else 0
        by_name = {name: trimmed[i] for name, i in self.sources.items()}
        inputs = Inputs(by_name, count, self.number_text, self.memory)
        out: list[pa.Array] = []
        for derivation in self.spec.derive.values():
            derived = derivation.evaluate(inputs)
            for mask, name, template in derived.problems:
                add(mask, name, template, by_name[name])
            out.append(derived.values)
        return out

    def values_of(self, target: str, text: pa.Array) -> pa.Array:
        """`text` with the spec's replacements for `target` made; other values as they are."""
        value_map = self.spec.values.get(target)
        if value_map is None:
            return text
        found, replaced = lookup(text, value_map.replace, value_map.ignore_case)
        return pc.if_else(found, replaced, text)

    def formats_for(self, target: str, formats: Formats) -> Formats:
        fmt = self.spec.dates.get(target)
        return formats if fmt is None else Formats(date=fmt, datetime=fmt)

    def number_text(self, text: pa.Array) -> tuple[pa.Array, pa.Array, str]:
        return plain_numbers(text, self.spec.numbers)


def plain_numbers(text: pa.Array, numbers: Numbers) -> tuple[pa.Array, pa.Array, str]:
    """Numbers as the store reads them (`1.234,50` -> `1234.50` for decimal ',' thousands '.'),
    and the rows with a '.' where the file's decimal mark is ',' (blank, not misread)."""
    misread = pa.array([False] * len(text), pa.bool_())
    why = (
        f"{{value}} does not write numbers as this mapping says (decimal mark {numbers.decimal!r})"
    )
    if numbers.thousands:
        grouped = rf"^[+-]?\d{{1,3}}([{numbers.thousands}]\d{{3}})+([{numbers.decimal}]\d*)?$"
        shaped = pc.fill_null(pc.match_substring_regex(text, grouped), False)
        removed = pc.replace_substring(text, numbers.thousands, "")
        text = pc.if_else(shaped, removed, text)
    if numbers.decimal != ".":
        misread = pc.fill_null(pc.match_substring(text, "."), False)
        swapped = pc.replace_substring(text, numbers.decimal, ".")
        text = pc.if_else(misread, pa.scalar(None, pa.string()), swapped)
    return text, misread, why
