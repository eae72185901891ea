"""From the modules' objects to the API's shapes."""

from __future__ import annotations

from decimal import Decimal

from attain.comp.runs.schema import CompRun
from attain.comp.runs.show import StoredLine
from attain.comp.whatif import Estimate
from attain.pay.current import Earnings, TeamMember, Totals
from attain.pay.line_units import run_units
from attain.web.api.models import (
    AttainmentOut,
    EarningsOut,
    EstimateOut,
    Line,
    RunOut,
    TeamMemberOut,
)


def line_out(ln: StoredLine, currency: str) -> Line:
    return Line(
        plan=ln.plan,
        payee=ln.payee,
        period=ln.period,
        component=ln.component,
        amount=ln.amount,
        currency=currency or None,
        trace=ln.trace,
    )


def in_one_currency(amounts: Totals, fallback: str) -> tuple[Decimal | None, str | None]:
    """An amount and its currency; both null when the amounts are in several currencies."""
    if not amounts:
        return Decimal("0.00"), fallback or None
    return amounts.single()


def earnings_out(e: Earnings) -> EarningsOut:
    this_period, currency = in_one_currency(e.this_period_by, e.currency)
    year_to_date, _ = in_one_currency(e.year_to_date_by, e.currency)
    return EarningsOut(
        payee=e.payee,
        name=e.name,
        run_id=e.run_id,
        period=e.period,
        this_period=this_period,
        year=e.year,
        year_to_date=year_to_date,
        currency=currency if this_period is not None else None,
        attainment=[
            AttainmentOut(
                period=a.period,
                measure=a.measure,
                attainment=a.attainment,
                on_pace=a.on_pace,
                pace=a.pace,
            )
            for a in e.attainment
        ],
        updated_at=e.updated_at,
    )


def team_member_out(m: TeamMember) -> TeamMemberOut:
    this_period, currency = in_one_currency(m.this_period, m.currency)
    year_to_date, ytd_currency = in_one_currency(m.year_to_date, m.currency)
    return TeamMemberOut(
        payee=m.payee,
        name=m.name,
        period=m.period,
        this_period=this_period if currency == ytd_currency else None,
        year_to_date=year_to_date if currency == ytd_currency else None,
        currency=ytd_currency if currency == ytd_currency else None,
        attainment=m.attainment,
        pace=m.pace,
    )


def estimate_out(x: Estimate) -> EstimateOut:
    return EstimateOut(
        plan=x.plan,
        component=x.component,
        period=x.period,
        measure=x.measure,
        measure_now=x.measure_now,
        measure_then=x.measure_then,
        earned_now=x.earned_now,
        earned_then=x.earned_then,
        extra=x.extra,
        currency=x.currency,
        tier_now=x.tier_now,
        tier_then=x.tier_then,
    )


def run_out(r: CompRun) -> RunOut:
    currencies = set(run_units(r).plans.values())
    return RunOut(
        currency=next(iter(currencies)) if len(currencies) == 1 else None,
        id=r.id,
        created_at=r.created_at,
        span_from=r.span_from,
        span_to=r.span_to,
        status=r.status,
        engine_version=r.engine_version,
        line_count=r.line_count,
        credit_count=r.credit_count,
        total=r.total,
    )
