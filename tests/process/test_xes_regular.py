"""The scan of XES in its regular shape finds exactly what expat's scan finds, or steps aside:
on the real logs, the project's fixtures, the broken files and generated documents with
escapes, nesting, comments and other shapes it does not read itself."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.process.xes_columns import ScanColumns, of_scans
from attain.process.xes_regular import scan_regular
from attain.process.xes_scan import ScanError, scan

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "process"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def _expat(data: bytes) -> ScanColumns | None:
    try:
        return of_scans([scan(data, "doc.xes")], [0])
    except ScanError:
        return None


def _as_lists(found: ScanColumns) -> dict[str, object]:
    return {
        "event_of": found.event_of.tolist(),
        "keys": found.keys.to_pylist(),
        "values": found.values.to_pylist(),
        "lines": found.lines.tolist(),
        "first_event": found.first_event.tolist(),
        "traces": [list(t.items()) for t in found.traces],
        "trace_lines": found.trace_lines.tolist(),
    }


def _agrees(data: bytes) -> ScanColumns | None:
    """The regular scan of `data`, asserted equal to expat's whenever it answers."""
    regular = scan_regular(data)
    if regular is not None:
        whole = _expat(data)
        assert whole is not None, "read a document expat refuses"
        assert _as_lists(regular) == _as_lists(whole)
        assert regular.event_of.dtype == np.int64
    return regular


@pytest.mark.shared
@pytest.mark.parametrize("name", ["bpic2012", "helpdesk"])
def test_the_real_logs_scan_as_expat_scans_them(name: str) -> None:
    path = SHARED / name / f"{name}.xes.gz"
    if not path.is_file():
        pytest.skip(f"../shared is absent (looked for {path.name} beside the project)")
    assert _agrees(gzip.decompress(path.read_bytes())) is not None


def test_the_tiny_fixture_with_its_nested_attribute_and_entity_is_left_to_expat() -> None:
    assert _agrees((FIXTURES / "tiny.xes").read_bytes()) is None


def test_the_tiny_fixture_made_flat_is_read_and_agrees() -> None:
    text = (FIXTURES / "tiny.xes").read_text(encoding="utf-8")
    start = text.index('\t\t\t<list key="notes">')
    end = text.index("</list>") + len("</list>\n")
    flat = (text[:start] + text[end:]).replace("phone &amp; mail", "phone and mail")
    found = _agrees(flat.encode())
    assert found is not None
    assert found.traces[1] == {"concept:name": "B-2", "AMOUNT_REQ": "75"}
    assert found.lines.tolist() == [15, 22, 28, 36, 43]


def test_a_carriage_return_or_another_encoding_is_left_to_expat() -> None:
    doc = "<log>\n<trace><string key='concept:name' value='é'/></trace>\n</log>"
    assert _agrees(doc.encode()) is not None
    assert scan_regular(doc.replace("\n", "\r\n").encode()) is None
    latin = "<?xml version='1.0' encoding='ISO-8859-1'?>" + doc
    assert _agrees(latin.encode("latin-1")) is None


SPACE = st.sampled_from(["", " ", "\n", "\t\t", "\n\t", "\r\n", " \n "])
TEXT = st.text(
    alphabet=st.sampled_from(
        ["a", "Z", "1", " ", "é", "€", ">", "'", '"', "&amp;", "&lt;", "&#x41;", "\t", "\n", "&"]
    ),
    max_size=6,
)
AROUND = st.sampled_from(["", "", "", "", "<!-- a note -->", "text", "<![CDATA[x]]>", "<?pi x?>"])


def _quoted(value: str, quote: str) -> str:
    return quote + value.replace(quote, "&quot;" if quote == '"' else "&apos;") + quote


@st.composite
def attribute(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(st.sampled_from(["string", "date", "int", "boolean", "id", "list", "trace"]))
    quote = draw(st.sampled_from(['"', "'"]))
    key = _quoted(draw(st.sampled_from(["concept:name", "org:resource", "time:timestamp"])), quote)
    has_value = draw(st.booleans()) or draw(st.booleans())
    value = f"{draw(SPACE) or ' '}value={_quoted(draw(TEXT), quote)}" if has_value else ""
    head = f"<{tag}{draw(st.sampled_from([' ', '  ', chr(10)]))}key={key}{value}{draw(SPACE)}"
    if depth < 2 and draw(st.integers(0, 5)) == 0:
        children = "".join(draw(st.lists(attribute(depth + 1), max_size=2)))
        return f"{head}>{children}</{tag}>"
    return head + "/>"


@st.composite
def event(draw: st.DrawFn) -> str:
    inner = "".join(a + draw(SPACE) for a in draw(st.lists(attribute(), max_size=4)))
    return f"<event>{draw(SPACE)}{draw(AROUND)}{inner}</event>"


@st.composite
def trace(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(attribute(), event(), event()), max_size=4))
    opening = draw(st.sampled_from(["<trace>", "<trace>", "<trace>", "<trace >"]))
    return opening + draw(SPACE) + "".join(p + draw(SPACE) + draw(AROUND) for p in parts)


@st.composite
def document(draw: st.DrawFn) -> str:
    prolog = draw(st.sampled_from(["", '<?xml version="1.0" encoding="UTF-8" ?>\n', "<!-- x -->"]))
    root = draw(st.sampled_from(["log", "log", "log", "xes:log"]))
    header = "".join(draw(st.lists(attribute(), max_size=2)))
    traces = draw(st.lists(trace(), max_size=4))
    closing = draw(st.sampled_from(["</trace>", "</trace>", "</trace>", "</event>", ""]))
    body = "".join(t + closing + draw(SPACE) for t in traces)
    return f"{prolog}<{root} xmlns='x'>{draw(SPACE)}{header}{draw(SPACE)}{body}</{root}>\n"


@settings(max_examples=400, deadline=None)
@given(document())
def test_a_generated_document_scans_as_expat_scans_it_or_is_left_to_expat(doc: str) -> None:
    _agrees(doc.encode())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.tuples(TEXT, TEXT), max_size=4), max_size=4), SPACE)
def test_a_regular_generated_document_is_read_by_the_regular_scan(
    events: list[list[tuple[str, str]]], space: str
) -> None:
    def plain(text: str) -> str:
        return "".join(c for c in text if c.isalnum() or c in " >'")

    traces = "".join(
        f"<trace>{space}<string key='concept:name' value='c{t}'/><event>{space}"
        + "".join(f'<string key="{plain(k)}" value="{plain(v)}" />{space}' for k, v in e)
        + f"</event>{space}<event></event></trace>{space}"
        for t, e in enumerate(events)
    )
    doc = f"<?xml version='1.0'?>\n<log>{space}{traces}</log>".replace("\r", "")
    if traces:
        assert _agrees(doc.encode()) is not None
