"""The scan of an XES document's elements by expat, collecting the strings the log is built from.

It imports nothing but the standard library, so that a second Python process can run this file
on the second half of a large log while the first half is scanned here (see `attain.process.xes`):
run as a script it reads a part of a document on stdin (its root element's name as argument) and
writes what it found, pickled, on stdout. The handlers do the least they can per element, since
expat calls Python twice for each: attributes come as flat lists, the end of an element only
counts depth, and an event attribute is three appends of one row (event, key, value).
"""

from __future__ import annotations

import pickle
import sys
from dataclasses import dataclass, field
from xml.parsers import expat


class ScanError(ValueError):
    """The document is no XES log or no well-formed XML: the message names the file and line."""


@dataclass
class Scan:
    """What the scan found, in document order."""

    event_of: list[int] = field(default_factory=list)
    """For every event attribute, the index of its event ..."""
    keys: list[str] = field(default_factory=list)
    """... its key ..."""
    values: list[str | None] = field(default_factory=list)
    """... and its value."""
    lines: list[int] = field(default_factory=list)
    """The line of every event."""
    first_event: list[int] = field(default_factory=list)
    """The index of every trace's first event (its events follow, up to the next trace's)."""
    traces: list[dict[str, str]] = field(default_factory=list)
    """The attributes of every trace."""
    trace_lines: list[int] = field(default_factory=list)
    """The line of every trace."""


def scan(data: bytes, file: str) -> Scan:
    """Scan a whole document. Events are children of a trace, itself a child of the log; their
    attributes are their direct children (nested attributes are ignored)."""
    found = Scan()
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.ordered_attributes = True
    where = parser  # CurrentLineNumber is read per event and trace only
    add_event, add_key, add_value = found.event_of.append, found.keys.append, found.values.append
    add_line, traces = found.lines.append, found.traces
    depth, event, in_event = 0, -1, False
    trace: dict[str, str] | None = None
    trace_tag, event_tag = "trace", "event"

    def start(tag: str, attrs: list[str]) -> None:
        nonlocal depth, in_event, event, trace, trace_tag, event_tag
        depth += 1
        if depth == 4:
            if in_event:
                if len(attrs) == 4 and attrs[0] == "key" and attrs[2] == "value":
                    add_event(event)
                    add_key(attrs[1])
                    add_value(attrs[3])
                else:
                    named = dict(zip(attrs[::2], attrs[1::2], strict=False))
                    if "key" in named:
                        add_event(event)
                        add_key(named["key"])
                        add_value(named.get("value"))
        elif depth == 3:
            in_event = tag == event_tag and trace is not None
            if in_event:
                event += 1
                add_line(where.CurrentLineNumber)
            elif trace is not None:
                named = dict(zip(attrs[::2], attrs[1::2], strict=False))
                if "key" in named and "value" in named:
                    trace[named["key"]] = named["value"]
        elif depth == 2:
            in_event = False
            trace = None
            if tag == trace_tag:
                trace = {}
                traces.append(trace)
                found.trace_lines.append(where.CurrentLineNumber)
                found.first_event.append(event + 1)
        elif depth == 1:
            prefix = tag.split(":", 1)[0] + ":" if ":" in tag else ""
            trace_tag, event_tag = prefix + "trace", prefix + "event"
            if tag != prefix + "log":
                raise ScanError(f"{file}: not an XES log (its root is <{tag}>, not <log>)")

    def end(tag: str) -> None:
        nonlocal depth
        depth -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        problem = expat.ErrorString(exc.code)
        raise ScanError(f"{file}, line {exc.lineno}: not well-formed XML: {problem}") from None
    return found


def _second_half() -> None:
    """Scan the part of a document on stdin, inside a root element named by the argument."""
    root = sys.argv[1].encode()
    found = scan(b"<" + root + b">" + sys.stdin.buffer.read(), "part")
    sys.stdout.buffer.write(pickle.dumps(found.__dict__, protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    _second_half()
