"""Checking one batch of rows against the table: blanks, types, required values, defaults.

Everything here is vectorised over the batch; Python only formats the messages of bad values.
Checks that need the rest of the file or the store (duplicate keys, references) come after.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from attain.data.ingest.mapping import ColumnPlan
from attain.data.ingest.rules import Rules
from attain.data.ingest.source import RawBatch
from attain.data.ingest.target import Target
from attain.data.ingest.values import Formats, parse_column, reason_for, trim


@dataclass
class CheckedBatch:
    """A batch's non-blank rows: their numbers, original text, store-ready values, problems."""

    rows: pa.Array
    original: list[pa.Array]
    values: dict[str, pa.Array]
    problems: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    """Index in the batch -> [(file column, reason)]."""

    def add(self, index: int, column: str, reason: str) -> None:
        self.problems.setdefault(index, []).append((column, reason))

    def add_mask(self, mask: pa.Array, column: str, template: str, shown: pa.Array) -> None:
        """A problem for every row set in `mask`, showing that row's value from `shown`."""
        indices = pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist()
        if not indices:
            return
        for index, value in zip(indices, shown.take(indices).to_pylist(), strict=True):
            self.add(index, column, reason_for(template, value))

    @property
    def num_rows(self) -> int:
        return len(self.rows)


def check_batch(
    raw: RawBatch, plan: ColumnPlan, target: Target, formats: Formats, rules: Rules | None = None
) -> CheckedBatch:
    """Parse every mapped column of `raw` (replaced, reformatted and derived as `rules` say);
    note each bad value and each missing required one."""
    trimmed = [trim(column) for column in raw.columns]
    rows, original = raw.rows, raw.columns
    if trimmed:
        blank = pc.is_null(trimmed[0])
        for t in trimmed[1:]:
            blank = pc.and_(blank, pc.is_null(t))
        if pc.any(blank).as_py():
            keep = pc.invert(blank)
            rows = rows.filter(keep)
            original = [c.filter(keep) for c in original]
            trimmed = [t.filter(keep) for t in trimmed]
    checked = CheckedBatch(rows=rows, original=original, values={})
    if rules is not None:
        trimmed += rules.derive(trimmed, checked.add_mask)

    for m in plan.columns:
        column = target.columns[m.target]
        text = trimmed[m.index]
        column_formats = formats
        if rules is not None:
            text = rules.values_of(m.target, text)
            if column.kind in ("money", "integer"):
                shown = text
                text, misread, why = rules.number_text(text)
                checked.add_mask(misread, m.source, why, shown)
            column_formats = rules.formats_for(m.target, formats)
        parsed = parse_column(text, column, column_formats)
        for mask, template in parsed.problems:
            checked.add_mask(mask, m.source, template, text)
        values = parsed.values
        if column.default is not None:
            values = pc.fill_null(values, pa.scalar(column.default, values.type))
        elif column.required:
            reason = f"is blank, but {target.name}.{column.name} is required"
            checked.add_mask(pc.is_null(text), m.source, reason, text)
        checked.values[m.target] = values

    n = len(rows)
    for column in target.columns.values():
        if column.name not in checked.values and column.primary_key and column.default is not None:
            checked.values[column.name] = pa.array([column.default] * n, pa.string())
    return checked
