"""The SQLite reader process: one per process, reused across reads, replaced when it dies, and
a failed read is an error that says why (never a hang, never another store's rows)."""

from __future__ import annotations

import os
import signal
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from attain.data.columnar import load_into_duckdb, read_arrow_tables
from attain.data.reader_process import ReaderError, ReaderProcess
from attain.data.schema import Deal, Person
from attain.data.store import get_engine, session


def _store(tmp_path: Path, name: str, amount: str) -> str:
    url = f"sqlite:///{tmp_path / name}"
    with session(url) as s:
        s.add(Person(id="ana", name="Ana"))
        s.add(Deal(id="d1", owner="ana", stage="won", amount=Decimal(amount)))
    return url


def test_reads_of_two_stores_share_one_reader_and_each_gets_its_own_rows(tmp_path: Path) -> None:
    from attain.data.reader_process import READER

    first, second = _store(tmp_path, "a.db", "10.10"), _store(tmp_path, "b.db", "20.20")
    read = read_arrow_tables(get_engine(first), {"deals": ["id", "amount"]})
    pid = READER.pid
    again = read_arrow_tables(get_engine(second), {"deals": ["id", "amount"]})
    assert pid is not None and READER.pid == pid
    assert read["deals"].column("amount").to_pylist() == ["10.1"]
    assert again["deals"].column("amount").to_pylist() == ["20.2"]


def test_a_killed_reader_is_replaced_on_the_next_read(tmp_path: Path) -> None:
    from attain.data.reader_process import READER

    url = _store(tmp_path, "a.db", "10.10")
    con = duckdb.connect()
    load_into_duckdb(get_engine(url), con, ["deals"])
    pid = READER.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    con = duckdb.connect()
    assert load_into_duckdb(get_engine(url), con, ["deals"]) == {"deals": 1}
    assert READER.pid not in (None, pid)


def test_a_read_that_fails_names_the_reason_and_the_reader_serves_the_next(
    tmp_path: Path,
) -> None:
    reader = ReaderProcess()
    url = _store(tmp_path, "a.db", "1.00")
    try:
        with pytest.raises(ReaderError, match="no such table: nowhere"):
            reader.read(
                url.removeprefix("sqlite:///"),
                [{"name": "t0", "sql": "SELECT 1 FROM nowhere", "columns": None}],
                tmp_path,
            )
        reader.read(
            str(Path(url.removeprefix("sqlite:///"))),
            [{"name": "t0", "sql": "SELECT id FROM deals", "columns": ["id"]}],
            tmp_path,
        )
        assert (tmp_path / "t0.arrow").is_file()
    finally:
        reader.close()
    assert reader.pid is None


class _Dying(ReaderProcess):
    """A reader that takes a request and ends without answering, as a crashed one would."""

    command = (sys.executable, "-c", "import sys; sys.stdin.readline(); sys.exit(3)")


def test_a_reader_that_keeps_dying_is_an_error_with_its_exit_code_not_a_hang(
    tmp_path: Path,
) -> None:
    reader = _Dying()
    try:
        with pytest.raises(ReaderError, match="exit code 3"):
            reader.read("x.db", [{"name": "t0", "sql": "SELECT 1", "columns": None}], tmp_path)
    finally:
        reader.close()


def test_a_relative_store_path_is_read_from_the_callers_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader keeps the folder it started in; a store named relative to the caller's
    current folder (`sqlite:///attain.db`, as the demo writes it) is still found."""
    from attain.data.reader_process import READER

    read_arrow_tables(get_engine(_store(tmp_path, "a.db", "1")), {"deals": ["id"]})
    assert READER.pid is not None  # running, in another folder
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    _store(elsewhere, "attain.db", "7.5")
    read = read_arrow_tables(get_engine("sqlite:///attain.db"), {"deals": ["amount"]})
    assert read["deals"].column("amount").to_pylist() == ["7.5"]


def test_a_forked_child_reads_with_a_reader_of_its_own(tmp_path: Path) -> None:
    """A child forked while the parent's reader runs (and its lock is held by another read)
    starts its own reader instead of writing into its parent's pipes or waiting forever."""
    from attain.data.reader_process import READER

    url = _store(tmp_path, "a.db", "3.25")
    read_arrow_tables(get_engine(url), {"deals": ["amount"]})
    parent_reader = READER.pid
    assert parent_reader is not None
    with READER._lock:  # as if another thread were reading at the moment of the fork
        child = os.fork()
        if child == 0:  # pragma: no cover - runs in the child
            signal.alarm(30)  # a child stuck on its parent's lock dies and fails the test
            code = 1
            try:
                read = read_arrow_tables(get_engine(url), {"deals": ["amount"]})
                ok = read["deals"].column("amount").to_pylist() == ["3.25"]
                code = 0 if ok and READER.pid not in (None, parent_reader) else 3
            finally:
                os._exit(code)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert READER.pid == parent_reader
