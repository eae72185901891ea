"""The API's JSON shapes: money is a decimal string, lists are pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, Field, PlainSerializer, WithJsonSchema, field_validator

from attain.data.ranges import AMOUNT_LIMIT, AMOUNT_PLACES, day_problem

Money = Annotated[
    Decimal,
    PlainSerializer(lambda d: f"{d:.2f}", return_type=str, when_used="json"),
]
"""An amount of money: a decimal string with two places, `"1234.50"`."""

Currency = Annotated[
    str | None,
    Field(
        description="The ISO 4217 code of the amounts beside it (`USD`); null only when there"
        " is no amount or the amounts are in several currencies (then they are null too)."
    ),
]
"""The currency of the money fields of the same object."""

Number = Annotated[
    Decimal,
    PlainSerializer(lambda d: f"{d.normalize():f}", return_type=str, when_used="json"),
]
"""An exact number (measure, rate, attainment) as a decimal string."""


def _utc(value: dt.datetime) -> str:
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    return aware.isoformat().replace("+00:00", "Z")


Timestamp = Annotated[
    dt.datetime,
    PlainSerializer(_utc, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}, mode="serialization"),
]
"""A moment in UTC, RFC 3339 (`2027-01-31T12:00:00Z`); the store keeps naive UTC."""

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: `items`, how many there are in all, and where this page starts."""

    items: list[T]
    total: int
    limit: int
    offset: int


class Me(BaseModel):
    username: str
    role: str
    person: str | None


class PayeeSummary(BaseModel):
    id: str
    name: str


class Line(BaseModel):
    plan: str
    payee: str
    period: str
    component: str
    amount: Money
    currency: Currency
    trace: dict[str, Any]


class AttainmentOut(BaseModel):
    period: str
    measure: str
    attainment: Number
    on_pace: Number
    pace: Number


class EarningsOut(BaseModel):
    payee: str
    name: str
    run_id: str | None
    period: str | None
    this_period: Money | None
    year: str | None
    year_to_date: Money | None
    currency: Currency
    attainment: list[AttainmentOut]
    updated_at: Timestamp | None


class LiveOut(BaseModel):
    payee: str
    period: str | None
    this_period: Money | None
    year_to_date: Money | None
    currency: Currency
    this_period_text: str = Field(description="As the page shows it: `USD 5,019.92`.")
    year_to_date_text: str = Field(description="As the page shows it: `USD 5,019.92`.")
    updated_at: Timestamp | None


class TeamMemberOut(BaseModel):
    payee: str
    name: str
    period: str | None
    this_period: Money | None
    year_to_date: Money | None
    currency: Currency
    attainment: Number | None
    pace: Number | None


class WhatIfIn(BaseModel):
    amount: Decimal = Field(
        default=Decimal(0), ge=0, le=Decimal("1e12"), max_digits=20, decimal_places=6
    )
    deals: list[str] = Field(default_factory=list, max_length=200)


class EstimateOut(BaseModel):
    plan: str
    component: str
    period: str
    measure: str
    measure_now: Number | None
    measure_then: Number | None
    earned_now: Money
    earned_then: Money
    extra: Money
    currency: Currency
    tier_now: int | None
    tier_then: int | None


class WhatIfOut(BaseModel):
    payee: str
    amount: Money
    currency: Currency
    estimates: list[EstimateOut]
    problems: list[str] = Field(default_factory=list)  # deals of a year that cannot be priced
    notes: list[str] = Field(default_factory=list)  # rates not known yet, taken as the latest


class RunOut(BaseModel):
    id: str
    created_at: Timestamp
    span_from: dt.date
    span_to: dt.date
    status: str
    engine_version: str
    line_count: int
    credit_count: int
    total: Money
    currency: Currency


class PeriodTotalOut(BaseModel):
    period: str
    plan: str
    payees: int
    lines: int
    total: Money
    currency: Currency


class PlanSummaryOut(BaseModel):
    plan: str
    versions: int
    published: int | None
    latest: int
    latest_status: str


class PlanVersionOut(BaseModel):
    plan: str
    version: int
    status: str
    sha256: str
    note: str | None
    created_by: str | None
    created_at: Timestamp
    text: str


class PlanDraftIn(BaseModel):
    text: str = Field(min_length=1, max_length=200_000)
    note: str | None = Field(default=None, max_length=300)


class PlanProblemOut(BaseModel):
    line: int
    column: int = 1
    message: str


class SimulateIn(BaseModel):
    text: str = Field(min_length=1, max_length=200_000)
    start: dt.date
    end: dt.date


class PayeeCostOut(BaseModel):
    payee: str
    before: Money
    after: Money
    change: Money
    currency: Currency


class SimulationOut(BaseModel):
    plan: str
    start: dt.date
    end: dt.date
    before: Money
    after: Money
    change: Money
    currency: Currency
    payees: list[PayeeCostOut]


