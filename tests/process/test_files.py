"""A log file mined in place, and the same log imported: one map, whichever way it was opened."""

from __future__ import annotations

from pathlib import Path

import pytest

from attain.actions.process_logs import import_log
from attain.audit.actor import Actor
from attain.data.store import get_engine
from attain.process.discovery import process_map
from attain.process.files import log_name, open_log_file
from attain.process.store_logs import store_log
from attain.process.tabular import TabularError

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
