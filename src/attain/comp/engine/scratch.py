"""The process's scratch DuckDB, for shaping Arrow results; the settings a calculation runs under.

Opening a DuckDB database costs tens of milliseconds, a cursor on an open one microseconds; a
calculation needs a few, so each use gets its own cursor (its registered views are its own) on
one in-memory database opened on first use.

Building and compiling a plan's queries allocates hundreds of thousands of small Ibis objects,
which sets off Python's cycle collector again and again, each time walking every object the
process holds: it made a calculation's time vary by half. None of those objects needs the
cycle collector to be freed, so a calculation pauses it and lets it run once afterwards.

Ibis merges nested selects into one before writing SQL; on the engine's queries that merge is a
third of the compile time, and DuckDB and PostgreSQL flatten nested selects themselves, so a
calculation compiles without it (the SQL means the same either way).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import ibis

_lock = threading.Lock()
_database: duckdb.DuckDBPyConnection | None = None
_pauses = 0
_was_enabled = False
_was_fusing = True


def scratch() -> duckdb.DuckDBPyConnection:
    """A new connection (cursor) to the scratch database; close it when done."""
    global _database
    with _lock:
        if _database is None:
            _database = duckdb.connect()
        return _database.cursor()


@contextmanager
def calculating() -> Iterator[None]:
    """Run a calculation with the cycle collector paused and selects left unfused (see above);
    nested and concurrent calculations count, the last one out restores both."""
    global _pauses, _was_enabled, _was_fusing
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            _was_fusing = ibis.options.sql.fuse_selects
            gc.disable()
            ibis.options.sql.fuse_selects = False
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0:
                ibis.options.sql.fuse_selects = _was_fusing
                if _was_enabled:
                    gc.enable()
