"""Trace: what produced each payout line, structured, and enough to reproduce its amount.

A statement is a rendering of traces, never a separate calculation; `LineTrace.reproduce()`
recomputes the line from the trace alone (tests hold every line to it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from attain.comp.decimals import SCALE, to_cents

_Q = Decimal(1).scaleb(-SCALE)


def _exact(x: Decimal) -> Decimal:
    return x.quantize(_Q, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class TierSlice:
    """One tier: where it starts (`from` as written, and in measure units), what fell in it."""

    index: int
    from_: Decimal
    lower: Decimal
    rate: Decimal
    quantity: Decimal | None = None  # marginal: the slice of the measure in this tier
    amount: Decimal | None = None  # marginal: quantity × rate


@dataclass(frozen=True)
class LineTrace:
    """The credits, measure, quota, attainment, tiers, curve, gate, cap and draw of one line."""

    kind: str  # rate | tiers | curve | bonus | draw
    window: str = "period"
    credit_ids: tuple[str, ...] = ()
    measure: str | None = None
    measure_value: Decimal | None = None  # over the window (year to date for window: year)
    quota: Decimal | None = None  # in the plan currency
    quota_amount: Decimal | None = None  # a quota in another currency: as written,
    quota_currency: str | None = None  # in this currency,
    quota_rate: Decimal | None = None  # converted at this rate (fx_rates)
    quota_rate_month: str | None = None  # of this month (the first of the quota's period)
    attainment: Decimal | None = None
    rate: Decimal | None = None
    tier_mode: str | None = None
    tiers: tuple[TierSlice, ...] = ()
    tier_reached: int | None = None
    target: Decimal | None = None
    curve_multiple: Decimal | None = None
    bonus: Decimal | None = None
    earned: Decimal | None = None  # before cap and gate (year window: year-to-date earning)
    gate: str | None = None
    gate_passed: bool = True
    gate_inputs: tuple[tuple[str, Decimal | None], ...] = ()  # measure values the gate read
    cap: Decimal | None = None
    cap_applied: bool = False
    paid_before: Decimal | None = None  # year window: paid by earlier periods of the year
    draw_amount: Decimal | None = None
    draw_recoverable: bool | None = None
    draw_earnings: Decimal | None = None  # total of the plan's component lines this period
    draw_balance_before: Decimal | None = None
    draw_balance_after: Decimal | None = None

    def reproduce(self) -> Decimal:
        """The line's amount recomputed from this trace alone."""
        if self.kind == "draw":
            return draw_line(
                self.draw_earnings or Decimal(0),
                self.draw_amount or Decimal(0),
                self.draw_balance_before or Decimal(0),
                bool(self.draw_recoverable),
            )[0]
        earned = self.recompute_earned()
        if self.window == "year":
            if not self.gate_passed:
                return Decimal("0.00")
            increment = to_cents(earned) - (self.paid_before or Decimal(0))
            return min(increment, self.cap) if self.cap is not None else increment
        capped = min(earned, self.cap) if self.cap is not None else earned
        return to_cents(capped) if self.gate_passed else Decimal("0.00")

    def recompute_earned(self) -> Decimal:
        """Earned before cap and gate, from the measure, rates, slices, curve point or bonus."""
        m = self.measure_value or Decimal(0)
        if self.kind == "rate":
            return _exact(m * (self.rate or Decimal(0)))
        if self.kind == "tiers" and self.tier_mode == "marginal":
            return sum((_exact((s.quantity or 0) * s.rate) for s in self.tiers), Decimal(0))
        if self.kind == "tiers":
            reached = self.tier_reached
            rate = self.tiers[reached].rate if reached is not None and reached >= 0 else Decimal(0)
            return _exact(m * rate)
        if self.kind == "curve":
            return _exact((self.target or Decimal(0)) * (self.curve_multiple or Decimal(0)))
        return self.bonus or Decimal(0)


def draw_line(
    earnings: Decimal, amount: Decimal, balance: Decimal, recoverable: bool
) -> tuple[Decimal, Decimal]:
    """(draw line, balance after) for one period: pay up to `amount`, or recover the balance."""
    if earnings < amount:
        shortfall = amount - earnings
        return shortfall, balance + shortfall if recoverable else balance
    if recoverable and balance > 0 and earnings > amount:
        recovered = min(balance, earnings - amount)
        return -recovered, balance - recovered
    return Decimal("0.00"), balance


@dataclass(frozen=True)
class PayoutLine:
    """One amount for one payee, plan, period and component, with its trace."""

    payee: str
    plan: str
    period: str
    component: str
    amount: Decimal
    trace: LineTrace


@dataclass(frozen=True)
class Credit:
    """One source row counted for one payee of one plan (a clawback has kind `clawback`)."""

    credit_id: str
    plan: str
    rule: str
    payee: str
    date: date
    value: Decimal
    kind: str
    source_table: str
    source_id: str | None
