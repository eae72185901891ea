"""Event logs as the process pages and the API read them: built once per (log, store data
version) into an in-process DuckDB, with their directly-follows pairs computed and kept, so a
request is a filter and a group-by over kept tables rather than a read of the whole store and a
window over every event.

The data version is the audit log's head (every write through `attain.actions`) and the row
counts of the event tables (writes from outside the actions, such as the demo generator); it is
read at most every `WATERMARK_SECONDS`, and at once after any action in this process. Concurrent
requests for the same log wait for one build (no stampede); at most `CACHE_SIZE` logs are kept.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import Engine, inspect, text

from attain.actions import Event, subscribe
from attain.web.kept_values import KeptValues

if TYPE_CHECKING:
    from attain.process.prepared import PreparedLog

T = TypeVar("T")
WATERMARK_SECONDS = 5.0
CACHE_SIZE = 6
WATERMARK_TABLES = (
    "deals",
    "deal_stage_events",
    "leads",
    "lead_events",
    "tickets",
    "ticket_events",
    "process_logs",
    "process_events",
)
"""Tables whose row counts are part of the data version (those the store has)."""

Key = tuple[str, str, tuple[str, ...]]


_lock = threading.Lock()
_marks: dict[str, tuple[float, tuple[str, ...]]] = {}
_kept: KeptValues[Key, PreparedLog] = KeptValues(CACHE_SIZE)


def _drop_marks(_event: Event | None = None) -> None:
    with _lock:
        _marks.clear()


subscribe("*", _drop_marks)


def data_version(engine: Engine) -> tuple[str, ...]:
    """What the store's logs depend on, read at most every `WATERMARK_SECONDS`."""
    url = str(engine.url)
    now = time.monotonic()
    with _lock:
        hit = _marks.get(url)
    if hit is not None and now - hit[0] < WATERMARK_SECONDS:
        return hit[1]
    have = set(inspect(engine).get_table_names())
    parts = [f"(SELECT COUNT(*) FROM {t})" for t in WATERMARK_TABLES if t in have]
    if "audit_head" in have:
        parts.append("(SELECT MAX(seq) FROM audit_head)")
    if not parts:
        return ()
    with engine.connect() as conn:
        row = conn.execute(text("SELECT " + ", ".join(parts))).one()
    mark = tuple(str(v) for v in row)
    with _lock:
        _marks[url] = (now, mark)
    return mark


def build(engine: Engine, name: str) -> PreparedLog:
    """Read the log from the store and prepare it (its steps and pairs kept)."""
    from attain.process.prepared import prepare
    from attain.process.store_logs import store_log

    return prepare(store_log(engine, name))


def prepared(engine: Engine, name: str) -> PreparedLog:
    """The log `name` as of the store's data now (built on first use, then kept)."""
    key: Key = (str(engine.url), name, data_version(engine))
    return _kept.get(
        key,
        lambda: build(engine, name),
        replaces=lambda k: k[:2] == key[:2],  # an older version of the same log is not wanted
    )


def forget() -> None:
    """Drop every kept log (tests, and a store replaced underneath)."""
    with _lock:
        _kept.clear()
        _marks.clear()
        _results.clear()


def log_names(engine: Engine) -> list[str]:
    from attain.process.store_logs import store_log_names

    names: list[str] = store_log_names(engine)
    return names


def kept_count() -> int:
    return len(_kept)


RESULTS_SIZE = 256
"""Figures kept per prepared log and question (a viewer's part, a filter), least recently
used dropped first: a manager reloading their map is answered without a query."""

_results: KeptValues[tuple[int, Hashable], tuple[PreparedLog, Any]] = KeptValues(RESULTS_SIZE)


def remembered(prepared: PreparedLog, key: Hashable, make: Callable[[], T]) -> T:
    """`make()` once per prepared log (so per store data version) and `key`; concurrent
    requests for the same figures wait for one computation."""
    slot = (id(prepared), key)
    kept = _results.get(
        slot,
        lambda: (prepared, make()),  # kept alive with it: its id stays its own
        valid=lambda hit: hit[0] is prepared,
    )
    return cast("T", kept[1])
