"""The three logs every store has, built from its event tables as Ibis expressions:

- `deals`: a deal's stage changes (`deal_stage_events`: activity = the stage moved to, resource
  = who moved it); cases from `deals` and their accounts, amount in USD;
- `leads`: a lead's activities (`lead_events`); cases from `leads` (territory = the lead's region);
- `tickets`: a ticket's steps (`ticket_events`); cases from `tickets` and their accounts.

Ties within a case (two events at the same instant) are ordered by the event's id. A team is the
person's team on the day (people versions valid_from <= day <= valid_to): for an event, its
resource's team on the event's day; for a case, its owner's team on the day of its first event.
A case's work calendar is its territory's (`territories.calendar`) when the store keeps one; a
lead's, which has a region and no territory, is the one its region's territories all share.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ibis
import ibis.expr.datatypes as dt
from sqlalchemy import Engine

from attain.data.stages import stage_catalog
from attain.process.log import AMOUNT, EventLog, canonical_cases, canonical_events
from attain.quota.history import PLANNING_CURRENCY

ACCOUNT_ATTRIBUTES = ("segment", "industry", "region")


def _events(t: ibis.Table, case: str) -> ibis.Table:
    """case_id, activity, at, position, resource from an event table (case column `case`)."""
    ordered = ibis.window(order_by=[t[case], t.at, t.id])
    return t.select(
        case_id=t[case].cast(dt.string),
        activity=(t.to_stage if "to_stage" in t.columns else t.activity).cast(dt.string),
        at=t.at,
        position=ibis.row_number().over(ordered),
        resource=t.by.cast(dt.string),
    )


def team_on(people: ibis.Table, person: ibis.Value, day: ibis.Value) -> list[Any]:
    """Join predicates: the version of `person` valid on `day`."""
    return [
        people.id == person,
        people.valid_from <= day,
        people.valid_to.isnull() | (day <= people.valid_to),
    ]


def _with_resource_team(events: ibis.Table, people: ibis.Table) -> ibis.Table:
    p = people.select("id", "valid_from", "valid_to", "team")
    j = events.left_join(p, team_on(p, events.resource, events.at.date()))
    return j.select(*[j[c] for c in events.columns], resource_team=j.team.cast(dt.string))


def _case_frame(
    events: ibis.Table, base: ibis.Table, people: ibis.Table, day: ibis.Value
) -> ibis.Table:
    """`base` (case_id, owner, ...) with `team`: the owner's team on the day of the case's first
    event (else on `day`, a column of `base`, for a case without events)."""
    first = events.group_by("case_id").aggregate(_first_day=events.at.min().date())
    b = base.mutate(_fallback_day=day).left_join(first, "case_id").drop("case_id_right")
    b = b.mutate(_day=b._first_day.fill_null(b._fallback_day))
    p = people.select("id", "valid_from", "valid_to", "team")
    j = b.left_join(p, team_on(p, b.owner, b._day))
    keep = [c for c in base.columns if c != "team"]
    return j.select(*[j[c] for c in keep], team=j.team.cast(dt.string))


def _region_calendar(con: ibis.BaseBackend, cases: ibis.Table) -> ibis.Table:
    """`cases` with `calendar`: the one work calendar the territories of the case's region all
    work by (a lead has a region, not a territory); none where they differ or keep none."""
    territories = con.table("territories")
    if "calendar" not in territories.columns:
        return cases.mutate(calendar=ibis.null(dt.string))
    by_region = territories.group_by(_region=territories.region).aggregate(
        _calendars=territories.calendar.nunique(),
        _calendar=territories.calendar.max(),
        _without=territories.calendar.isnull().sum(),
    )
    one = by_region.filter((by_region._calendars == 1) & (by_region._without == 0))
    j = cases.left_join(one.select("_region", "_calendar"), cases.region == one._region)
    return j.mutate(calendar=j._calendar.cast(dt.string)).drop("_region", "_calendar")


def _calendar(con: ibis.BaseBackend, cases: ibis.Table) -> ibis.Table:
    """`cases` with `calendar`: the territory's work calendar where the store keeps one."""
    territories = con.table("territories")
    if "calendar" not in territories.columns:
        return cases.mutate(calendar=ibis.null(dt.string))
    t = territories.select(_territory=territories.id, _calendar=territories.calendar)
    j = cases.left_join(t, cases.territory == t._territory)
    return j.mutate(calendar=j._calendar.cast(dt.string)).drop("_territory", "_calendar")


