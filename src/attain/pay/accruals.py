"""For the books: commission accruals of periods not yet closed, and the ASC 340-40 schedule.

ASC 340-40: a commission that is an incremental cost of obtaining a contract is capitalised and
expensed over the contract's benefit period. Each calculated line is split over the deals behind
it (the credits dated in its period, by value); each deal's share is capitalised in the month it
was earned and amortised straight-line over the deal's `term_months` (else `default_term`), in
cents, the last month taking the remainder. Lines not backed by a deal (a draw, a bonus without
credits), true-ups and adjustments are expensed when incurred. With `expedient`, costs of
contracts of twelve months or less are expensed at once (the standard's practical expedient).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Engine, select

from attain.comp.runs.schema import RunCredit
from attain.data.schema import Deal
from attain.pay.actions import engine_of
from attain.pay.periods import parse_period
from attain.pay.schema import LedgerLine, PayPeriod

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Accrual:
    period: str
    status: str
    payee: str
    plan: str
    amount: Decimal


def accruals(url: str | Engine | None) -> list[Accrual]:
    """What is owed for every period that is not closed, per payee and plan."""
    with engine_of(url).connect() as conn:
        status = dict(conn.execute(select(PayPeriod.period, PayPeriod.status)).all())
        sums: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
        for r in conn.execute(
            select(LedgerLine.period, LedgerLine.payee, LedgerLine.plan, LedgerLine.amount)
        ):
            if status.get(r.period, "open") != "closed":
                sums[(r.period, r.payee, r.plan)] += Decimal(r.amount)
    return [
        Accrual(p, status.get(p, "open"), payee, plan, a.quantize(CENT))
        for (p, payee, plan), a in sorted(sums.items())
        if a != 0
    ]


@dataclass(frozen=True)
class ScheduleMonth:
    month: str
    capitalised: Decimal
    amortised: Decimal
    expensed: Decimal
    balance: Decimal

    @property
    def expense(self) -> Decimal:
        return self.amortised + self.expensed


@dataclass(frozen=True)
class CapitalisedCost:
    deal: str
    payee: str
    month: str
    amount: Decimal
    term_months: int


def _month(d: date) -> str:
    return f"{d:%Y-%m}"


def _add_months(month: str, n: int) -> str:
    y, m = int(month[:4]), int(month[5:])
    k = y * 12 + m - 1 + n
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def asc340_schedule(
    url: str | Engine | None, *, default_term: int = 12, expedient: bool = False
) -> tuple[list[ScheduleMonth], list[CapitalisedCost]]:
    """Month by month: capitalised, amortised, expensed at once, and the asset's balance."""
    engine = engine_of(url)
    capitalised: list[CapitalisedCost] = []
    expensed: dict[str, Decimal] = defaultdict(Decimal)
    with engine.connect() as conn:
        terms = {r.id: r.term_months for r in conn.execute(select(Deal.id, Deal.term_months))}
        lines = conn.execute(select(LedgerLine)).mappings().all()
        runs = {r["run_id"] for r in lines if r["kind"] == "calculated" and r["run_id"]}
        credits: dict[str, dict[str, Any]] = {}
        for run_id in runs:
            credits[run_id] = {
                c.credit_id: c
                for c in conn.execute(
                    select(
                        RunCredit.credit_id,
                        RunCredit.source_table,
                        RunCredit.source_id,
                        RunCredit.date,
                        RunCredit.value,
                    ).where(RunCredit.run_id == run_id)
                )
            }
        from attain.comp.runs.schema import PayoutLine

        traces = {
            (r.run_id, r.plan, r.payee, r.period, r.component): r.trace
            for r in conn.execute(
                select(
                    PayoutLine.run_id,
                    PayoutLine.plan,
                    PayoutLine.payee,
                    PayoutLine.period,
                    PayoutLine.component,
                    PayoutLine.trace,
                ).where(PayoutLine.run_id.in_(sorted(runs) or [""]))
            )
        }
    import json

    for r in lines:
        p = parse_period(r["period"])
        month = _month(p.end)
        amount = Decimal(r["amount"])
        if r["kind"] != "calculated" or not r["run_id"]:
            if r["kind"] not in ("held", "release"):
                expensed[month] += amount
            continue
        trace = json.loads(
            traces.get((r["run_id"], r["plan"], r["payee"], r["for_period"], r["component"]), "{}")
        )
        own = [
            c
            for c in (credits[r["run_id"]].get(i) for i in trace.get("credit_ids", []))
            if c is not None and c.source_table == "deals" and p.start <= c.date <= p.end
        ]
        total = sum((c.value for c in own), Decimal(0))
        if total == 0:
            expensed[month] += amount
            continue
        by_deal: dict[str, Decimal] = defaultdict(Decimal)
        first: dict[str, date] = {}
        for c in own:
            deal = c.source_id or "?"
            by_deal[deal] += c.value
            first[deal] = min(first.get(deal, c.date), c.date)
        left = amount
        for i, (deal_id, value) in enumerate(sorted(by_deal.items())):
            last = i == len(by_deal) - 1
            share = left if last else (amount * value / total).quantize(CENT, ROUND_HALF_UP)
            left -= share
            term = terms.get(deal_id) or default_term
            if expedient and term <= 12:
                expensed[_month(first[deal_id])] += share
            else:
                capitalised.append(
                    CapitalisedCost(deal_id, r["payee"], _month(first[deal_id]), share, term)
                )
    adds: dict[str, Decimal] = defaultdict(Decimal)
    amort: dict[str, Decimal] = defaultdict(Decimal)
    for cost in capitalised:
        adds[cost.month] += cost.amount
        each = (cost.amount / cost.term_months).quantize(CENT, ROUND_HALF_UP)
        for k in range(cost.term_months):
            amort[_add_months(cost.month, k)] += (
                each if k < cost.term_months - 1 else cost.amount - each * (cost.term_months - 1)
            )
    months = sorted(set(adds) | set(amort) | set(expensed))
    schedule = []
    balance = Decimal("0.00")
    if months:
        m = months[0]
        while m <= months[-1]:
            balance += adds.get(m, Decimal(0)) - amort.get(m, Decimal(0))
            schedule.append(
                ScheduleMonth(
                    m,
                    adds.get(m, Decimal("0.00")),
                    amort.get(m, Decimal("0.00")),
                    expensed.get(m, Decimal("0.00")),
                    balance.quantize(CENT),
                )
            )
            m = _add_months(m, 1)
    return schedule, capitalised
