"""A log file mined in place, and the same log imported: one map, whichever way it was opened."""

from __future__ import annotations

from pathlib import Path

import ibis
import pytest

from attain.actions.process_logs import import_log
from attain.audit.actor import Actor
from attain.data.store import get_engine
from attain.process.discovery import process_map
from attain.process.files import log_name, open_log_file
from attain.process.log import from_arrow
from attain.process.log_mapping import LogMapping
from attain.process.store_logs import store_log
from attain.process.tabular import TabularError, read_tabular

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "process" / "tiny.xes"
HELPDESK = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "helpdesk"


def test_a_file_opens_as_a_log_named_after_it() -> None:
    log = open_log_file(TINY, amount="AMOUNT_REQ", currency="EUR")
    assert (log.name, log.case_label, log.currency) == ("tiny", "case", "EUR")
    assert log.events.count().execute() == 5
    assert open_log_file(TINY, currency="EUR").currency is None  # no amounts, no currency
    assert log_name("bpic2012.xes.gz") == "bpic2012"


def test_a_csv_without_a_mapping_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(TabularError, match=r"^log.csv: a CSV or Parquet log needs a mapping"):
        open_log_file(path)


def test_the_imported_tiny_log_maps_as_the_file_does(sqlite_url: str) -> None:
    engine = get_engine(sqlite_url)
    import_log(engine, Actor("ada", "admin"), TINY)
    from_file, from_store = process_map(open_log_file(TINY)), process_map(store_log(engine, "tiny"))
    assert from_store == from_file
    assert {(t.source, t.target, t.events) for t in from_store.transitions} == {
        ("Submitted", "Review", 1),
        ("Review", "Review", 1),
        ("Approved", "Submitted", 1),  # 00:00+01:00 is before 23:59:59.999999 UTC
    }


@pytest.mark.shared
def test_the_imported_helpdesk_log_maps_as_the_file_does(sqlite_url: str) -> None:
    path = HELPDESK / "helpdesk.xes.gz"
    if not path.is_file():
        pytest.skip(f"../shared is absent (looked for {path.name} beside the project)")
    engine = get_engine(sqlite_url)
    import_log(engine, Actor("ada", "admin"), path)
    from_store = process_map(store_log(engine, "helpdesk"))
    assert from_store == process_map(open_log_file(path))
    assert (from_store.cases, from_store.events) == (4_580, 21_348)


CSV = """Ticket,Status,Changed at,Agent,Phase,Amount
T1,Opened,2024-03-01 09:00:00+02:00,ana,start,10
T1,Opened,2024-03-01 09:30:00+02:00,ana,complete,
T1,Closed,2024-03-01T12:00:00,ben,complete,
T2,Opened,2024-03-02 08:00:00,cy,,7.5
T2,Closed,2024-03-02 08:00:00,cy,,
"""
MAPPING = LogMapping(
    case="Ticket",
    activity="Status",
    timestamp="Changed at",
    resource="Agent",
    lifecycle="Phase",
    amount="Amount",
)


def test_a_csv_read_in_place_maps_as_the_same_rows_given_as_arrow(tmp_path: Path) -> None:
    path = tmp_path / "tickets.csv"
    path.write_text(CSV, encoding="utf-8")
    in_place = open_log_file(path, MAPPING, currency="EUR")
    read = read_tabular(path, MAPPING)
    through_arrow = from_arrow("tickets", read.events, read.cases, currency="EUR")
    assert in_place.currency == "EUR"
    assert process_map(in_place) == process_map(through_arrow)
    assert in_place.events.order_by("position").to_pyarrow().to_pylist() == (
        through_arrow.events.order_by("position").to_pyarrow().to_pylist()
    )
    opened = process_map(in_place).activities[0]
    assert (opened.name, opened.service_median_s) == ("Opened", 1800.0)


def test_a_bad_file_read_in_place_leaves_no_table_behind(tmp_path: Path) -> None:
    path = tmp_path / "tickets.csv"
    path.write_text(CSV.replace("T2,Closed", ",Closed"), encoding="utf-8")
    con = ibis.duckdb.connect()
    with pytest.raises(TabularError, match=r"^tickets.csv:6:Ticket: is empty$"):
        open_log_file(path, MAPPING, con=con)
    raw = con.con
    assert raw.execute("SELECT table_name FROM duckdb_tables()").fetchall() == []
    assert raw.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall() == []