def _priced(con: ibis.BaseBackend, deals: ibis.Table) -> ibis.Table:
    """The deals with `_usd`: the amount in USD at the rate of its close month (else its created month; without
    a rate for that month, the latest one before it). A deal without any rate gets no amount."""
    fx = con.table("fx_rates")
    d = deals.mutate(
        _cur=deals.currency.cast(dt.string),
        _month=deals.close_date.fill_null(deals.created).strftime("%Y-%m"),
    )
    needed = d.filter(d._cur.notnull() & (d._cur != PLANNING_CURRENCY))
    needed = needed.select("_cur", "_month").distinct()
    cand = needed.join(fx, [needed._cur == fx.currency, fx.month <= needed._month])
    best = cand.group_by("_cur", "_month").aggregate(_rate_month=cand.month.max())
    rates = best.join(fx, [best._cur == fx.currency, best._rate_month == fx.month]).select(
        "_cur", "_month", _rate=fx.rate
    )
    j = d.left_join(rates, ["_cur", "_month"])
    same = j._cur.isnull() | (j._cur == PLANNING_CURRENCY)
    usd = ibis.ifelse(same, j.amount.cast(AMOUNT), (j.amount * j._rate).cast(AMOUNT))
    return j.select(*[j[c] for c in deals.columns], _usd=usd)


def deals_log(engine: Engine, con: ibis.BaseBackend) -> EventLog:
    """Deals through their stages; outcome won/lost/open by the stage catalog."""
    people = con.table("people")
    events = _with_resource_team(_events(con.table("deal_stage_events"), "deal"), people)
    deals, accounts = con.table("deals"), con.table("accounts")
    catalog = stage_catalog(engine)
    outcome = deals.stage.substitute(dict(catalog.stages), else_="open")
    d = _priced(con, deals.mutate(_outcome=outcome))
    j = d.left_join(accounts, d.account == accounts.id)
    base = j.select(
        case_id=j.id.cast(dt.string),
        amount=j._usd,
        owner=j.owner.cast(dt.string),
        territory=j.territory.cast(dt.string),
        outcome=j._outcome.cast(dt.string),
        stage=j.stage.cast(dt.string),
        product=j.product.cast(dt.string),
        type=j.type.cast(dt.string),
        _created=j.created,
        **{a: j[a].cast(dt.string) for a in ACCOUNT_ATTRIBUTES},
    )
    cases = _case_frame(events, base, people, base._created).drop("_created")
    cases = _calendar(con, cases)
    return _log("deals", "deal", events, cases, PLANNING_CURRENCY)


def leads_log(engine: Engine, con: ibis.BaseBackend) -> EventLog:
    """Leads through their activities; outcome converted/disqualified/open by the lead's status."""
    people = con.table("people")
    events = _with_resource_team(_events(con.table("lead_events"), "lead"), people)
    leads = con.table("leads")
    status = leads.status.cast(dt.string)
    base = leads.select(
        case_id=leads.id.cast(dt.string),
        owner=leads.owner.cast(dt.string),
        territory=leads.region.cast(dt.string),
        outcome=status.substitute(
            {"converted": "converted", "disqualified": "disqualified"}, else_="open"
        ),
        source=leads.source.cast(dt.string),
        industry=leads.industry.cast(dt.string),
        region=leads.region.cast(dt.string),
        status=status,
        _created=leads.created,
    )
    cases = _case_frame(events, base, people, base._created).drop("_created")
    cases = _region_calendar(con, cases)
    return _log("leads", "lead", events, cases, None)


def tickets_log(engine: Engine, con: ibis.BaseBackend) -> EventLog:
    """Tickets through their steps; outcome closed/open by whether the ticket was closed."""
    people = con.table("people")
    events = _with_resource_team(_events(con.table("ticket_events"), "ticket"), people)
    tickets, accounts = con.table("tickets"), con.table("accounts")
    j = tickets.left_join(accounts, tickets.account == accounts.id)
    base = j.select(
        case_id=j.id.cast(dt.string),
        owner=j.owner.cast(dt.string),
        territory=j.territory.cast(dt.string),
        outcome=ibis.ifelse(j.closed.notnull(), "closed", "open"),
        priority=j.priority.cast(dt.string),
        channel=j.channel.cast(dt.string),
        status=j.status.cast(dt.string),
        _opened=j.opened.date(),
        **{a: j[a].cast(dt.string) for a in ACCOUNT_ATTRIBUTES},
    )
    cases = _case_frame(events, base, people, base._opened).drop("_opened")
    cases = _calendar(con, cases)
    return _log("tickets", "ticket", events, cases, None)


def _log(
    name: str, label: str, events: ibis.Table, cases: ibis.Table, currency: str | None
) -> EventLog:
    ev = canonical_events(events)
    cs = canonical_cases(cases, ev)
    con = ev._find_backend()
    if con.name == "duckdb":  # a copy of the store: keep the log's tables, built once
        ev = con.create_table(f"process_{name}_events", ev, overwrite=True)
        cs = con.create_table(f"process_{name}_cases", cs, overwrite=True)
    return EventLog(name, label, ev, cs, currency)


BUILT_IN: dict[str, Callable[[Engine, ibis.BaseBackend], EventLog]] = {
    "deals": deals_log,
    "leads": leads_log,
    "tickets": tickets_log,
}
TABLES: dict[str, tuple[str, ...]] = {
    "deals": ("deal_stage_events", "deals", "accounts", "territories", "people", "fx_rates"),
    "leads": ("lead_events", "leads", "territories", "people"),
    "tickets": ("ticket_events", "tickets", "accounts", "territories", "people"),
}
"""The store tables each built-in log reads."""
