"""Checking rules over a small hand-made deal log whose every figure is counted by hand, on
DuckDB and on PostgreSQL, and against the plain-Python oracle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pyarrow.csv as pcsv
import pytest
from conformance_oracle import judge, traces

from attain.process.calendar import WorkCalendar
from attain.process.conformance import check, example_rules, load_rules
from attain.process.log import EventLog, from_arrow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "process"


def deal_log(con: ibis.BaseBackend | None = None, *, currency: str | None = "USD") -> EventLog:
    """Eight deals (conformance_events.csv); D7's last three stages share one instant, so only
    the file order keeps them in order."""
    events = pcsv.read_csv(
        FIXTURES / "conformance_events.csv",
        convert_options=pcsv.ConvertOptions(column_types={"at": pa.timestamp("us")}),
    )
    cases = pcsv.read_csv(
        FIXTURES / "conformance_cases.csv",
        convert_options=pcsv.ConvertOptions(column_types={"amount": pa.decimal128(24, 6)}),
    )
    return from_arrow("deals", events, cases, case_label="deal", currency=currency, con=con)


EXPECTED = {
    # rule: (cases checked, violating cases with (step, activity) of the first violation)
    "stages in order": (8, {"D3": (2, "qualification"), "D8": (4, "qualification")}),
    "no win without proposal": (6, {"D2": (2, "won")}),
    "no win without negotiation": (6, {"D2": (2, "won")}),
    "starts at prospecting": (8, {"D4": (0, "qualification")}),
    "one proposal": (8, {"D3": (3, "proposal")}),
    "won within 90 days": (5, {"D5": (4, "won")}),
}


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> Iterator[ibis.BaseBackend]:
    """The same test on an in-memory DuckDB, then on a fresh PostgreSQL database."""
    if request.param == "duckdb":
        yield ibis.duckdb.connect()
        return
    con = ibis.connect(request.getfixturevalue("postgres_url"))
    yield con
    con.disconnect()


def test_the_example_deal_rules_give_the_hand_counted_figures(backend: ibis.BaseBackend) -> None:
    log = deal_log(backend)
    report = check(log, example_rules("deals"))
    assert report.warnings == ()
    assert [r.name for r in report.rules] == list(EXPECTED)
    for result in report.rules:
        checked, violating = EXPECTED[result.name]
        assert result.cases_checked == checked, result.name
        assert {c.case_id: (c.step, c.activity) for c in result.cases} == violating, result.name
        assert result.violating == len(violating)
        assert result.share_conforming == (checked - len(violating)) / checked
    assert (report.cases, report.violating, report.conforming) == (8, 5, 3)
    assert report.share_conforming == 3 / 8
    assert report.value_at_risk == Decimal("14450.50")  # D2 + D3 + D4 + D5 + D8
    assert report.currency == "USD"
    assert [(m.month, m.cases, m.violating, m.value_at_risk) for m in report.by_month] == [
        ("2027-01", 4, 3, Decimal("3250.50")),
        ("2027-02", 4, 2, Decimal("11200.00")),
    ]
    order = report.rule("stages in order")
    assert order.value_at_risk == Decimal("1700.50")
    assert [(m.month, m.cases, m.violating) for m in order.by_month] == [
        ("2027-01", 4, 1),
        ("2027-02", 4, 1),
    ]
    late = report.rule("won within 90 days")
    (d5,) = late.cases
    assert d5.at == dt.datetime(2027, 8, 20, 9)
    assert d5.amount == Decimal("10000")
    assert [(m.month, m.cases, m.violating) for m in late.by_month] == [
        ("2027-01", 2, 0),
        ("2027-02", 3, 1),
    ]


EVERY_KIND = """\
process: deals
rules:
  - {name: in order, order: [prospecting, qualification, proposal, negotiation]}
  - {name: 'in order, back allowed', order: [prospecting, qualification, proposal, negotiation],
     allow_back: true}
  - {name: has a proposal, require: proposal}
  - {name: proposal before negotiation, require: proposal, before: negotiation}
  - {name: never lost, never: lost}
  - {name: qualification once, at_most: {activity: qualification, times: 1}}
  - {name: quick qualification, within: 2d, from: prospecting, to: qualification}
  - {name: ends decided, ends_with: [won, lost]}
  - {name: starts right, starts_with: [prospecting, qualification]}
