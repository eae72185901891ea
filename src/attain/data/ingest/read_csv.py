"""CSV files (also .tsv and .csv.gz): read with Arrow's streaming reader, checked with Python's.

Arrow splits the file into columns fast. A row that does not fit the header cannot be placed by
Arrow's reader, so from the first such row on the file is read by Python's `csv` module instead,
which reports each broken row by its number and keeps every other row.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from attain.data.ingest.encoding import not_utf8
from attain.data.ingest.problems import ImportFailed
from attain.data.ingest.source import BrokenRow, RawBatch

DELIMITERS = (",", ";", "\t", "|")


class _CountingFile(io.RawIOBase):
    """A file that counts the bytes read from it, for the progress bar."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        n = self.raw.readinto(buffer)  # type: ignore[attr-defined]
        self.count += n or 0
        return int(n or 0)

    def close(self) -> None:
        self.raw.close()
        super().close()


class _Ragged(Exception):
    """Arrow met a row it cannot place (wrong number of fields, a value larger than a block);
    Python's reader takes over from there."""


class CsvSource:
    """A delimited text file whose first row names the columns."""

    unit = "bytes"

    def __init__(self, path: Path, label: str, batch_rows: int, delimiter: str | None) -> None:
        self.path = path
        self.label = label
        self.batch_rows = batch_rows
        self.float_columns: set[int] = set()
        self.total: int | None = path.stat().st_size
        self._counter: _CountingFile | None = None
        head = self._head_text()
        self._handed_on = len(head.split("\n", 1)[0].encode()) + 1
        if not head.strip():
            raise ImportFailed(f"{label}: the file is empty (not even a header row)")
        self.delimiter = delimiter or self._sniff_delimiter(head)
        first = next(csv.reader(io.StringIO(head), delimiter=self.delimiter), [])
        self.header = [name.strip() for name in first]
        if not any(self.header):
            raise ImportFailed(f"{label}: the first row should name the columns, but it is blank")

    @contextmanager
    def _open_bytes(self) -> Iterator[BinaryIO]:
        counter = _CountingFile(open(self.path, "rb"))  # noqa: SIM115
        self._counter = counter
        stream: BinaryIO = io.BufferedReader(counter, 1 << 20)
        if self.path.suffix.lower() == ".gz":
            stream = gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[assignment]
        try:
            yield stream
        finally:
            stream.close()

    @property
    def done(self) -> int:
        return self._counter.count if self._counter else 0

    def _head_text(self) -> str:
        with self._open_bytes() as f:
            head = f.read(1 << 20)
        try:
            return head.decode("utf-8-sig", errors="strict") if head else ""
        except UnicodeDecodeError as e:
            if e.start < len(head) - 3:
                raise not_utf8(self.label, self._raw_opener) from None
            return head[: e.start].decode("utf-8-sig")

    def _raw_opener(self) -> BinaryIO:
        if self.path.suffix.lower() == ".gz":
            return gzip.open(self.path, "rb")  # type: ignore[return-value]
        return open(self.path, "rb")

    def _sniff_delimiter(self, head: str) -> str:
        if self.path.name.lower().removesuffix(".gz").endswith(".tsv"):
            return "\t"
        first_line = head.splitlines()[0] if head else ""
        counts = {d: first_line.count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] > 0 else ","

    def batches(self) -> Iterator[RawBatch]:
        emitted = 0
        try:
            for batch in self._arrow_batches():
                emitted += batch.num_rows
                yield batch
            return
        except _Ragged:
            pass
        yield from self._python_batches(skip=emitted)

    def _batch(self, first_record: int, columns: list[pa.Array]) -> RawBatch:
        n = len(columns[0]) if columns else 0
        rows = pa.array(range(first_record + 2, first_record + 2 + n), pa.int64())
        return RawBatch(rows=rows, columns=columns, done=self._done_after(columns))

    def _done_after(self, columns: list[pa.Array]) -> int:
        """How far the rows handed on so far reach into the file, in bytes.

        Arrow reads far ahead of the rows it hands on, so the bytes read overstate the progress;
        the size of the values (plus a delimiter or newline after each) is close to the truth.
        Compressed files can only be measured by what was read.
        """
        if self.path.suffix.lower() == ".gz" or not columns:
            return self.done
        size = sum(pc.sum(pc.binary_length(c)).as_py() or 0 for c in columns)
        self._handed_on += size + len(columns[0]) * len(columns)
        return min(self._handed_on, self.total or self._handed_on)

    def _arrow_batches(self) -> Iterator[RawBatch]:
        ragged: list[object] = []

        def on_invalid_row(row: object) -> str:
            ragged.append(row)
            return "skip"

        names = [f"c{i}" for i in range(len(self.header))]
        read = pcsv.ReadOptions(column_names=names, block_size=1 << 20, use_threads=False)
        parse = pcsv.ParseOptions(
            delimiter=self.delimiter,
            newlines_in_values=True,
            ignore_empty_lines=False,
            invalid_row_handler=on_invalid_row,
        )
        convert = pcsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        )
        emitted = 0
        pending: list[pa.RecordBatch] = []
        pending_rows = 0
        with self._open_bytes() as stream:
            try:
                reader = pcsv.open_csv(
                    stream, read_options=read, parse_options=parse, convert_options=convert
                )
                header_row = True
                for record_batch in reader:
                    if ragged:
                        raise _Ragged
                    if header_row:
                        record_batch = record_batch.slice(1)
                        header_row = False
                    pending.append(record_batch)
                    pending_rows += record_batch.num_rows
                    while pending_rows >= self.batch_rows:
                        table = pa.Table.from_batches(pending)
                        head = table.slice(0, self.batch_rows)
                        rest = table.slice(self.batch_rows)
                        yield self._batch(emitted, [c.combine_chunks() for c in head.columns])
                        emitted += self.batch_rows
                        pending = rest.to_batches()
                        pending_rows = rest.num_rows
                if ragged:
                    raise _Ragged
                if pending_rows:
                    table = pa.Table.from_batches(pending)
                    yield self._batch(emitted, [c.combine_chunks() for c in table.columns])
            except pa.ArrowInvalid as e:
                if "UTF8" in str(e) or "UTF-8" in str(e):
                    raise not_utf8(self.label, self._raw_opener) from None
                raise _Ragged from None

    def _python_batches(self, skip: int) -> Iterator[RawBatch]:
        width = len(self.header)
        with self._open_bytes() as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            record = skip
            try:
                reader = csv.reader(text, delimiter=self.delimiter)
                next(reader, None)
                for _ in range(skip):
                    next(reader, None)
                record = skip
                rows: list[int] = []
                fields: list[list[str]] = [[] for _ in range(width)]
                broken: list[BrokenRow] = []
                for values in reader:
                    record += 1
                    row = record + 1
                    if len(values) != width:
                        fitted = _fit(values, width)
                        if fitted is None:
                            broken.append(BrokenRow(row, values, _ragged_reason(values, width)))
                            continue
                        values = fitted
                    rows.append(row)
                    for column, value in zip(fields, values, strict=True):
                        column.append(value)
                    if len(rows) + len(broken) >= self.batch_rows:
                        yield self._python_batch(rows, fields, broken)
                        rows, fields, broken = [], [[] for _ in range(width)], []
                if rows or broken:
                    yield self._python_batch(rows, fields, broken)
            except UnicodeDecodeError:
                raise not_utf8(self.label, self._raw_opener) from None
            except csv.Error as e:
                raise ImportFailed(
                    f"{self.label}:{record + 2}: cannot be read as CSV: {e}"
                ) from None

    def _python_batch(
        self, rows: list[int], fields: list[list[str]], broken: list[BrokenRow]
    ) -> RawBatch:
        return RawBatch(
            rows=pa.array(rows, pa.int64()),
            columns=[pa.array(column, pa.string()) for column in fields],
            broken=broken,
            done=self.done,
        )


def _fit(values: list[str], width: int) -> list[str] | None:
    """A blank line, or a row whose extra fields are all empty, fitted to the header's width."""
    if not values:
        return [""] * width
    if len(values) > width and not any(v.strip() for v in values[width:]):
        return values[:width]
    return None


def _ragged_reason(values: list[str], width: int) -> str:
    found = len(values)
    hint = " (a value containing the delimiter must be in quotes)" if found > width else ""
    return f"has {found} fields but the header has {width}{hint}"
