"""Known references: a value that names a row elsewhere (`deals.owner` -> `people.id`) must
exist in the store, or earlier in the same file when a table refers to itself (a manager).

Checked on import rather than by foreign keys, because people are effective-dated and their
`id` repeats across versions.
"""

from __future__ import annotations

import difflib

import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from attain.data.ingest.target import Target, TargetColumn

SUGGEST_FROM_AT_MOST = 20_000
"""Above this many known values, unknown ones get no 'did you mean' (too slow to search)."""


class References:
    """The values each referring column may take: those in the store, plus this file's so far."""

    def __init__(self, conn: Connection, target: Target, columns: list[TargetColumn]) -> None:
        self.target = target
        self._known: dict[str, pa.Array] = {}
        self._from_file: dict[str, set[object]] = {}
        self._suggestions: dict[tuple[str, str], str | None] = {}
        metadata = sa.MetaData()
        for column in columns:
            assert column.ref is not None
            if column.ref in self._known:
                continue
            table_name, key = column.ref.split(".", 1)
            if table_name == target.name:
                table = target.table
                self._from_file[column.ref] = set()
            else:
                table = sa.Table(table_name, metadata, sa.Column(key))
            rows = conn.execute(sa.select(table.c[key]).distinct()).scalars().all()
            self._known[column.ref] = pa.array([str(v) for v in rows if v is not None], pa.string())

    def unknown(
        self, column: TargetColumn, values: pa.Array, batch_keys: pa.Array | None
    ) -> pa.Array:
        """A mask of the values that name nothing known.

        For a table referring to itself, `batch_keys` are this batch's accepted keys (null where
        a row is rejected): a value may name a row earlier in the batch, or the same row.
        """
        assert column.ref is not None
        known = _flag(pc.is_in(values, value_set=self._known[column.ref]))
        if column.ref in self._from_file:
            earlier = pa.array(list(self._from_file[column.ref]), pa.string())
            known = pc.or_(known, _flag(pc.is_in(values, value_set=earlier)))
            if batch_keys is not None:
                position = pc.index_in(values, value_set=batch_keys)
                here = pa.array(range(len(values)), pa.int32())
                known = pc.or_(known, _flag(pc.less_equal(position, here)))
        return pc.and_(pc.is_valid(values), pc.invert(known))

    def remember(self, ref: str, keys: pa.Array) -> None:
        """Accepted keys of this file, which later rows of a self-referring table may name."""
        if ref in self._from_file:
            self._from_file[ref].update(v for v in keys.to_pylist() if v is not None)

    def refers_to_itself(self, column: TargetColumn) -> bool:
        return column.ref in self._from_file

    def reason(self, column: TargetColumn, value: str) -> str:
        """Why `value` is refused, with the closest known value when there is one."""
        assert column.ref is not None
        cached = (column.ref, value)
        if cached not in self._suggestions:
            known = self._known[column.ref]
            close = None
            if len(known) <= SUGGEST_FROM_AT_MOST:
                earlier = [str(v) for v in self._from_file.get(column.ref, ())]
                pool = known.to_pylist() + earlier
                match = difflib.get_close_matches(value, pool, n=1, cutoff=0.75)
                close = match[0] if match else None
            self._suggestions[cached] = close
        close = self._suggestions[cached]
        hint = f"; did you mean {close!r}?" if close else ""
        table = column.ref.split(".", 1)[0]
        also = " nor earlier in this file" if column.ref in self._from_file else ""
        return f"{value!r} is not a known {column.ref} (not in the store's {table}{also}){hint}"


def _flag(mask: pa.Array) -> pa.Array:
    return pc.fill_null(mask, False)
