"""The JSON shapes of forecasts, deal scores, calls and lead scores: money is a decimal string
with its currency, probabilities are numbers from 0 to 1."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pydantic import BaseModel, Field

from attain.web.api.models import Money, Number, Timestamp

CENT = Decimal("0.01")


class NodeForecastOut(BaseModel):
    """One node of the hierarchy: model, calls and weighted pipeline side by side."""

    node: str = Field(description='A manager or rep by person id; "" is the whole company.')
    name: str
    currency: str
    closed: Money
    open_expected: Money
    not_yet_created: Money
    expected: Money
    low: Money = Field(description="10th percentile of the simulated outcome.")
    high: Money = Field(description="90th percentile of the simulated outcome.")
    weighted_pipeline: Money
    commit: Money | None
    best_case: Money | None
    quota: Money | None
    expected_attainment: Number | None
    expected_commission: Money | None
    children: list[NodeForecastOut]


class DealScoreOut(BaseModel):
    """An open deal's scores and the reasons behind them."""

    deal: str
    name: str
    owner: str
    stage: str
    close_date: dt.date
    amount: Money
    currency: str
    p_win: float
    p_close_in_period: float
    expected: Money
    swing: Money
    reasons: list[str]
    at_risk: bool


class PipelineOut(BaseModel):
    period: str
    as_of: dt.date
    currency: str
    root: NodeForecastOut


class DealScoresOut(BaseModel):
    period: str
    as_of: dt.date
    items: list[DealScoreOut]
    total: int
    limit: int
    offset: int


class CallIn(BaseModel):
    period: str = Field(max_length=16, examples=["2026-Q4"])
    category: str = Field(pattern="^(commit|best_case)$")
    amount: Decimal = Field(description="A decimal string, `1200000.00`.")
    currency: str = Field(default="USD", min_length=3, max_length=3)
    payee: str | None = Field(
        default=None, max_length=64, description="Whose call (admins); yourself by default."
    )


class CallOut(BaseModel):
    payee: str
    period: str
    category: str
    amount: Money
    currency: str
    submitted_at: Timestamp
    submitted_by: str | None = Field(description="The person who submitted it; null for an admin.")


class LeadScoreOut(BaseModel):
    lead: str
    owner: str | None
    probability: float = Field(description="That the lead converts within its window.")
    band: str = Field(description="Priority band, A (best) to D.")
    reasons: list[str]


class LeadScoresOut(BaseModel):
    day: dt.date
    window_days: int
    items: list[LeadScoreOut]
    total: int
    limit: int
    offset: int


def _cents(value: Decimal) -> Decimal:
    """Money as people see it: to cents, half away from zero, rounded once here."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _maybe(value: Decimal | None) -> Decimal | None:
    return None if value is None else _cents(value)


def node_out(node: Any) -> NodeForecastOut:
    return NodeForecastOut(
        node=node.node,
        name=node.name,
        currency=node.currency,
        closed=_cents(node.closed),
        open_expected=_cents(node.open_expected),
        not_yet_created=_cents(node.not_yet_created),
        expected=_cents(node.expected),
        low=_cents(node.low),
        high=_cents(node.high),
        weighted_pipeline=_cents(node.weighted_pipeline),
        commit=_maybe(node.commit),
        best_case=_maybe(node.best_case),
        quota=_maybe(node.quota),
        expected_attainment=node.expected_attainment,
        expected_commission=_maybe(node.expected_commission),
        children=[node_out(c) for c in node.children],
    )


def deal_out(d: Any) -> DealScoreOut:
    return DealScoreOut(
        deal=d.deal,
        name=d.name,
        owner=d.owner,
        stage=d.stage,
        close_date=d.close_date,
        amount=_cents(d.amount),
        currency=d.currency,
        p_win=round(float(d.p_win), 6),
        p_close_in_period=round(float(d.p_close_in_period), 6),
        expected=_cents(d.expected),
        swing=_cents(d.swing),
        reasons=list(d.reasons),
        at_risk=bool(d.at_risk),
    )
