"""The XES reader: exact rows from a hand-written log, the real logs' counts, and one clear line
naming file and line for each way a file can be wrong."""

from __future__ import annotations

import datetime as dt
import gzip
import shutil
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from attain.process import xes
from attain.process.xes import XesError, XesLog, read_xes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "process"
TINY = FIXTURES / "tiny.xes"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def _real(name: str) -> Path:
    path = SHARED / name / f"{name}.xes.gz"
    if not path.is_file():
        pytest.skip(f"../shared is absent (looked for {path.name} beside the project)")
    return path


def test_the_tiny_log_gives_exactly_its_events_in_file_order_with_utc_times() -> None:
    log = read_xes(TINY, keep=["channel"])
    at = dt.datetime
    assert log.events.to_pylist() == [
        {"case_id": "A-1", "activity": "Submitted", "at": at(2024, 3, 1, 7, 0), "position": 0,
         "resource": "ana", "lifecycle": "complete", "resource_team": None, "channel": "web"},
        # the same instant as the event before it: the file's order breaks the tie
        {"case_id": "A-1", "activity": "Review", "at": at(2024, 3, 1, 7, 0), "position": 1,
         "resource": "ben", "lifecycle": "start", "resource_team": None, "channel": None},
        # -05:00 is five hours behind UTC; the nested attribute's concept:name is not the name
        {"case_id": "A-1", "activity": "Review", "at": at(2024, 3, 1, 15, 30, 15, 250000),
         "position": 2, "resource": "ben", "lifecycle": "complete", "resource_team": None,
         "channel": None},
        # no offset: UTC; the trace's name comes after this event and still names its case
        {"case_id": "B-2", "activity": "Submitted", "at": at(2024, 3, 2, 23, 59, 59, 999999),
         "position": 3, "resource": None, "lifecycle": None, "resource_team": None,
         "channel": "phone & mail"},
        {"case_id": "B-2", "activity": "Approved", "at": at(2024, 3, 2, 23, 0), "position": 4,
         "resource": "cy", "lifecycle": None, "resource_team": None, "channel": None},
    ]  # fmt: skip


def test_the_canonical_event_columns_have_their_types() -> None:
    schema = read_xes(TINY).events.schema
    assert schema == pa.schema(
        [
            ("case_id", pa.string()),
            ("activity", pa.string()),
            ("at", pa.timestamp("us")),
            ("position", pa.int64()),
            ("resource", pa.string()),
            ("lifecycle", pa.string()),
            ("resource_team", pa.string()),
        ]
    )


def test_trace_attributes_are_case_columns_and_the_named_one_is_the_amount() -> None:
    cases = read_xes(TINY, amount="AMOUNT_REQ").cases
    assert cases.schema.field("amount").type == pa.decimal128(24, 6)
    rows = cases.to_pylist()
    assert [(r["case_id"], r["amount"], r["AMOUNT_REQ"], r["region"]) for r in rows] == [
        ("A-1", Decimal("1200.5"), "1200.50", "north"),
        ("B-2", Decimal("75"), "75", None),
    ]
    assert all(r["owner"] is None and r["outcome"] is None for r in rows)
    assert read_xes(TINY).cases.column("amount").null_count == 2


def test_a_gzip_file_reads_as_the_plain_one(tmp_path: Path) -> None:
    packed = tmp_path / "tiny.xes.gz"
    with TINY.open("rb") as plain, gzip.open(packed, "wb") as out:
        shutil.copyfileobj(plain, out)
    assert read_xes(packed).events.equals(read_xes(TINY).events)


