"""The what-if estimator: what a rep would earn this period with more bookings, and which tier
that reaches, from the tiers and rates their latest lines were paid by.

An estimate, not a calculation: it adds the amount to the measure of each rate or tier line of
the payee's latest period and prices the new measure with that line's own tiers (its trace).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Engine, select

from attain.comp.runs.show import StoredLine
from attain.data.schema import Deal

CENT = Decimal("0.01")
CLOSED_STAGES = ("won", "lost")


@dataclass(frozen=True)
class OpenDeal:
    id: str
    name: str
    amount: Decimal
    currency: str
    stage: str
    close_date: str


@dataclass(frozen=True)
class Estimate:
    """One component's pay now and with the extra amount, and the tier each reaches."""

    plan: str
    component: str
    period: str
    measure: str
    measure_now: Decimal
    measure_then: Decimal
    earned_now: Decimal
    earned_then: Decimal
    tier_now: int | None
    tier_then: int | None
    tiers: int

    @property
    def extra(self) -> Decimal:
        return (self.earned_then - self.earned_now).quantize(CENT, ROUND_HALF_UP)


def open_deals(engine: Engine, payee: str, limit: int = 200) -> list[OpenDeal]:
    """The payee's deals that are neither won nor lost, biggest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Deal.id, Deal.name, Deal.amount, Deal.currency, Deal.stage, Deal.close_date)
            .where(Deal.owner == payee, Deal.stage.not_in(CLOSED_STAGES))
            .limit(limit)
        ).all()
    deals = [
        OpenDeal(
            r.id,
            r.name or r.id,
            r.amount or Decimal(0),
            r.currency or "",
            r.stage,
            str(r.close_date or ""),
        )
        for r in rows
    ]
    return sorted(deals, key=lambda d: -d.amount)


def _price(trace: dict[str, Any], measure: Decimal) -> tuple[Decimal, int | None]:
    """What a line's tiers (or rate) pay on `measure`, and the index of the tier reached."""
    if "tiers" in trace:
        tiers = [(Decimal(t["lower"]), Decimal(t["rate"])) for t in trace["tiers"]]
        reached = max((i for i, (low, _r) in enumerate(tiers) if measure >= low), default=0)
        if trace.get("tier_mode") == "retroactive":
            earned = measure * tiers[reached][1]
        else:
            earned = Decimal(0)
            for i, (low, rate) in enumerate(tiers):
                high = tiers[i + 1][0] if i + 1 < len(tiers) else None
                top = measure if high is None else min(measure, high)
                if top > low:
                    earned += (top - low) * rate
        return earned, reached
    return measure * Decimal(trace.get("rate", "0")), None


def estimate(lines: list[StoredLine], extra: Decimal) -> list[Estimate]:
    """For each rate or tier line among `lines` (one period's): pay now and with `extra` more."""
    out = []
    for ln in lines:
        t = ln.trace
        if "measure_value" not in t or ("tiers" not in t and "rate" not in t):
            continue
        now = Decimal(t["measure_value"])
        then = now + extra
        earned_now, tier_now = _price(t, now)
        earned_then, tier_then = _price(t, then)
        if "cap" in t:
            cap = Decimal(t["cap"])
            earned_now, earned_then = min(earned_now, cap), min(earned_then, cap)
        out.append(
            Estimate(
                plan=ln.plan,
                component=ln.component,
                period=ln.period,
                measure=str(t.get("measure", "")),
                measure_now=now,
                measure_then=then,
                earned_now=earned_now,
                earned_then=earned_then,
                tier_now=tier_now,
                tier_then=tier_then,
                tiers=len(t.get("tiers", [])),
            )
        )
    return out
