"""The scan of an XES document in its regular shape by Arrow over the bytes, without expat.

Writers of XES (OpenXES, pm4py) put the traces one after another as flat elements: `<trace>`,
the trace's attributes and events, each event's attributes one element each,
`<string key="..." value="..."/>` (or date, int, float, boolean, id). Cut at every `<`, such a
run of traces is a column of short texts: Arrow checks each against that shape, tells them
apart by their first letters and picks out keys and values, where expat calls Python twice per
element (most of a large file's reading time). Anything else in the run (a comment, CDATA, an
entity or character reference, a nested attribute, text, a carriage return) and `scan_regular`
returns None, leaving the file to expat. The rest of the document (its prolog, the log's own
attributes, its end) is parsed by expat with the run replaced by one empty trace, which must
then be a child of the root `<log>`: so a file read here is one expat reads as well-formed, and
the scan finds what expat's finds, line numbers included.
"""

from __future__ import annotations

from xml.parsers import expat

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from attain.process.xes_columns import ScanColumns

_SPACE = "[ \t\n]"
_QUOTED = "(?:\"[^\"<&\\x00-\\x1f\\x{FFFE}\\x{FFFF}]*\"|'[^'<&\\x00-\\x1f\\x{FFFE}\\x{FFFF}]*')"
_PAIR = f"key=(?P<key>{_QUOTED}){_SPACE}+value=(?P<value>{_QUOTED})"
PIECE = (
    f"^(?:/?(?:trace|event)|(?:string|date|int|float|boolean|id){_SPACE}+{_PAIR}{_SPACE}*/)"
    f">{_SPACE}*$"
)
"""What follows each `<` of the run: a trace's or an event's start or end, or an attribute."""
LARGEST_RUN = (1 << 31) - 1
"""Arrow's offsets into one text are 32-bit: a run of traces ending further is left to expat."""


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
    try:
        pieces = pc.list_flatten(pc.split_pattern(_text(data, start, end), "<"))[1:]
        pieces = pieces.cast(pa.string())
    except pa.ArrowInvalid:  # not UTF-8
        return None
    if not pc.all(pc.match_substring_regex(pieces, PIECE)).as_py():
        return None
    return _columns(pieces, 1 + head.count(b"\n"))


def _text(data: bytes, start: int, end: int) -> pa.Array:
    """`data[start:end]` as a one-text Arrow array over the same memory (no copy)."""
    offsets = pa.py_buffer(np.array([start, end], dtype=np.int32))
    return pa.Array.from_buffers(pa.binary(), 1, [None, offsets, pa.py_buffer(data)])


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


def _columns(pieces: pa.Array, first_line: int) -> ScanColumns | None:
    """The scan's arrays from the pieces of a run of traces (each the text after one `<`),
    or None when they do not nest as traces of events."""
    trace = pc.starts_with(pieces, "trace>").to_numpy(zero_copy_only=False)
    event = pc.starts_with(pieces, "event>").to_numpy(zero_copy_only=False)
    closes = pc.starts_with(pieces, "/").to_numpy(zero_copy_only=False)
    closes_trace = closes & pc.starts_with(pieces, "/trace>").to_numpy(zero_copy_only=False)
    attribute = ~(trace | event | closes)
    step = trace.astype(np.int8) + event - closes
    before = np.cumsum(step, dtype=np.int64) - step  # 0 between traces, 1 in one, 2 in an event
    nests = (
        before[-1] + step[-1] == 0
        and (before[trace] == 0).all()
        and (before[event] == 1).all()
        and (before[closes_trace] == 1).all()
        and (before[closes & ~closes_trace] == 2).all()
        and (before[attribute] >= 1).all()
    )
    if not nests:
        return None
    newlines = pc.count_substring(pieces, "\n").to_numpy()
    line = first_line + np.cumsum(newlines, dtype=np.int64) - newlines
    events_yet = np.cumsum(event, dtype=np.int64)
    pairs = pc.extract_regex(pieces.filter(pa.array(attribute)), _PAIR)
    keys = pc.utf8_slice_codeunits(pairs.field("key"), 1, -1)
    values = pc.utf8_slice_codeunits(pairs.field("value"), 1, -1)
    of_event = before[attribute] == 2
    of_trace = pa.array(~of_event)
    traces: list[dict[str, str]] = [{} for _ in range(int(trace.sum()))]
    trace_of = np.cumsum(trace, dtype=np.int64)[attribute][~of_event] - 1
    for t, k, v in zip(
        trace_of.tolist(),
        keys.filter(of_trace).to_pylist(),
        values.filter(of_trace).to_pylist(),
        strict=True,
    ):
        traces[t][k] = v
    on_event = pa.array(of_event)
    return ScanColumns(
        event_of=events_yet[attribute][of_event] - 1,
        keys=keys.filter(on_event),
        values=values.filter(on_event),
        lines=line[event],
        first_event=events_yet[trace],
        traces=traces,
        trace_lines=line[trace],
    )
