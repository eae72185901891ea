"""The demo company's tickets on business hours: each case takes its territory's calendar, and
every transition's business waits equal an independent count in Python, day by day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from attain.data.store import get_engine
from attain.data.synth import SynthSpec, generate, write_store
from attain.process.calendar import WorkCalendar, load_calendars
from attain.process.discovery import process_map
from attain.process.store_logs import store_log
from attain.process.transitions import transitions

SPEC = SynthSpec(seed=3, b2b_reps=6, years=1, start=dt.date(2025, 1, 1))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    path: Path = tmp_path_factory.mktemp("demo") / "attain.db"
    engine = get_engine(f"sqlite:///{path}")
    write_store(generate(SPEC), engine)
    return engine


def working_seconds(calendar: WorkCalendar, start: dt.datetime, end: dt.datetime) -> float:
    """The oracle: each local working day's hours, as UTC instants, cut to [start, end]."""
    zone, utc = ZoneInfo(calendar.timezone), dt.UTC
    s, e = start.replace(tzinfo=utc), end.replace(tzinfo=utc)
    day, total = s.astimezone(zone).date() - dt.timedelta(days=1), 0.0
    while day <= e.astimezone(zone).date():
        if calendar.working_day(day):
            opens = dt.datetime.combine(day, calendar.opens, tzinfo=zone)
            closes = dt.datetime.combine(day, calendar.closes, tzinfo=zone)
            total += max(0.0, (min(closes, e) - max(opens, s)).total_seconds())
        day += dt.timedelta(days=1)
    return total


def test_tickets_wait_by_their_territorys_calendar(demo: Engine) -> None:
    check_business_waits(demo)


@pytest.mark.postgres
def test_the_same_on_postgresql_in_place(postgres_url: str) -> None:
    engine = get_engine(postgres_url)
    write_store(generate(SPEC), engine)
    check_business_waits(engine)


def check_business_waits(store: Engine) -> None:
    """Every ticket transition of the business-hours map equals the oracle's, summed."""
    log = store_log(store, "tickets")
    calendars = load_calendars(store)
    assert set(calendars) == {"hours-na", "hours-emea", "hours-uk"}
    named = log.cases.calendar.value_counts().to_pyarrow().to_pylist()
    assert {r["calendar"] for r in named} <= {*calendars, None}
    assert (
        sum(r["calendar_count"] for r in named if r["calendar"]) > 0.9 * log.cases.count().execute()
    )

    pairs = transitions(log).left_join(log.cases.select("case_id", "calendar"), "case_id")
    expected: dict[tuple[str, str], list[float]] = {}
    for row in pairs.to_pyarrow().to_pylist():
        calendar = calendars.get(row["calendar"] or "")
        elapsed = (row["target_at"] - row["source_at"]).total_seconds()
        wait = (
            working_seconds(calendar, row["source_at"], row["target_at"]) if calendar else elapsed
        )
        expected.setdefault((row["source"], row["target"]), []).append(wait)

    business = process_map(log, waiting="business", calendars=calendars)
    assert business.waiting == "business"
    assert {(t.source, t.target) for t in business.transitions} == set(expected)
    for t in business.transitions:
        found = expected[(t.source, t.target)]
        assert t.events == len(found)
        assert t.wait_total_s == pytest.approx(sum(found), abs=1e-3), (t.source, t.target)
