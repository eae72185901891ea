"""The process pages' cache: a log is prepared once per store data version (a new stage event
is seen), and a viewer's figures are kept per prepared log, so a new version recomputes them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from attain.data.store import get_engine
from attain.web import process_cache


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    e = get_engine(f"sqlite:///{tmp_path / 'attain.db'}")
    process_cache.forget()
    yield e
    process_cache.forget()
    e.dispose()


def _deal(engine: Engine, deal: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO deals (id, owner, stage, amount, currency, created) "
                "VALUES (:d, 'p1', 'won', 1000, 'USD', '2026-01-05')"
            ),
            {"d": deal},
        )
        for i, (stage, at) in enumerate(
            [("prospecting", "2026-01-05 09:00:00"), ("won", "2026-01-09 09:00:00")]
        ):
            conn.execute(
                text(
                    "INSERT INTO deal_stage_events (id, deal, to_stage, at, by) "
                    "VALUES (:id, :d, :s, :at, 'p1')"
                ),
                {"id": f"{deal}-{i}", "d": deal, "s": stage, "at": at},
            )


def test_a_log_is_prepared_again_when_the_store_changes(engine: Engine) -> None:
    from attain.process.prepared import map_of

    _deal(engine, "D1")
    first = process_cache.prepared(engine, "deals")
    assert process_cache.prepared(engine, "deals") is first  # kept
    calls: list[int] = []

    def count() -> int:
        calls.append(1)
        return map_of(first, first.log).cases

    assert process_cache.remembered(first, "cases", count) == 1
    assert process_cache.remembered(first, "cases", count) == 1
    assert len(calls) == 1
    _deal(engine, "D2")
    process_cache._drop_marks()  # as after any action; else read again within seconds
    second = process_cache.prepared(engine, "deals")
    assert second is not first
    assert process_cache.remembered(second, "cases", lambda: map_of(second, second.log).cases) == 2
    assert process_cache.kept_count() == 1  # the older version of the log was let go
