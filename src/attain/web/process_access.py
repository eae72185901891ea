"""What a process page or API call asks for, read from its query: which log, which filter, and
the part of the log the viewer may see. Bad input is a `BadInput` naming the field; a log that
does not exist is "not found", like another payee's object."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from attain.access import NotVisible, Scope

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from attain.process.bottlenecks import Bottleneck
    from attain.process.calendar import WorkCalendar
    from attain.process.discovery import ProcessMap
    from attain.process.filters import Filter
    from attain.process.log import EventLog
    from attain.process.prepared import PreparedLog
    from attain.process.variants import VariantSet

MODES = ("frequency", "performance")
MAX_DAYS = 36_500


class BadInput(ValueError):
    """A field of the query is not what it should be (422, with the field's name)."""


@dataclass(frozen=True)
class Asked:
    """The filter fields as typed, kept to refill the form and the links."""

    since: str = ""
    until: str = ""
    attribute: str = ""
    value: str = ""
    variant: tuple[str, ...] = ()
    min_days: str = ""

    def query(self) -> str:
        """The same filter as a query string (for the cases list the map's links fetch)."""
        from urllib.parse import urlencode

        pairs: list[tuple[str, str]] = [
            (k, v)
            for k, v in (
                ("since", self.since),
                ("until", self.until),
                ("attribute", self.attribute),
                ("value", self.value),
                ("min_days", self.min_days),
            )
            if v
        ]
        pairs += [("variant", a) for a in self.variant]
        return urlencode(pairs)


def _day(value: str, field: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise BadInput(f"{field}: {value!r} is not a day (YYYY-MM-DD)") from None


def chosen_filter(asked: Asked, log: EventLog) -> Filter:
    """The engine's filter for what was asked, checked against the log's case attributes."""
    from attain.process.filters import Filter

    attributes: dict[str, tuple[str, ...]] = {}
    if asked.attribute.strip():
        if asked.attribute not in attribute_columns(log):
            raise BadInput(
                f"attribute: the {log.case_label}s have no attribute {asked.attribute!r}"
            )
        attributes[asked.attribute] = (asked.value,)
    min_s = None
    if asked.min_days.strip():
        try:
            days = float(asked.min_days)
        except ValueError:
            raise BadInput(f"min_days: {asked.min_days!r} is not a number of days") from None
        if not 0 <= days <= MAX_DAYS:
            raise BadInput(f"min_days: {asked.min_days!r} is not between 0 and {MAX_DAYS}")
        min_s = days * 86_400
    return Filter(
        since=_day(asked.since, "since"),
        until=_day(asked.until, "until"),
        attributes=attributes,
        variant=asked.variant or None,
        starts_with=None,
        ends_with=None,
        min_duration_s=min_s,
        max_duration_s=None,
    )


HIDDEN_ATTRIBUTES = frozenset({"case_id", "amount", "calendar"})


def attribute_columns(log: EventLog) -> list[str]:
    """The case attributes a filter may name (owner, team, territory, outcome, segment...)."""
    return [c for c in log.cases.columns if c not in HIDDEN_ATTRIBUTES]


def chosen_mode(mode: str | None) -> str:
    if mode is None or mode == "":
        return "frequency"
    if mode not in MODES:
        raise BadInput(f"mode: {mode!r} is not one of {', '.join(MODES)}")
    return mode


WAITING = {"elapsed": "elapsed time", "business": "business hours"}
"""The clocks a map's waits can be counted on, as the pages name them."""


def chosen_waiting(waiting: str | None) -> str:
    if waiting is None or waiting == "":
        return "elapsed"
    if waiting not in WAITING:
        raise BadInput(f"waiting: {waiting!r} is not one of {', '.join(WAITING)}")
    return waiting


def map_seen(
    engine: Engine, prepared: PreparedLog, scope: Scope, f: Filter | None, waiting: str
) -> ProcessMap:
    """The map of the cases the viewer may see, its waits on the chosen clock (business hours:
    by each case's work calendar, as the store defines them)."""
    from attain.process.prepared import map_of

    part = part_seen(prepared, scope, f)
    if waiting != "business":
        return map_of(prepared, part)
    return map_of(prepared, part, waiting="business", calendars=_calendars(engine))


def variants_seen(
    prepared: PreparedLog, scope: Scope, f: Filter | None, asked: Asked, limit: int
) -> VariantSet:
    """The variants of the cases the viewer may see, computed once per prepared log, viewer's
    part and question (a reload, or the API after the page, is answered from memory)."""
    from attain.process.variants import variants
    from attain.web import process_cache

    def make() -> VariantSet:
        with prepared.lock:
            return variants(part_seen(prepared, scope, f), limit=limit)

    return process_cache.remembered(prepared, ("variants", scope.payees, asked, limit), make)


def bottlenecks_seen(
    prepared: PreparedLog, scope: Scope, f: Filter | None, asked: Asked, limit: int
) -> tuple[EventLog, list[Bottleneck]]:
    """The part the viewer may see and its bottlenecks, remembered as `variants_seen` is."""
    from attain.process.bottlenecks import bottlenecks
    from attain.web import process_cache

    part = part_seen(prepared, scope, f)

    def make() -> list[Bottleneck]:
        with prepared.lock:
            return bottlenecks(part, limit=limit)

    key = ("bottlenecks", scope.payees, asked, limit)
    return part, process_cache.remembered(prepared, key, make)


def transition_cases_seen(
    engine: Engine,
    prepared: PreparedLog,
    scope: Scope,
    f: Filter | None,
    edge: tuple[str, str],
    limit: int,
    waiting: str,
) -> tuple[EventLog, list[dict[str, Any]]]:
    """The part the viewer may see, and the cases of its transition `edge`, slowest first, on
    the chosen clock (as `map_seen` counts the map's waits)."""
    from attain.process.prepared import cases_of_transition

    part = part_seen(prepared, scope, f)
    source, target = edge
    if waiting != "business":
        return part, cases_of_transition(prepared, part, source, target, limit=limit)
    found = cases_of_transition(
        prepared,
        part,
        source,
        target,
        limit=limit,
        waiting="business",
        calendars=_calendars(engine),
    )
    return part, found


def _calendars(engine: Engine) -> dict[str, WorkCalendar]:
    from attain.process.calendar import load_calendars

    return load_calendars(engine)


def prepared_log(engine: Engine, name: str) -> PreparedLog:
    """The prepared log by name; one that does not exist is not found (like another payee's
    object)."""
    from attain.web import process_cache

    try:
        return process_cache.prepared(engine, name)
    except LookupError:
        raise NotVisible(name) from None


def part_seen(prepared: PreparedLog, scope: Scope, f: Filter | None = None) -> EventLog:
    """The cases of the prepared log the viewer may see, kept to the filter's."""
    from attain.process.log import visible

    seen = visible(prepared.log, scope)
    return seen if f is None else seen.filtered(f)
