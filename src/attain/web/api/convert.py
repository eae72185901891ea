"""From the modules' objects to the API's shapes."""

from __future__ import annotations

from attain.comp.runs.schema import CompRun
from attain.comp.runs.show import StoredLine
from attain.web.api.models import (
    AttainmentOut,
    EarningsOut,
    EstimateOut,
    Line,
    RunOut,
)
from attain.web.pay import Earnings
from attain.web.whatif import Estimate


def line_out(ln: StoredLine) -> Line:
    return Line(
        plan=ln.plan,
        payee=ln.payee,
        period=ln.period,
        component=ln.component,
        amount=ln.amount,
        trace=ln.trace,
    )


def earnings_out(e: Earnings) -> EarningsOut:
    return EarningsOut(
        payee=e.payee,
        name=e.name,
        run_id=e.run_id,
        period=e.period,
        this_period=e.this_period,
        year=e.year,
        year_to_date=e.year_to_date,
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
    return RunOut(
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
