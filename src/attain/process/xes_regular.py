"""The scan of an XES document in its regular shape over its bytes, without expat.

Writers of XES (OpenXES, pm4py) put the traces one after another as flat elements: `<trace>`,
the trace's attributes and events, each event's attributes one element each,
`<string key="..." value="..."/>` (or date, int, float, boolean, id). Such a run of traces is
checked against that shape by one regular expression (RE2's automaton, through Arrow), after
which every `<` starts an element whose kind its next letters tell and every `"` opens or
closes a key or a value, four to an attribute: NumPy finds them all, and keys and values are
cut from the file's memory by their quotes' positions. Expat instead calls Python twice per
element, most of a large file's reading time.

Anything else in the run (a comment, CDATA, an entity or character reference, a nested
attribute, single quotes, text, a carriage return) and `scan_regular` returns None, leaving the
file to expat. The rest of the document (its prolog, the log's own attributes, its end) is
parsed by expat with the run replaced by one empty trace, which must then be a child of the
root `<log>`: so a file read here is one expat reads as well-formed, and the scan finds what
expat's finds, line numbers included.
"""

from __future__ import annotations

from xml.parsers import expat

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from attain.process.xes_columns import ScanColumns

_SPACE = "[ \t\n]"
_QUOTED = '"[^"<&\\x00-\\x1f\\x{FFFE}\\x{FFFF}]*"'
RUN = (
    f"^(?:<(?:/?(?:trace|event)|(?:string|date|int|float|boolean|id){_SPACE}+key={_QUOTED}"
    f"{_SPACE}+value={_QUOTED}{_SPACE}*/)>{_SPACE}*)*$"
)
"""A run of traces in the regular shape: starts and ends of traces and events, and attributes."""
LARGEST_RUN = (1 << 31) - 1
"""Arrow's offsets into one text are 32-bit: a run of traces ending further is left to expat."""
LT, QUOTE, NEWLINE, SLASH = (ord(c) for c in '<"\n/')


def scan_regular(data: bytes) -> ScanColumns | None:
    """What expat's scan of the whole document finds, or None when it is not in the regular
    shape (or not well-formed)."""
    start, end = data.find(b"<trace>"), data.rfind(b"</trace>")
    if start < 0 or end < start:
        return None
    end += len(b"</trace>")
    head = data[:start]
    if end > LARGEST_RUN or b"\r" in head or not _frame_holds(head, data[end:]):
        return None
    run = _texts(data, np.array([start, end], dtype=np.int32))
    try:
        run.validate(full=True)  # UTF-8
    except pa.ArrowInvalid:
        return None
    if not pc.match_substring_regex(run, RUN)[0].as_py():
        return None
    return _columns(data, start, end, 1 + head.count(b"\n"))


def _texts(data: bytes, offsets: np.ndarray) -> pa.Array:
    """The texts of `data` between consecutive `offsets` (int32), over the same memory."""
    return pa.Array.from_buffers(
        pa.string(), len(offsets) - 1, [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    )


def _frame_holds(head: bytes, tail: bytes) -> bool:
    """Whether the document around the run, the run replaced by one empty trace, is well-formed
    UTF-8 XML without a DTD whose root is `<log>`, with that trace as its only one, a child
    of the root."""
    parser = expat.ParserCreate()
    depth, root, traces, holds = 0, "", [], True

    def start(tag: str, attrs: object) -> None:
        nonlocal depth, root
        depth += 1
        if depth == 1:
            root = tag
        elif depth == 2 and tag == "trace":
            traces.append(parser.CurrentByteIndex)

    def end(tag: str) -> None:
        nonlocal depth
        depth -= 1

    def declared(version: str, encoding: str | None, standalone: int) -> None:
        nonlocal holds
        holds = holds and (encoding is None or encoding.lower() == "utf-8")

    def doctype(*args: object) -> None:
        nonlocal holds
        holds = False

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.XmlDeclHandler = declared
    parser.StartDoctypeDeclHandler = doctype
    try:
        parser.Parse(head + b"<trace/>" + tail, True)
    except expat.ExpatError:
        return False
    return holds and root == "log" and traces == [len(head)]


def _columns(data: bytes, start: int, end: int, first_line: int) -> ScanColumns | None:
    """The scan's arrays from a run of traces `data[start:end]` in the regular shape, or None
    when its elements do not nest as traces of events."""
    run = np.frombuffer(data, np.uint8, count=end - start, offset=start)
    at = np.flatnonzero(run == LT)  # every element's start, in the run
    first, second = run[at + 1], run[at + 2]
    closes = first == SLASH
    trace, event = first == ord("t"), first == ord("e")
    closes_trace = closes & (second == ord("t"))
    attribute = ~(trace | event | closes)
    step = trace.astype(np.int8) + event - closes
    before = np.cumsum(step, dtype=np.int64) - step  # 0 between traces, 1 in one, 2 in an event
    quotes = np.flatnonzero(run == QUOTE) + start
    nests = (
        before[-1] + step[-1] == 0
        and (before[trace] == 0).all()
        and (before[event] == 1).all()
        and (before[closes_trace] == 1).all()
        and (before[closes & ~closes_trace] == 2).all()
        and (before[attribute] >= 1).all()
        and len(quotes) == 4 * int(attribute.sum())
    )
    if not nests:
        return None
    newlines = np.flatnonzero(run == NEWLINE)
    line = first_line + np.searchsorted(newlines, at)
    quotes[0::2] += 1  # a key or value starts after its opening quote, ends at its closing one
    bounds = quotes.astype(np.int32) if len(quotes) else np.zeros(1, np.int32)
    cut = _texts(data, bounds)  # key, between, value, between, ...
    of_event = before[attribute] == 2
    rows = np.arange(0, len(quotes), 4)
    events_yet = np.cumsum(event, dtype=np.int64)
    trace_of = np.cumsum(trace, dtype=np.int64)[attribute][~of_event] - 1
    traces: list[dict[str, str]] = [{} for _ in range(int(trace.sum()))]
    named = rows[~of_event]
    for t, k, v in zip(
        trace_of.tolist(),
        cut.take(pa.array(named)).to_pylist(),
        cut.take(pa.array(named + 2)).to_pylist(),
        strict=True,
    ):
        traces[t][k] = v
    return ScanColumns(
        event_of=events_yet[attribute][of_event] - 1,
        keys=cut.take(pa.array(rows[of_event])),
        values=cut.take(pa.array(rows[of_event] + 2)),
        lines=line[event],
        first_event=events_yet[trace],
        traces=traces,
        trace_lines=line[trace],
    )
