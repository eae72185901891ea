"""Logs imported into the store: the same rows back (to the microsecond, amounts exact) on SQLite
and PostgreSQL, a second import replacing the first whole, and a bad file writing nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from attain.actions import NotAllowed
from attain.actions.process_logs import LogNameError, import_log
from attain.audit import entries
from attain.audit.actor import Actor
from attain.data.store import get_engine
from attain.process.imported import imported_log, imported_log_names, imported_logs
from attain.process.schema import ProcessCase, ProcessEvent, ProcessLog
from attain.process.store_logs import UnknownLog, store_log, store_log_names
from attain.process.xes import XesError, read_xes

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "process" / "tiny.xes"
ADMIN = Actor("ada", "admin")


def _rows(url: str, name: str) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """The log's events and cases as the store gives them back, opened as any store log is."""
    log = store_log(get_engine(url), name)
    events = log.events.order_by("position").to_pyarrow().to_pylist()
    cases = log.cases.order_by("case_id").to_pyarrow().to_pylist()
    return events, cases


def test_an_imported_log_opens_by_name_with_the_rows_of_its_file(store_url: str) -> None:
    engine = get_engine(store_url)
    done = import_log(engine, ADMIN, TINY, amount="AMOUNT_REQ", currency="EUR")
    assert (done.name, done.events, done.cases, done.replaced) == ("tiny", 5, 2, False)
    events, cases = _rows(store_url, "tiny")
    assert events == read_xes(TINY).events.to_pylist()  # microseconds and ties kept
    assert [(c["case_id"], c["amount"], c["region"], c["AMOUNT_REQ"]) for c in cases] == [
        ("A-1", Decimal("1200.5"), "north", "1200.50"),
        ("B-2", Decimal("75"), None, "75"),
    ]
    assert all(c["owner"] is None for c in cases)
    assert imported_log_names(engine) == ["tiny"]
    assert store_log_names(engine) == ["deals", "leads", "tickets", "tiny"]
    (info,) = imported_logs(engine)
    assert (info.source, info.currency, info.imported_by, info.events, info.cases) == (
        "tiny.xes",
        "EUR",
        "ada",
        5,
        2,
    )


def test_importing_again_replaces_the_log_with_the_same_rows(store_url: str) -> None:
    engine = get_engine(store_url)
    import_log(engine, ADMIN, TINY, name="loans", amount="AMOUNT_REQ")
    first = _rows(store_url, "loans")
    again = import_log(engine, ADMIN, TINY, name="loans", amount="AMOUNT_REQ")
    assert again.replaced
    assert _rows(store_url, "loans") == first
    with engine.connect() as conn:
        counts = [
            conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (ProcessLog, ProcessEvent, ProcessCase)
        ]
    assert counts == [1, 5, 2]
    written = [e for e in entries(engine, limit=10) if e.action == "process.import"]
    assert [e.after["replaced"] for e in reversed(written)] == [False, True]  # type: ignore[index]


def test_a_bad_file_leaves_the_log_it_would_replace(sqlite_url: str, tmp_path: Path) -> None:
    engine = get_engine(sqlite_url)
    import_log(engine, ADMIN, TINY, name="loans")
    bad = tmp_path / "loans.xes"
    bad.write_text(TINY.read_text(encoding="utf-8").replace("</log>", ""), encoding="utf-8")
    with pytest.raises(XesError, match="not well-formed XML"):
        import_log(engine, ADMIN, bad, name="loans")
    assert len(_rows(sqlite_url, "loans")[0]) == 5


def test_only_who_may_import_does_and_a_built_in_name_is_refused(sqlite_url: str) -> None:
    engine = get_engine(sqlite_url)
    with pytest.raises(NotAllowed):
        import_log(engine, Actor("ana", "rep"), TINY)
    with pytest.raises(LogNameError, match="'deals' is a built-in log"):
        import_log(engine, ADMIN, TINY, name="deals")
    assert imported_log(engine, "tiny") is None
    with pytest.raises(UnknownLog, match="no event log 'tiny'"):
        store_log(engine, "tiny")


def test_the_cli_imports_lists_and_refuses_a_bad_file_in_one_line(
    sqlite_url: str, tmp_path: Path
) -> None:
    from attain.cli import app

    runner = CliRunner()
    done = runner.invoke(
        app, ["process", "import", str(TINY), "--name", "loans", "--db", sqlite_url]
    )
    assert done.exit_code == 0, done.output
    assert "imported log loans: 2 cases, 5 events from tiny.xes" in done.output
    listed = runner.invoke(app, ["process", "logs", "--db", sqlite_url])
    assert "loans" in listed.output and "tiny.xes" in listed.output
    csv = tmp_path / "t.csv"
    csv.write_text("id,what,when\nc1,Open,never\n", encoding="utf-8")
    args = ["--case", "id", "--activity", "what", "--timestamp", "when", "--db", sqlite_url]
    refused = runner.invoke(app, ["process", "import", str(csv), *args])
    assert refused.exit_code == 2
    assert refused.output.strip().splitlines() == [
        "error: t.csv:2:when: is not a date-time (like 2024-03-01 09:30:00, or give "
        "timestamp_format) ('never')"
    ]
    assert imported_log_names(get_engine(sqlite_url)) == ["loans"]
