"""The canonical revenue data model: every table attain reads, and the only place it is defined.

Each column may carry `info`:
- `ref`: "table.column" that the value must exist in (checked on import, not by a foreign key,
  because people are effective-dated and their `id` repeats across versions);
- `currency`: the column holds an ISO 4217 currency code.
Primary keys are what imports upsert on.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, DateTime, Index, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from attain.data.types import Money

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "pk": "pk_%(table_name)s",
}

OPEN_START = dt.date(1900, 1, 1)
"""`valid_from` of a row that has been in force since before any data."""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def ref(target: str) -> dict[str, str]:
    return {"ref": target}


CURRENCY = {"currency": "iso4217"}


def written_as(format_name: str) -> dict[str, str]:
    """A text column whose values follow a format of `attain.data.work_hours.FORMATS`."""
    return {"format": format_name}


class Team(Base):
    __tablename__ = "teams"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    parent: Mapped[str | None] = mapped_column(String(64), info=ref("teams.id"))
    business: Mapped[str | None] = mapped_column(String(16))  # b2b | b2c


class WorkCalendarRow(Base):
    """When a territory's people are at work, so that waiting times can leave out nights,
    weekends and holidays (read by `attain.process.calendar`)."""

    __tablename__ = "work_calendars"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), info=written_as("timezone"))
    """IANA timezone the hours are in, such as `Europe/Berlin`."""
    workdays: Mapped[str] = mapped_column(String(64), info=written_as("workdays"))
    """Working weekdays: `mon-fri`, `sun-thu` or `mon,tue,thu`."""
    opens: Mapped[str] = mapped_column(String(8), info=written_as("clock"))
    """Local time of day work starts, `09:00`."""
    closes: Mapped[str] = mapped_column(String(8), info=written_as("clock"))
    """Local time of day work stops, `17:30`."""


class WorkCalendarHoliday(Base):
    """A day a work calendar does not work (a local date)."""

    __tablename__ = "work_calendar_holidays"
    calendar: Mapped[str] = mapped_column(
        String(64), primary_key=True, info=ref("work_calendars.id")
    )
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))


class Territory(Base):
    __tablename__ = "territories"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(64))
    calendar: Mapped[str | None] = mapped_column(String(64), info=ref("work_calendars.id"))
    """The work calendar the territory works by (none: waits are elapsed time)."""


class Person(Base):
    """A person, one row per version: the row in force on a date has valid_from <= date <= valid_to."""

    __tablename__ = "people"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    valid_from: Mapped[dt.date] = mapped_column(Date, primary_key=True, default=OPEN_START)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str | None] = mapped_column(String(64))
    manager: Mapped[str | None] = mapped_column(String(64), info=ref("people.id"))
    team: Mapped[str | None] = mapped_column(String(64), info=ref("teams.id"))
    territory: Mapped[str | None] = mapped_column(String(64), info=ref("territories.id"))
    currency: Mapped[str | None] = mapped_column(String(3), info=CURRENCY)
    hired: Mapped[dt.date | None] = mapped_column(Date)


class Account(Base):
    __tablename__ = "accounts"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    segment: Mapped[str | None] = mapped_column(String(64))
    industry: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)  # employees
    revenue: Mapped[Decimal | None] = mapped_column(Money)
    region: Mapped[str | None] = mapped_column(String(64))
    territory: Mapped[str | None] = mapped_column(String(64), info=ref("territories.id"))


class Product(Base):
    __tablename__ = "products"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    family: Mapped[str | None] = mapped_column(String(64))
    list_price: Mapped[Decimal | None] = mapped_column(Money)
    currency: Mapped[str | None] = mapped_column(String(3), info=CURRENCY)


class Deal(Base):
    __tablename__ = "deals"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(64), info=ref("people.id"))
    account: Mapped[str | None] = mapped_column(String(64), info=ref("accounts.id"))
    product: Mapped[str | None] = mapped_column(String(64), info=ref("products.id"))
    type: Mapped[str | None] = mapped_column(String(16))  # new | expansion | renewal
    amount: Mapped[Decimal | None] = mapped_column(Money)
    currency: Mapped[str | None] = mapped_column(String(3), info=CURRENCY)
    stage: Mapped[str] = mapped_column(String(32))
    created: Mapped[dt.date | None] = mapped_column(Date)
    close_date: Mapped[dt.date | None] = mapped_column(Date)
    term_months: Mapped[int | None] = mapped_column(Integer)
    cancelled_date: Mapped[dt.date | None] = mapped_column(Date)
    paid_date: Mapped[dt.date | None] = mapped_column(Date)


class DealStage(Base):
    """The stage catalog: each deal stage's name, its order in the funnel, and its category.

    Every module that asks "is this deal open, won or lost?" reads this table, never a spelling.
    """

    __tablename__ = "deal_stages"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(8))  # open | won | lost
    probability: Mapped[Decimal | None] = mapped_column(Money)  # 0..1, a default win chance


class DealStageEvent(Base):
    __tablename__ = "deal_stage_events"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    deal: Mapped[str] = mapped_column(String(64), info=ref("deals.id"))
    from_stage: Mapped[str | None] = mapped_column(String(32))
    to_stage: Mapped[str] = mapped_column(String(32))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    by: Mapped[str | None] = mapped_column(String(64), info=ref("people.id"))


class DealHistoryRow(Base):
    """A snapshot of a deal's forecast fields, as CRM history exports give them (Salesforce
    OpportunityHistory): one row at creation and one each time stage, amount, expected close
    date or forecast category changed. It is what lets a forecast see the pipeline as it was."""

    __tablename__ = "deal_history"
    __table_args__ = (Index("ix_deal_history_deal_at", "deal", "at"),)
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    deal: Mapped[str] = mapped_column(String(64), info=ref("deals.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    """When these values took effect."""
    stage: Mapped[str] = mapped_column(String(32))
    amount: Mapped[Decimal | None] = mapped_column(Money)
    """In the deal's currency."""
    close_date: Mapped[dt.date | None] = mapped_column(Date)
    """The expected close date then (for a won or lost deal, its decision date)."""
    forecast_category: Mapped[str | None] = mapped_column(String(16))
    """pipeline | best_case | commit | omitted | closed"""
    by: Mapped[str | None] = mapped_column(String(64), info=ref("people.id"))