BROKEN = {
    "an unclosed element": (
        "<log>\n<trace>\n<string key='concept:name' value='a'/>\n<event>\n</trace>\n</log>",
        "broken.xes, line 5: not well-formed XML: mismatched tag",
    ),
    "an event without a timestamp": (
        "<log><trace><string key='concept:name' value='a'/>\n"
        "<event><string key='concept:name' value='x'/>"
        "<date key='time:timestamp' value='2024-01-01T00:00:00Z'/></event>\n"
        "<event><string key='concept:name' value='y'/></event>\n</trace></log>",
        "broken.xes, line 3: event without time:timestamp",
    ),
    "an event without a name": (
        "<log><trace><string key='concept:name' value='a'/>\n\n"
        "<event><date key='time:timestamp' value='2024-01-01T00:00:00Z'/></event>\n"
        "</trace></log>",
        "broken.xes, line 3: event without concept:name",
    ),
    "a timestamp that is no date": (
        "<log><trace><string key='concept:name' value='a'/>\n"
        "<event><string key='concept:name' value='x'/>"
        "<date key='time:timestamp' value='yesterday'/></event>\n</trace></log>",
        "broken.xes, line 2: time:timestamp 'yesterday' is not a date-time",
    ),
    "a trace without a name": (
        "<log>\n<trace><event><string key='concept:name' value='x'/>"
        "<date key='time:timestamp' value='2024-01-01T00:00:00Z'/></event></trace>\n</log>",
        "broken.xes, line 2: trace without concept:name",
    ),
    "a case twice": (
        "<log>\n<trace><string key='concept:name' value='a'/></trace>\n"
        "<trace><string key='concept:name' value='a'/></trace>\n</log>",
        "broken.xes, line 3: trace 'a' again (first at line 2)",
    ),
    "a file that is not a log": ("<html><body/></html>", "broken.xes: not an XES log"),
    "a cut-off file": (
        "<log>\n<trace><string key='concept:name' value='a'/>\n",
        "broken.xes, line 3: not well-formed XML: no element found",
    ),
}


