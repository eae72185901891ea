"""Two imports of one log name at the same moment, on separate connections: both succeed, one
after the other, and the store holds exactly one of the two files whole (never a mix, never a
second log of that name), with an audit entry each, all but the first saying they replaced."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, func, select

from attain.actions.process_logs import LogImported, import_log
from attain.audit import entries
from attain.audit.actor import Actor
from attain.data.store import get_engine
from attain.process.log_mapping import LogMapping
from attain.process.schema import ProcessCase, ProcessEvent, ProcessLog
from races import race

ADMIN = Actor("ada", "admin")
MAPPING = LogMapping(case="case", activity="activity", timestamp="at")


def _log_file(tmp_path: Path, cases: int) -> Path:
    """A CSV log of `cases` cases of three events each."""
    path = tmp_path / f"log{cases}.csv"
    lines = ["case,activity,at"]
    for c in range(cases):
        for k, activity in enumerate(("Open", "Work", "Close")):
            lines.append(f"c{c},{activity},2026-03-0{k + 1}T09:00:00")
    path.write_text("\n".join(lines) + "\n")
    return path


def _importing(engine: Engine, path: Path) -> Callable[[], LogImported]:
    return lambda: import_log(engine, ADMIN, path, name="loans", mapping=MAPPING)


def test_two_imports_of_one_name_at_once_leave_one_whole_log(
    store_url: str, tmp_path: Path
) -> None:
    engine = get_engine(store_url)
    files = {2000: _log_file(tmp_path, 2000), 1900: _log_file(tmp_path, 1900)}
    for _round in range(4):
        jobs = [_importing(engine, f) for f in files.values()]
        outcomes = race(*jobs)
        assert all(isinstance(o, LogImported) for o in outcomes), outcomes
        with engine.connect() as conn:
            counts = tuple(
                conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (ProcessLog, ProcessEvent, ProcessCase)
            )
            kept = conn.execute(select(ProcessLog.source, ProcessLog.cases)).one()
        assert counts in ((1, 6000, 2000), (1, 5700, 1900)), counts
        assert kept == (files[counts[2]].name, counts[2])
    written = [e for e in entries(engine, limit=50) if e.action == "process.import"]
    assert len(written) == 8
    assert sum(not e.after["replaced"] for e in written) == 1  # type: ignore[index]