"""


def _rows(log: EventLog) -> list[dict[str, Any]]:
    return list(log.events.select("case_id", "activity", "at", "position").to_pyarrow().to_pylist())


def test_every_kind_of_rule_agrees_with_the_plain_python_reading(
    backend: ibis.BaseBackend,
) -> None:
    log = deal_log(backend)
    rules = load_rules(EVERY_KIND)
    report = check(log, rules)
    cases = traces(_rows(log))
    for rule, result in zip(rules.rules, report.rules, strict=True):
        verdict = judge(rule, cases)
        assert {c.case_id: c.step for c in result.cases} == verdict.violating, rule.name
        assert result.cases_checked == len(verdict.checked), rule.name
    anyrule = set().union(*(judge(r, cases).violating for r in rules.rules))
    assert report.violating == len(anyrule)


def test_moving_back_is_allowed_only_when_the_rule_says_so() -> None:
    report = check(deal_log(), load_rules(EVERY_KIND))
    strict = report.rule("in order")
    lenient = report.rule("in order, back allowed")
    # D8 goes back to qualification after negotiation: a regression, allowed by allow_back;
    # D3 reaches qualification for the first time after proposal: out of order either way.
    assert {c.case_id for c in strict.cases} == {"D3", "D8"}
    assert {c.case_id for c in lenient.cases} == {"D3"}
    assert report.rule("qualification once").cases[0].case_id == "D8"
    assert {c.case_id for c in report.rule("ends decided").cases} == {"D6"}
    assert {c.case_id for c in report.rule("has a proposal").cases} == {"D2", "D6"}
    assert report.rule("has a proposal").cases[0].activity == "won"  # D2's last event


def test_a_log_without_amounts_has_no_value_at_risk() -> None:
    report = check(deal_log(currency=None), example_rules("deals"))
    assert report.value_at_risk is None and report.currency is None
    assert all(r.value_at_risk is None for r in report.rules)
    assert all(c.amount is None for r in report.rules for c in r.cases)
    assert report.violating == 5


def test_the_listed_cases_stop_at_the_limit_earliest_first() -> None:
    rules = load_rules("process: deals\nrules:\n  - {name: no prospecting, never: prospecting}\n")
    result = check(deal_log(), rules, limit=3).rule("no prospecting")
    assert result.violating == 7
    assert [c.case_id for c in result.cases] == ["D1", "D2", "D3"]


def test_an_activity_the_log_lacks_is_a_warning_at_its_place() -> None:
    text = "process: deals\nrules:\n  - name: win needs a proposal\n    require: propsal\n    before: won\n"
    report = check(deal_log(), load_rules(text, source="deals.yaml"))
    assert report.warnings == (
        "deals.yaml:4:14: activity 'propsal' does not occur in log 'deals'"
        " (did you mean 'proposal'?)",
    )
    assert report.rule("win needs a proposal").violating == 6  # every won deal


def test_rules_for_another_process_are_checked_with_a_warning() -> None:
    text = "process: tickets\nrules:\n  - {name: never lost, never: lost}\n"
    report = check(deal_log(), load_rules(text, source="t.yaml"))
    assert report.warnings == (
        "t.yaml:1:10: rules are written for 'tickets', checked on log 'deals'",
    )
    assert report.rule("never lost").violating == 1


def test_business_hours_without_a_calendar_fall_back_to_elapsed_time_and_say_so() -> None:
    text = (
        "process: deals\nrules:\n  - name: quick\n    within: 2d\n    from: prospecting\n"
        "    to: qualification\n    business_hours: true\n"
    )
    report = check(deal_log(), load_rules(text, source="d.yaml"))
    assert report.warnings == (
        "d.yaml:3:5: rule 'quick' counts business hours but no work calendar is given;"
        " elapsed time is used",
    )
    # D1 (2 days 1 h), D2 (3 days 30 min), D3 (4 days), D5 (28 days) take longer than 2 days
    assert {c.case_id for c in report.rule("quick").cases} == {"D1", "D2", "D3", "D5"}


def ticket_log() -> EventLog:
    """Four tickets opened and triaged around a weekend (2027-01-08 is a Friday); T4 works by
    New York's calendar, the others by the default."""
    stamps = {
        "T1": ("2027-01-08 16:00", "2027-01-11 10:00"),  # Fri 1 h + Mon 1 h
        "T2": ("2027-01-11 09:00", "2027-01-11 14:00"),  # 5 h on a Monday
        "T3": ("2027-01-12 12:00", "2027-01-13 10:00"),  # Tue 5 h + Wed 1 h
        "T4": ("2027-01-11 09:00", "2027-01-11 14:30"),  # 04:00 to 09:30 in New York
    }
    rows = [
        (t, act, at)
        for t, pair in stamps.items()
        for act, at in zip(("opened", "triaged"), pair, strict=True)
    ]
    events = pa.table(
        {
            "case_id": [r[0] for r in rows],
            "activity": [r[1] for r in rows],
            "at": pa.array([dt.datetime.fromisoformat(r[2]) for r in rows], pa.timestamp("us")),
        }
    )
    cases = pa.table({"case_id": list(stamps), "calendar": [None, None, None, "nyc"]})
    return from_arrow("tickets", events, cases, case_label="ticket")


def test_business_hours_leave_out_nights_and_weekends_by_each_cases_calendar() -> None:
    weekdays = frozenset(range(5))
    utc = WorkCalendar("utc", "UTC", weekdays, dt.time(9), dt.time(17))
    nyc = WorkCalendar("nyc", "America/New_York", weekdays, dt.time(9), dt.time(17))
    text = (
        "process: tickets\nrules:\n  - name: first response\n    within: 4h\n"
        "    from: opened\n    to: triaged\n    business_hours: true\n"
    )
    rules = load_rules(text)
    timed = check(ticket_log(), rules, calendars={"nyc": nyc}, default_calendar=utc)
    assert timed.warnings == ()
    assert {c.case_id for c in timed.rule("first response").cases} == {"T2", "T3"}
    elapsed = check(ticket_log(), rules)
    assert {c.case_id for c in elapsed.rule("first response").cases} == {"T1", "T2", "T3", "T4"}


def test_an_empty_log_conforms_and_says_its_activities_are_missing() -> None:
    report = check(deal_log().for_cases([]), example_rules("deals"))
    assert (report.cases, report.violating, report.share_conforming) == (0, 0, 1.0)
    assert report.by_month == () and report.value_at_risk == Decimal(0)
    assert all(r.cases_checked == 0 and r.share_conforming == 1.0 for r in report.rules)
    assert len(report.warnings) == len({a for r in example_rules("deals").rules for a in r.named})