class DealSplit(Base):
    __tablename__ = "deal_splits"
    deal: Mapped[str] = mapped_column(String(64), primary_key=True, info=ref("deals.id"))
    payee: Mapped[str] = mapped_column(String(64), primary_key=True, info=ref("people.id"))
    share: Mapped[Decimal] = mapped_column(Money)


class Store(Base):
    __tablename__ = "stores"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(64))
    territory: Mapped[str | None] = mapped_column(String(64), info=ref("territories.id"))
    manager: Mapped[str | None] = mapped_column(String(64), info=ref("people.id"))


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seller: Mapped[str] = mapped_column(String(64), info=ref("people.id"))
    store: Mapped[str | None] = mapped_column(String(64), info=ref("stores.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    product: Mapped[str | None] = mapped_column(String(64), info=ref("products.id"))
    units: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str | None] = mapped_column(String(3), info=CURRENCY)


class Lead(Base):
    __tablename__ = "leads"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(64))
    company: Mapped[str | None] = mapped_column(String(200))
    industry: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    region: Mapped[str | None] = mapped_column(String(64))
    owner: Mapped[str | None] = mapped_column(String(64), info=ref("people.id"))
    status: Mapped[str | None] = mapped_column(String(32))
    converted_date: Mapped[dt.date | None] = mapped_column(Date)
    deal: Mapped[str | None] = mapped_column(String(64), info=ref("deals.id"))