@pytest.mark.parametrize("quote", ["'", '"'])
@pytest.mark.parametrize("by_expat_only", [False, True])
@pytest.mark.parametrize("problem", sorted(BROKEN))
def test_a_broken_file_is_one_line_naming_file_and_line(
    problem: str, by_expat_only: bool, quote: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Single quotes are read by expat, double ones (the regular shape) by Arrow, unless the
    regular scan is turned off: every message is the same."""
    if by_expat_only:
        monkeypatch.setattr(xes, "scan_regular", lambda data: None)
    text, expected = BROKEN[problem]
    text = text.replace("'", quote)
    path = tmp_path / "broken.xes"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(XesError) as raised:
        read_xes(path)
    assert str(raised.value).startswith(expected)
    assert "\n" not in str(raised.value)


def test_an_amount_that_is_no_number_names_its_trace(tmp_path: Path) -> None:
    path = tmp_path / "amounts.xes"
    path.write_text(
        "<log>\n<trace><string key='concept:name' value='a'/><string key='amt' value='12'/>"
        "</trace>\n<trace><string key='concept:name' value='b'/>"
        "<string key='amt' value='UNKNOWN'/></trace>\n</log>",
        encoding="utf-8",
    )
    with pytest.raises(XesError, match=r"amounts.xes, line 3: amt 'UNKNOWN' is not a number"):
        read_xes(path, amount="amt")
    with pytest.raises(XesError, match="no trace has the attribute 'price'"):
        read_xes(path, amount="price")


def test_a_missing_file_is_named() -> None:
    with pytest.raises(XesError, match=r"^nowhere.xes: no such file$"):
        read_xes(FIXTURES / "nowhere.xes")


def _counts(log: XesLog) -> tuple[int, int, int]:
    events = log.events
    return (
        log.cases.num_rows,
        events.num_rows,
        len(pc.unique(events.column("activity"))),
    )


@pytest.mark.shared
def test_bpic_2012_has_the_cases_events_activities_and_lifecycles_its_readme_states() -> None:
    log = read_xes(_real("bpic2012"), amount="AMOUNT_REQ")
    assert _counts(log) == (13_087, 262_200, 24)
    lifecycles = pc.value_counts(log.events.column("lifecycle")).to_pylist()
    assert {d["values"]: d["counts"] for d in lifecycles} == {
        "complete": 164_506,
        "start": 71_376,
        "schedule": 26_318,
    }
    assert log.events.column("position").to_pylist()[-1] == 262_199
    assert log.cases.column("amount").null_count == 0
    assert set(log.cases.column_names) >= {"case_id", "amount", "AMOUNT_REQ", "REG_DATE"}
    # the first event of the file: 2011-10-01T00:38:44.546+02:00
    first = log.events.slice(0, 1).to_pylist()[0]
    assert (first["case_id"], first["activity"], first["resource"]) == (
        "173688",
        "A_SUBMITTED",
        "112",
    )
    assert first["at"] == dt.datetime(2011, 9, 30, 22, 38, 44, 546000)


@pytest.mark.shared
def test_the_helpdesk_log_has_the_tickets_events_and_activities_its_readme_states() -> None:
    log = read_xes(_real("helpdesk"), keep=["product", "workgroup"])
    assert _counts(log) == (4_580, 21_348, 14)
    assert log.events.column("lifecycle").null_count == 21_348
    assert log.events.column("product").null_count == 0


def _many_traces(tmp_path: Path, last: str = "2024-01-02T00:00:00+02:00") -> Path:
    """A log of 40 traces of 3 events each, the last event's timestamp given."""
    traces = []
    for t in range(40):
        events = "".join(
            f'<event><string key="concept:name" value="step {e}"/>'
            f'<string key="org:resource" value="r{t % 3}"/>'
            f'<date key="time:timestamp" value="2024-01-01T0{e}:00:{t:02d}.5+01:00"/></event>\n'
            for e in range(3)
        )
        traces.append(f'<trace><string key="concept:name" value="c{t}"/>\n{events}</trace>\n')
    traces[-1] = traces[-1].replace("2024-01-01T02:00:39.5+01:00", last)
    path = tmp_path / "many.xes"
    path.write_text("<log>\n" + "".join(traces) + "</log>\n", encoding="utf-8")
    return path


@pytest.fixture
def split_always(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file is scanned by expat in two processes, however small, regular and however busy
    the machine."""
    monkeypatch.setattr(xes, "scan_regular", lambda data: None)
    monkeypatch.setattr(xes, "SPLIT_BYTES", 0)
    monkeypatch.setattr(xes, "_idle_core", lambda: True)


def test_a_file_scanned_in_two_halves_reads_exactly_as_scanned_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _many_traces(tmp_path)
    monkeypatch.setattr(xes, "scan_regular", lambda data: None)
    monkeypatch.setattr(xes, "_idle_core", lambda: False)
    whole = read_xes(path)
    monkeypatch.setattr(xes, "SPLIT_BYTES", 0)
    monkeypatch.setattr(xes, "_idle_core", lambda: True)
    halves = read_xes(path)
    assert halves.events.equals(whole.events)
    assert halves.cases.equals(whole.cases)
    assert halves.events.num_rows == 120
    assert halves.events["case_id"][119].as_py() == "c39"


@pytest.mark.usefixtures("split_always")
def test_an_error_in_the_second_half_names_its_line_in_the_whole_file(tmp_path: Path) -> None:
    path = _many_traces(tmp_path, last="someday")
    with pytest.raises(XesError) as raised:
        read_xes(path)
    assert str(raised.value).startswith(
        "many.xes, line 200: time:timestamp 'someday' is not a date-time"
    )


def test_a_regular_file_reads_as_expat_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _many_traces(tmp_path)
    assert xes.scan_regular(path.read_bytes()) is not None
    regular = read_xes(path, keep=["org:resource"])
    monkeypatch.setattr(xes, "scan_regular", lambda data: None)
    by_expat = read_xes(path, keep=["org:resource"])
    assert regular.events.equals(by_expat.events)
    assert regular.cases.equals(by_expat.cases)
