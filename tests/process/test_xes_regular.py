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


def test_a_carriage_return_single_quotes_or_another_encoding_are_left_to_expat() -> None:
    doc = '<log>\n<trace><string key="concept:name" value="é"/></trace>\n</log>'
    assert _agrees(doc.encode()) is not None
    assert scan_regular(doc.replace("\n", "\r\n").encode()) is None
    assert scan_regular(doc.replace('"', "'").encode()) is None
    latin = "<?xml version='1.0' encoding='ISO-8859-1'?>" + doc
    assert _agrees(latin.encode("latin-1")) is None


def _pick(draw: st.DrawFn, odd: bool, usual: list[str], unusual: list[str]) -> str:
    """One of the usual choices, or in an odd document one of all of them."""
    return draw(st.sampled_from(usual + unusual if odd else usual))


SPACES, ODD_SPACES = ["", " ", "\n", "\t\t", "\n\t", " \n "], ["\r\n", "\r"]
CHARS = ["a", "Z", "1", " ", "é", "€", ">", "'", "]]>", "\U0001f600"]
ODD_CHARS = ['"', "&amp;", "&lt;", "&#x41;", "&#9;", "\t", "\n", "&", "\x0c", "\ufffe"]
AROUND = ["<!-- a note -->", "text", "<![CDATA[x]]>", "<?pi x?>", "&amp;"]


def _quoted(value: str, quote: str) -> str:
    return quote + value.replace(quote, "&quot;" if quote == '"' else "&apos;") + quote


@st.composite
def attribute(draw: st.DrawFn, odd: bool, depth: int = 0) -> str:
    tag = _pick(draw, odd, ["string", "date", "int", "float", "boolean", "id"], ["list", "trace"])
    quote = _pick(draw, odd, ['"'], ["'"])
    key = _quoted(draw(st.sampled_from(["concept:name", "org:resource", "time:timestamp"])), quote)
    text = "".join(draw(st.lists(st.sampled_from(CHARS + ODD_CHARS if odd else CHARS))))
    space = _pick(draw, odd, [" ", "\n\t"], ["", " \r "])
    value = f"{space}value={_quoted(text, quote)}"
    if odd and draw(st.integers(0, 3)) == 0:
        value = ""
    head = f"<{tag}{_pick(draw, odd, [' ', '  ', chr(10)], [chr(13)])}key={key}{value}"
    head += _pick(draw, odd, SPACES, ODD_SPACES)
    if odd and depth < 2 and draw(st.integers(0, 3)) == 0:
        children = "".join(draw(st.lists(attribute(odd, depth + 1), max_size=2)))
        return f"{head}>{children}</{tag}>"
    return head + "/>"


@st.composite
def event(draw: st.DrawFn, odd: bool) -> str:
    inner = "".join(
        a + _pick(draw, odd, SPACES, ODD_SPACES + AROUND)
        for a in draw(st.lists(attribute(odd), max_size=4))
    )
    return f"<event>{_pick(draw, odd, SPACES, AROUND)}{inner}{_pick(draw, odd, ['</event>'], ['</event >', ''])}"


@st.composite
def trace(draw: st.DrawFn, odd: bool) -> str:
    parts = draw(st.lists(st.one_of(attribute(odd), event(odd), event(odd)), max_size=4))
    opening = _pick(draw, odd, ["<trace>"], ["<trace >", "<trace\n>"])
    inner = "".join(p + _pick(draw, odd, SPACES, ODD_SPACES + AROUND) for p in parts)
    return opening + _pick(draw, odd, SPACES, ODD_SPACES) + inner


@st.composite
def document(draw: st.DrawFn) -> tuple[bool, str]:
    """An XES document, and whether it is odd: half of them are in the regular shape, the
    others may be odd in some places."""
    odd = draw(st.booleans())
    prolog = _pick(
        draw,
        odd,
        ["", '<?xml version="1.0" encoding="UTF-8" ?>\n', "<!-- x -->\n"],
        ['<?xml version="1.0" encoding="ISO-8859-1"?>', "<!DOCTYPE log>", "\r\n"],
    )
    root = _pick(draw, odd, ["log"], ["xes:log", "trace"])
    header = "".join(draw(st.lists(attribute(odd), max_size=2)))
    traces = draw(st.lists(trace(odd), max_size=4))
    body = "".join(
        t
        + _pick(draw, odd, ["</trace>"], ["</event>", "", "</trace >"])
        + draw(st.sampled_from(SPACES))
        for t in traces
    )
    return odd, f"{prolog}<{root} xmlns='x'>\n{header}\n{body}</{root}>\n"


@settings(max_examples=400, deadline=None)
@given(document())
def test_a_generated_document_scans_as_expat_scans_it_or_is_left_to_expat(
    drawn: tuple[bool, str],
) -> None:
    odd, doc = drawn
    found = _agrees(doc.encode())
    assert odd or found is not None or "<trace>" not in doc
