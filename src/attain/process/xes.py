"""Reading XES, the standard file format of event logs, into the canonical event columns.

The file (unpacked when gzip) is scanned into one (event, key, value) row per event attribute:
by NumPy and Arrow over its bytes when its traces are in the regular shape writers give them
(`attain.process.xes_regular`, about a quarter of expat's time on BPIC 2012), else by the
standard library's expat parser, which calls back once per element and never builds a tree
(`attain.process.xes_scan`). Arrow turns the rows into columns (the last value of a repeated
key, nulls where an event lacks one) and converts them (timestamps to UTC, lifecycles to lower
case) in one pass each. Measured on BPIC 2012 (262,200 events) expat did the scan in about two
thirds of the time of lxml's `iterparse` with tag filtering and clearing, and far faster than
ElementTree's C tree builder, so no XML library is needed. A large file expat reads is split at
a trace past its middle and its second half scanned by a second process, when a core is idle.

    log = read_xes("bpic2012.xes.gz", amount="AMOUNT_REQ")
    log.events.num_rows  # 262200
"""

from __future__ import annotations

import gzip
import os
import pickle
import re
import subprocess
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from attain.process.file_log import CASE_COLUMNS, FileLog
from attain.process.xes_columns import ScanColumns, of_scans
from attain.process.xes_regular import scan_regular
from attain.process.xes_scan import Scan, ScanError, scan

NAME, TIME, RESOURCE, LIFECYCLE = (
    "concept:name",
    "time:timestamp",
    "org:resource",
    "lifecycle:transition",
)
"""The standard attributes (XES extensions concept, time, org, lifecycle) the columns come from."""

AMOUNT = pa.decimal128(24, 6)
NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)$"
ZONED = r"(Z|[+-]\d\d:?\d\d)$"
SPLIT_BYTES = 16 << 20
"""From this size (unpacked) a file is scanned in two processes, each half by one, when a
second core is idle: on a busy machine the second process only waits for a core, and costs
its start and the hand-over of its half (about a second of CPU on BPIC 2012)."""


class XesError(ValueError):
    """An XES file that cannot be read as an event log: the message names the file and line."""


XesLog = FileLog
"""What `read_xes` returns: the file's events and cases."""


def read_xes(path: Path | str, *, keep: Sequence[str] = (), amount: str | None = None) -> FileLog:
    """Read an XES file (plain or gzip) into events and cases.

    `keep` names further event attributes to keep as string columns (named by their key);
    `amount` names the trace attribute that is each case's amount (a number). Every trace
    attribute is kept as a string column of `cases`.
    """
    path = Path(path)
    if not path.is_file():
        raise XesError(f"{path.name}: no such file")
    found = _scan(path, tuple(keep))
    return FileLog(_events(path.name, found), _cases(path.name, found, amount))


class _Collected:
    """What the scan found (see `ScanColumns`), with every event attribute as one row
    (event, key, value) that Arrow turns into columns."""

    def __init__(self, keep: tuple[str, ...], found: ScanColumns):
        self.keep = keep
        self.events = len(found.lines)
        self.event_of = found.event_of
        self.keys = found.keys
        self.values = found.values
        self.lines = found.lines
        self.first_event = found.first_event
        self.traces = found.traces
        self.trace_lines = found.trace_lines

    def column(self, key: str) -> pa.Array:
        """The event attribute `key` of every event (null where an event lacks it; the last one
        where an event repeats it)."""
        rows = np.flatnonzero(pc.equal(self.keys, key).to_numpy(zero_copy_only=False))
        events = self.event_of[rows]
        last = len(events) - 1 - np.unique(events[::-1], return_index=True)[1]
        at = np.full(self.events, -1, dtype=np.int64)
        at[events[last]] = rows[last]
        return pc.take(self.values, pa.array(at, mask=at < 0))

    def trace_of(self) -> np.ndarray:
        """The index of each event's trace."""
        counts = np.diff(np.append(self.first_event, self.events))
        return np.repeat(np.arange(len(counts), dtype=np.int64), counts)


def _read(path: Path) -> bytes:
    """The whole document, unpacked when it is gzip."""
    with path.open("rb") as head:
        magic = head.read(2)
    try:
        if magic == b"\x1f\x8b":
            with gzip.open(path, "rb") as stream:
                return stream.read()
        return path.read_bytes()
    except (OSError, EOFError, zlib.error) as exc:
        raise XesError(f"{path.name}: cannot be read: {exc}") from None


def _scan(path: Path, keep: tuple[str, ...]) -> _Collected:
    """Scan the file: over its bytes when it is in the regular shape, else by expat, in two
    processes when it is large and there is a second core."""
    data = _read(path)
    regular = scan_regular(data)
    if regular is not None:
        return _Collected(keep, regular)
    if len(data) >= SPLIT_BYTES and _idle_core():
        halves = _scan_halves(path.name, data, keep)
        if halves is not None:
            return halves
    try:
        return _Collected(keep, of_scans([scan(data, path.name)], [0]))
    except ScanError as exc:
        raise XesError(str(exc)) from None


def _idle_core() -> bool:
    """Whether a second core is free: the last minute's load leaves one idle."""
    return os.getloadavg()[0] <= (os.cpu_count() or 1) - 1


TRACE_START = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?)trace[\s/>]")