class DealIn(BaseModel):
    """A deal to create or replace (by id); amounts are decimal strings or numbers."""

    id: str = Field(min_length=1, max_length=64)
    owner: str = Field(min_length=1, max_length=64)
    stage: str = Field(min_length=1, max_length=32)
    amount: Decimal | None = Field(
        default=None, ge=0, lt=AMOUNT_LIMIT, decimal_places=AMOUNT_PLACES, allow_inf_nan=False
    )
    currency: str | None = Field(default=None, min_length=3, max_length=3, pattern="^[A-Z]{3}$")
    name: str | None = Field(default=None, max_length=200)
    account: str | None = Field(default=None, max_length=64)
    product: str | None = Field(default=None, max_length=64)
    type: str | None = Field(default=None, max_length=16)
    created: dt.date | None = None
    close_date: dt.date | None = None
    term_months: int | None = Field(default=None, ge=0, le=1200)
    cancelled_date: dt.date | None = None
    paid_date: dt.date | None = None

    @field_validator("created", "close_date", "cancelled_date", "paid_date")
    @classmethod
    def _day_attain_pays(cls, value: dt.date | None) -> dt.date | None:
        """A day outside the engine's calendar (`attain.data.ranges`) is a 422, never kept."""
        problem = None if value is None else day_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value


class DealOut(BaseModel):
    id: str
    owner: str
    stage: str
    amount: Money | None
    currency: str | None
    close_date: dt.date | None
    recalculated_payees: list[str]
    recalculation_seconds: float


class ImportReportOut(BaseModel):
    table: str
    file: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    dry_run: bool
    problems: list[str]
    summary: str


class UserOut(BaseModel):
    id: int
    username: str
    role: str
    person: str | None
    active: bool


class UserIn(BaseModel):
    username: str = Field(min_length=1, max_length=120)
    password: str = Field(min_length=1, max_length=200)  # the policy answers 400 with why
    role: str = Field(pattern="^(admin|finance|manager|rep)$")
    person: str | None = Field(default=None, max_length=64)


class TokenOut(BaseModel):
    token: str
    username: str


class UserChangeIn(BaseModel):
    role: str | None = Field(default=None, pattern="^(admin|finance|manager|rep)$")
    person: str | None = Field(default=None, max_length=64)
    active: bool | None = None


class PasswordIn(BaseModel):
    password: str = Field(min_length=1, max_length=200)  # the policy answers 400 with why


class ApiTokenOut(BaseModel):
    """A token as listed: what it is for and whether it still works, never the token."""

    id: int
    name: str
    created_at: Timestamp
    revoked: bool
    expires_at: Timestamp | None = None


class StatementLineOut(BaseModel):
    id: int
    plan: str
    component: str
    kind: str
    amount: Money
    currency: Currency
    how: list[str]
    note: str | None


class StatementOut(BaseModel):
    """A payee's statement for a period, from the pay ledger."""

    payee: str
    name: str
    period: str
    status: str
    approvals: list[str]
    earned: Money
    adjustments: Money
    held: Money
    released: Money
    total: Money
    year_to_date: Money
    currency: Currency
    lines: list[StatementLineOut]


class AmountOut(BaseModel):
    """An amount in one currency (amounts in several are never added together)."""

    amount: Money
    currency: Currency


class ApprovalOut(BaseModel):
    level: str
    approved_by: str
    approved_at: Timestamp
    version: int = Field(description="The period version the approver saw.")
    lines: int = Field(description="How many ledger lines the approval covered.")
    payees: int
    totals: list[AmountOut] = Field(description="What it covered, per currency.")


class ManagerProgressOut(BaseModel):
    """How far the manager level of a prepared period has got."""

    teams: int
    teams_approved: int
    payees: int
    payees_approved: int
    total: list[AmountOut] = Field(description="The period's total, per currency.")
    approved: list[AmountOut] = Field(
        description="What the manager level approved so far, per currency."
    )
    text: str = Field(description="As the page shows it: `manager approvals: 7 of 9 teams, ...`.")


class CoverOut(BaseModel):
    """What the viewer's approval at the manager level would cover now."""

    payees: list[str]
    lines: list[int] = Field(description="Ledger line ids: pass them back as `lines`.")
    totals: list[AmountOut]
    text: str = Field(description="As the page shows it: `2 payees, 2 lines, USD 1,800.00`.")


class PeriodOut(BaseModel):
    period: str
    status: str
    version: int
    payees: int
    total: Money | None
    currency: Currency
    approvals: list[ApprovalOut]
    manager_approvals: ManagerProgressOut | None = None
    yours: CoverOut | None = Field(
        default=None, description="While prepared: what your manager-level approval covers."
    )


class DisputeIn(BaseModel):
    payee: str = Field(min_length=1, max_length=64)
    period: str = Field(min_length=4, max_length=16)
    subject: str = Field(min_length=1, max_length=500)
    line: int | None = Field(default=None, ge=1, le=2**31 - 1)
    deal: str | None = Field(default=None, min_length=1, max_length=64)


class DisputeOut(BaseModel):
    id: int
    payee: str
    period: str
    subject: str
    status: str
    owner: str | None
    ledger_line: int | None
    deal: str | None
    resolution: str | None


class AccrualOut(BaseModel):
    period: str
    status: str
    payee: str
    plan: str
    amount: Money
    currency: Currency


class AuditOut(BaseModel):
    seq: int
    at: Timestamp
    actor: str
    role: str
    action: str
    entity: str
    entity_id: str | None
    reason: str | None
