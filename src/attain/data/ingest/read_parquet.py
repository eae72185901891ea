"""Parquet files, read in row batches; each column is cast to text so one validator serves all.

Decimal, integer, date and timestamp columns cast to exact text. Binary floating-point columns are
remembered so that money columns can refuse them: a float cannot hold 0.10 exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from attain.data.ingest.problems import ImportFailed
from attain.data.ingest.source import RawBatch


def as_text(values: pa.Array) -> pa.Array:
    """A Parquet column as text, the way a CSV export would spell it."""
    t = values.type
    if pa.types.is_dictionary(t):
        return as_text(values.dictionary_decode())
    if pa.types.is_string(t):
        return values
    if pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return values.cast(pa.string())
    if pa.types.is_timestamp(t):
        if t.tz is not None:
            values = values.cast(pa.timestamp(t.unit, "UTC")).cast(pa.timestamp(t.unit))
        values = values.cast(pa.timestamp("us"), safe=False)
        return pc.strftime(values, format="%Y-%m-%d %H:%M:%S")
    if (
        pa.types.is_integer(t)
        or pa.types.is_floating(t)
        or pa.types.is_decimal(t)
        or pa.types.is_date(t)
        or pa.types.is_boolean(t)
        or pa.types.is_null(t)
        or pa.types.is_time(t)
    ):
        return values.cast(pa.string())
    raise TypeError(str(t))


class ParquetSource:
    """A Parquet file; its schema names the columns, and rows are numbered from 1."""

    unit = "rows"

    def __init__(self, path: Path, label: str, batch_rows: int) -> None:
        self.label = label
        self.batch_rows = batch_rows
        try:
            self._file = pq.ParquetFile(path)
        except (pa.ArrowInvalid, OSError) as e:
            raise ImportFailed(f"{label}: not a readable Parquet file: {e}") from None
        schema = self._file.schema_arrow
        self.header = list(schema.names)
        self.float_columns = {i for i, f in enumerate(schema) if pa.types.is_floating(f.type)}
        self.total: int | None = self._file.metadata.num_rows
        if not self.header:
            raise ImportFailed(f"{label}: the file has no columns")

    def batches(self) -> Iterator[RawBatch]:
        first = 1
        for record_batch in self._file.iter_batches(batch_size=self.batch_rows):
            columns = []
            for name, column in zip(self.header, record_batch.columns, strict=True):
                try:
                    columns.append(as_text(column))
                except TypeError:
                    raise ImportFailed(
                        f"{self.label}: column {name!r} holds {column.type} values, "
                        "which cannot be imported into a table column"
                    ) from None
            n = record_batch.num_rows
            rows = pa.array(range(first, first + n), pa.int64())
            first += n
            yield RawBatch(rows=rows, columns=columns, done=first - 1)