def _scan_halves(file: str, data: bytes, keep: tuple[str, ...]) -> _Collected | None:
    """Scan the part from the first trace that starts past the middle in a second Python process
    (which runs `xes_scan.py`, standard library only) while this one scans the part before it.
    None when that split does not hold (no trace there, or it is inside a comment or CDATA,
    or either part is not well-formed): the caller then scans the file whole, which also words
    any error exactly."""
    found = TRACE_START.search(data, len(data) // 2)
    if found is None:
        return None
    split, root = found.start(), found.group(1).decode() + "log"
    with subprocess.Popen(
        [sys.executable, "-I", str(Path(__file__).with_name("xes_scan.py")), root],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    ) as second:
        assert second.stdin is not None and second.stdout is not None
        try:
            second.stdin.write(memoryview(data)[split:])
            second.stdin.close()
            first = scan(data[:split] + f"</{root}>".encode(), file)
            out = second.stdout.read()
        except (ScanError, OSError):
            second.kill()
            return None
        if second.wait() != 0:
            return None
    rest = Scan(**pickle.loads(out))
    return _Collected(keep, of_scans([first, rest], [0, data.count(b"\n", 0, split)]))


def _first(mask: pa.Array) -> int:
    """The index of the first true value of a boolean array, or -1."""
    return int(pc.index(pc.fill_null(mask, False), True).as_py())


def _events(file: str, found: _Collected) -> pa.Table:
    names, times = found.column(NAME), found.column(TIME)
    for values, key in ((names, NAME), (times, TIME)):
        missing = _first(pc.is_null(values))
        if missing >= 0:
            raise XesError(f"{file}, line {found.lines[missing]}: event without {key}")
    case_ids = _case_ids(file, found)
    n = found.events
    columns: dict[str, pa.Array] = {
        "case_id": pc.take(case_ids, pa.array(found.trace_of())),
        "activity": names,
        "at": _timestamps(file, found, times),
        "position": pa.array(np.arange(n, dtype=np.int64)),
        "resource": found.column(RESOURCE),
        "lifecycle": pc.utf8_lower(found.column(LIFECYCLE)),
        "resource_team": pa.nulls(n, pa.string()),
    }
    for k in found.keep:
        if k not in columns:
            columns[k] = found.column(k)
    return pa.table(columns)


def _case_ids(file: str, found: _Collected) -> pa.Array:
    """Each trace's `concept:name`: required, and unique (a case is one trace)."""
    case_ids = pa.array([t.get(NAME) for t in found.traces], pa.string())
    missing = _first(pc.is_null(case_ids))
    if missing >= 0:
        raise XesError(f"{file}, line {found.trace_lines[missing]}: trace without {NAME}")
    if pc.count_distinct(case_ids).as_py() != len(case_ids):
        seen: dict[str, int] = {}
        for i, case in enumerate(case_ids.to_pylist()):  # names the repeat: an error path only
            if case in seen:
                raise XesError(
                    f"{file}, line {found.trace_lines[i]}: trace {case!r} again "
                    f"(first at line {found.trace_lines[seen[case]]})"
                )
            seen[case] = i
    return case_ids


def _timestamps(file: str, found: _Collected, times: pa.Array) -> pa.Array:
    """Every `time:timestamp` as a naive UTC timestamp; a value without an offset is UTC."""
    text = times
    zoned = pc.match_substring_regex(text, ZONED)
    text = pc.if_else(zoned, text, pc.binary_join_element_wise(text, "Z", ""))
    try:
        at = pc.cast(text, pa.timestamp("us", tz="UTC"))
    except pa.ArrowInvalid:
        for i, value in enumerate(text.to_pylist()):  # names the bad value: an error path only
            try:
                pc.cast(pa.array([value]), pa.timestamp("us", tz="UTC"))
            except pa.ArrowInvalid:
                shown = times[i].as_py()
                raise XesError(
                    f"{file}, line {found.lines[i]}: {TIME} {shown!r} is not a date-time "
                    "(like 2011-10-01T00:38:44.546+02:00)"
                ) from None
        raise
    return pc.cast(at, pa.timestamp("us"))


def _cases(file: str, found: _Collected, amount: str | None) -> pa.Table:
    traces = found.traces
    n = len(traces)
    columns: dict[str, pa.Array] = {
        "case_id": pa.array([t.get(NAME) for t in traces], pa.string()),
        "amount": _amounts(file, found, amount) if amount else pa.nulls(n, AMOUNT),
    }
    for c in CASE_COLUMNS:
        columns[c] = pa.array([t.get(c) for t in traces], pa.string())
    keys: dict[str, None] = {}
    for t in traces:
        keys.update(dict.fromkeys(t))
    for k in keys:
        if k == NAME or k in CASE_COLUMNS:
            continue
        name = f"{k}_attribute" if k in columns else k
        columns[name] = pa.array([t.get(k) for t in traces], pa.string())
    return pa.table(columns)


def _amounts(file: str, found: _Collected, key: str) -> pa.Array:
    """The trace attribute `key` as exact decimals; a trace without it has no amount."""
    text = pc.utf8_trim_whitespace(pa.array([t.get(key) for t in found.traces], pa.string()))
    if len(text) and pc.all(pc.is_null(text)).as_py():
        raise XesError(f"{file}: no trace has the attribute {key!r} named as the amount")
    bad = _first(pc.invert(pc.match_substring_regex(text, NUMBER)))
    if bad >= 0:
        raise XesError(
            f"{file}, line {found.trace_lines[bad]}: {key} {text[bad].as_py()!r} is not a number"
        )
    return pc.cast(pc.round(pc.cast(text, pa.decimal128(38, 12)), 6), AMOUNT)
