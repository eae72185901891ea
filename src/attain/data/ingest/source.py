"""A file to import, read as batches of text columns with the row numbers a user sees.

Every format is read into the same shape, so validation is written once: one string array per
column of the header, the values as the file spells them (CSV text, spreadsheet cells rendered as
text, Parquet values cast to text), plus any rows that could not be split into columns.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pyarrow as pa

from attain.data.ingest.problems import ImportFailed

DEFAULT_BATCH_ROWS = 50_000
"""Rows validated and written at a time: large enough to vectorise, small enough for memory."""


@dataclass(frozen=True)
class BrokenRow:
    """A row that does not fit the header (too few or too many fields)."""

    row: int
    fields: list[str]
    reason: str


@dataclass
class RawBatch:
    """Some rows of the file: their row numbers and one text array per header column."""

    rows: pa.Array
    columns: list[pa.Array]
    broken: list[BrokenRow] = field(default_factory=list)
    done: int = 0
    """How far through the file this batch ends, in the source's progress unit."""

    @property
    def num_rows(self) -> int:
        return len(self.rows)


class Source(Protocol):
    """A readable file: its header, and its rows in batches."""

    label: str
    header: list[str]
    float_columns: set[int]
    """Columns stored as binary floating point (only Parquet has them); money refuses them."""
    total: int | None
    unit: str

    def batches(self) -> Iterator[RawBatch]: ...


def file_format(path: Path) -> str:
    """`csv`, `xlsx` or `parquet`, from the file's name (a `.gz` CSV is read as it streams)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes[-1:] == [".gz"]:
        suffixes = suffixes[:-1]
    ext = suffixes[-1] if suffixes else ""
    if ext in (".csv", ".tsv", ".txt"):
        return "csv"
    if ext in (".xlsx", ".xlsm"):
        return "xlsx"
    if ext in (".parquet", ".pq"):
        return "parquet"
    raise ImportFailed(
        f"{path.name}: unknown file type {ext or '(no extension)'!r}; "
        "attain reads .csv (also .tsv, .csv.gz), .xlsx and .parquet files"
    )


def open_source(
    path: Path,
    *,
    label: str | None = None,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    sheet: str | None = None,
    delimiter: str | None = None,
) -> Source:
    """The file at `path` ready to read; errors (missing, empty, unreadable) say which file."""
    label = label or str(path)
    if not path.is_file():
        raise ImportFailed(f"{label}: no such file")
    fmt = file_format(path)
    if fmt == "csv":
        from attain.data.ingest.read_csv import CsvSource

        return CsvSource(path, label, batch_rows, delimiter)
    if fmt == "xlsx":
        from attain.data.ingest.read_xlsx import XlsxSource

        return XlsxSource(path, label, batch_rows, sheet)
    from attain.data.ingest.read_parquet import ParquetSource

    return ParquetSource(path, label, batch_rows)