class LeadEvent(Base):
    __tablename__ = "lead_events"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    lead: Mapped[str] = mapped_column(String(64), info=ref("leads.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    activity: Mapped[str] = mapped_column(String(64))
    by: Mapped[str | None] = mapped_column(String(64), info=ref("people.id"))


class Ticket(Base):
    __tablename__ = "tickets"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account: Mapped[str | None] = mapped_column(String(64), info=ref("accounts.id"))
    opened: Mapped[dt.datetime] = mapped_column(DateTime)
    closed: Mapped[dt.datetime | None] = mapped_column(DateTime)
    priority: Mapped[str | None] = mapped_column(String(16))
    channel: Mapped[str | None] = mapped_column(String(32))
    owner: Mapped[str | None] = mapped_column(String(64), info=ref("people.id"))
    status: Mapped[str | None] = mapped_column(String(32))


class TicketEvent(Base):
    __tablename__ = "ticket_events"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    ticket: Mapped[str] = mapped_column(String(64), info=ref("tickets.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    activity: Mapped[str] = mapped_column(String(64))
    by: Mapped[str | None] = mapped_column(String(64), info=ref("people.id"))


class Quota(Base):
    __tablename__ = "quotas"
    payee: Mapped[str] = mapped_column(String(64), primary_key=True, info=ref("people.id"))
    measure: Mapped[str] = mapped_column(String(64), primary_key=True)
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    """`2027`, `2027-Q1`, `2027-01` or `2027-W05`: the window whose quota this is."""
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str | None] = mapped_column(String(3), info=CURRENCY)
    """The quota's currency; none for a count or unit quota, or one in the plan currency."""


class ForecastCall(Base):
    """A payee's submitted forecast call for a period and category; the call in force on a day
    is the latest one submitted by the end of that day."""

    __tablename__ = "forecast_calls"
    payee: Mapped[str] = mapped_column(String(64), primary_key=True, info=ref("people.id"))
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    """`2026-Q4` or `2026-12`: the window the call is for."""
    category: Mapped[str] = mapped_column(String(16), primary_key=True)  # commit | best_case
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime, primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str | None] = mapped_column(String(3), info=CURRENCY)
    submitted_by: Mapped[str | None] = mapped_column(String(64), info=ref("people.id"))


class FxRate(Base):
    """One unit of `currency` is worth `rate` units of the plan currency in `month` (YYYY-MM)."""

    __tablename__ = "fx_rates"
    currency: Mapped[str] = mapped_column(String(3), primary_key=True, info=CURRENCY)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    rate: Mapped[Decimal] = mapped_column(Money)


class PlanAssignment(Base):
    """A payee on a plan from `valid_from` to `valid_to`, both inclusive (`valid_to` may be open)."""

    __tablename__ = "plan_assignments"
    payee: Mapped[str] = mapped_column(String(64), primary_key=True, info=ref("people.id"))
    plan: Mapped[str] = mapped_column(String(64), primary_key=True)
    valid_from: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)


class UserTable(Base):
    """A table a user imported that the data model does not define; plans may read it."""

    __tablename__ = "user_tables"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    columns: Mapped[str] = mapped_column(Text)  # JSON: [{"name":..., "type":...}]
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ImportMapping(Base):
    """A named, saved import mapping (columns, values, date formats, derived columns) as YAML.

    The web import page saves them; `attain import --mapping NAME` uses them.
    """

    __tablename__ = "import_mappings"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    table: Mapped[str] = mapped_column(String(64))
    spec: Mapped[str] = mapped_column(Text)  # YAML
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_by: Mapped[str | None] = mapped_column(String(120))


class SynthTruth(Base):
    """A hidden truth the demo generator used (territory potential, conversion model, bottleneck)."""

    __tablename__ = "synth_truths"
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON


DATA_TABLES: tuple[str, ...] = (
    "work_calendars",
    "work_calendar_holidays",
    "teams",
    "territories",
    "people",
    "accounts",
    "products",
    "deal_stages",
    "deals",
    "deal_stage_events",
    "deal_history",
    "deal_splits",
    "stores",
    "orders",
    "leads",
    "lead_events",
    "tickets",
    "ticket_events",
    "quotas",
    "forecast_calls",
    "fx_rates",
    "plan_assignments",
)
"""Tables of revenue data, in an order where every reference points to an earlier table."""
