"""Excel workbooks (.xlsx), read row by row in openpyxl's read-only mode so memory stays flat.

Cells are rendered as the text a CSV export would hold: numbers as the decimal Excel stored
(shortest exact form, never scientific notation), date cells as ISO dates, date-time cells as ISO
date-times, so the same validation applies to every format.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa

from attain.data.ingest.problems import ImportFailed
from attain.data.ingest.source import RawBatch


def cell_text(value: Any) -> str:
    """A cell's value as text; floats become the decimal they stand for, not `1e-07`."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


class XlsxSource:
    """One sheet of a workbook (the first unless named); its first row names the columns."""

    unit = "rows"

    def __init__(self, path: Path, label: str, batch_rows: int, sheet: str | None) -> None:
        self.path = path
        self.label = label
        self.batch_rows = batch_rows
        self.sheet = sheet
        self.float_columns: set[int] = set()
        book, sheet_ = self._open()
        try:
            self.total: int | None = sheet_.max_row
            first = next(sheet_.iter_rows(values_only=True), None)
        finally:
            book.close()
        if first is None or not any(v is not None and str(v).strip() for v in first):
            raise ImportFailed(f"{label}: the sheet is empty (not even a header row)")
        names = [cell_text(v).strip() for v in first]
        while names and not names[-1]:
            names.pop()
        self.header = names

    def _open(self) -> tuple[Any, Any]:
        import openpyxl

        try:
            book = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
            raise ImportFailed(
                f"{self.label}: not a readable Excel workbook (.xlsx): {e}"
            ) from None
        if self.sheet is None:
            sheet = book.worksheets[0]
        elif self.sheet in book.sheetnames:
            sheet = book[self.sheet]
        else:
            names = ", ".join(book.sheetnames)
            book.close()
            raise ImportFailed(
                f"{self.label}: no sheet named {self.sheet!r}; the sheets are: {names}"
            )
        return book, sheet

    def batches(self) -> Iterator[RawBatch]:
        book, sheet = self._open()
        sheet_rows = sheet.iter_rows(values_only=True)
        next(sheet_rows, None)
        width = len(self.header)
        row_number = 1
        rows: list[int] = []
        fields: list[list[str]] = [[] for _ in range(width)]
        try:
            for values in sheet_rows:
                row_number += 1
                rows.append(row_number)
                cells = list(values[:width]) + [None] * (width - len(values))
                for column, value in zip(fields, cells, strict=True):
                    column.append(cell_text(value))
                if len(rows) >= self.batch_rows:
                    yield self._batch(rows, fields, row_number)
                    rows, fields = [], [[] for _ in range(width)]
            if rows:
                yield self._batch(rows, fields, row_number)
        finally:
            book.close()

    def _batch(self, rows: list[int], fields: list[list[str]], done: int) -> RawBatch:
        return RawBatch(
            rows=pa.array(rows, pa.int64()),
            columns=[pa.array(column, pa.string()) for column in fields],
            done=done,
        )
