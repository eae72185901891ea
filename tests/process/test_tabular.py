"""CSV and Parquet logs by a column mapping: exact rows, UTC times, first values per case, and
one line naming file, row and column (or the mapping's YAML line) for each mistake."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from attain.process.log_mapping import LogMapping, MappingError, load_mapping
from attain.process.tabular import TabularError, read_tabular

CSV = """Ticket,Status,Changed at,Agent,Region,Amount,Phase
T1,Opened,2024-03-01 09:00:00+02:00,ana,north,100.50,START
T1,Closed,2024-03-01T12:00:00,ben,,,complete
T2,Opened,2024-03-02 08:00:00.125,cy,south,7,
"""
MAPPING = LogMapping(
    case="Ticket",
    activity="Status",
    timestamp="Changed at",
    resource="Agent",
    lifecycle="Phase",
    amount="Amount",
    attributes={"region": "Region", "owner": "Agent"},
)


@pytest.fixture
def csv(tmp_path: Path) -> Path:
    path = tmp_path / "tickets.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_a_csv_log_gives_its_events_in_file_order_with_utc_times(csv: Path) -> None:
    events = read_tabular(csv, MAPPING).events.to_pylist()
    assert [(e["case_id"], e["activity"], e["at"], e["position"], e["resource"], e["lifecycle"])
            for e in events] == [
        ("T1", "Opened", dt.datetime(2024, 3, 1, 7, 0), 0, "ana", "start"),
        ("T1", "Closed", dt.datetime(2024, 3, 1, 12, 0), 1, "ben", "complete"),
        ("T2", "Opened", dt.datetime(2024, 3, 2, 8, 0, 0, 125000), 2, "cy", None),
    ]  # fmt: skip


def test_each_case_takes_its_first_amount_and_attribute_values(csv: Path) -> None:
    cases = read_tabular(csv, MAPPING).cases
    assert cases.schema.field("amount").type == pa.decimal128(24, 6)
    assert [(c["case_id"], c["amount"], c["owner"], c["region"]) for c in cases.to_pylist()] == [
        ("T1", Decimal("100.5"), "ana", "north"),
        ("T2", Decimal("7"), "cy", "south"),
    ]


def test_a_parquet_log_with_typed_timestamps_reads_as_the_csv(csv: Path, tmp_path: Path) -> None:
    from_csv = read_tabular(csv, MAPPING)
    path = tmp_path / "tickets.parquet"
    typed = pa.table(
        {
            "Ticket": ["T1", "T1", "T2"],
            "Status": ["Opened", "Closed", "Opened"],
            "Changed at": pa.array(
                [dt.datetime(2024, 3, 1, 7), dt.datetime(2024, 3, 1, 12),
                 dt.datetime(2024, 3, 2, 8, 0, 0, 125000)], pa.timestamp("us", tz="UTC")),
            "Agent": ["ana", "ben", "cy"],
            "Region": ["north", None, "south"],
            "Amount": [100.5, None, 7.0],
            "Phase": ["START", "complete", None],
        }
    )  # fmt: skip
    pq.write_table(typed, path)
    from_parquet = read_tabular(path, MAPPING)
    assert from_parquet.events.equals(from_csv.events)
    assert from_parquet.cases.equals(from_csv.cases)


def test_a_timestamp_format_reads_day_first_dates(tmp_path: Path) -> None:
    path = tmp_path / "eu.csv"
    path.write_text("case,what,when\nc1,Open,01/03/2024 09:30\nc1,Shut,13/03/2024 17:00\n")
    m = LogMapping(
        case="case", activity="what", timestamp="when", timestamp_format="%d/%m/%Y %H:%M"
    )
    assert read_tabular(path, m).events.column("at").to_pylist() == [
        dt.datetime(2024, 3, 1, 9, 30),
        dt.datetime(2024, 3, 13, 17, 0),
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"case": "Case"}, "tickets.csv: no column Case (it has: Ticket, Status,"),
        ({"activity": "Region"}, "tickets.csv:3:Region: is empty"),
        ({"amount": "Region"}, "tickets.csv:2:Region: is not a number ('north')"),
        ({"timestamp": "Agent"}, "tickets.csv:2:Agent: is not a date-time"),
        (
            {"timestamp_format": "%d/%m/%Y"},
            "tickets.csv:2:Changed at: is not a date-time written %d/%m/%Y",
        ),
    ],
)
def test_a_mapping_that_does_not_fit_the_file_names_file_row_and_column(
    csv: Path, change: dict[str, str], expected: str
) -> None:
    with pytest.raises(TabularError) as raised:
        read_tabular(csv, replace(MAPPING, **change))
    assert str(raised.value).startswith(expected)


def test_a_file_that_is_not_there_or_not_csv_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(TabularError, match=r"^gone.csv: no such file$"):
        read_tabular(tmp_path / "gone.csv", MAPPING)
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"not parquet at all")
    with pytest.raises(TabularError, match=r"^broken.parquet: cannot be read as Parquet"):
        read_tabular(broken, MAPPING)


def test_a_yaml_mapping_reads_every_key() -> None:
    m = load_mapping(
        "case: Ticket\nactivity: Status\ntimestamp: Changed at\ntimestamp_format: '%Y-%m-%d'\n"
        "resource: Agent\namount: Amount\ncurrency: EUR\nattributes: [Region]\n"
    )
    assert m == LogMapping(
        case="Ticket",
        activity="Status",
        timestamp="Changed at",
        timestamp_format="%Y-%m-%d",
        resource="Agent",
        amount="Amount",
        currency="EUR",
        attributes={"Region": "Region"},
    )
    named = load_mapping("case: a\nactivity: b\ntimestamp: c\nattributes: {owner: Rep}\n")
    assert named.attributes == {"owner": "Rep"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("case: a\nactivity: b\ntimestamp: c\nresourse: d\n", "m.yaml, line 4: unknown key 'resourse'"),
        ("case: a\nactivity: b\n", "m.yaml, line 1: name the timestamp column"),
        ("case: a\nactivity: [b, c]\ntimestamp: c\n", "m.yaml, line 2: activity names one column"),
        ("case: a\n  activity: b\n", "m.yaml, line 2: not YAML"),
        ("- case\n", "m.yaml, line 1: a mapping is"),
    ],
)  # fmt: skip
def test_a_bad_yaml_mapping_names_its_line(text: str, expected: str) -> None:
    with pytest.raises(MappingError) as raised:
        load_mapping(text, source="m.yaml")
    assert str(raised.value).startswith(expected)
