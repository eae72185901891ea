"""What people see of the pay lifecycle, within their scope: periods with their approvals and
ledger totals, disputes in a viewer's scope, and a statement when the ledger has one.

Writes go straight to attain.pay's actions (they own the transaction and the audit entry).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Engine, select

from attain.access import Scope
from attain.audit.actor import Actor
from attain.pay import approvals, period_states
from attain.pay.approval_cover import Cover, Progress
from attain.pay.approvals import ApprovalStep, manager_level
from attain.pay.dispute_list import PAGE, DisputePage, DisputeView, dispute_page, load_disputes
from attain.pay.next_steps import NextStep, next_step
from attain.pay.periods import kind_of, parse_period, refusal_for, run_spans
from attain.pay.run_states import plan_currencies
from attain.pay.schema import LedgerLine

KINDS = ("month", "quarter", "week", "year")


@dataclass(frozen=True)
class PeriodRow:
    period: str
    status: str
    version: int
    payees: int
    total: Decimal
    approvals: list[ApprovalStep]
    prepared_by: str | None = None
    currency: str = ""
    """The currency of `total` (its plans' payout currency); "" when they pay in several."""
    progress: Progress | None = None
    """How far the manager level has got, while the period is prepared."""
    yours: Cover | None = None
    """What the viewer's approval at the manager level would cover, while it is prepared."""

    @property
    def managers_done(self) -> bool:
        return self.progress is not None and self.progress.complete


def periods(engine: Engine, scope: Scope, actor: Actor | None = None) -> list[PeriodRow]:
    """Every period with ledger lines or a lifecycle state, newest first, totals in scope; a
    prepared one with its manager level's progress and what `actor`'s approval would cover."""
    states = {s.period: s for s in period_states(engine)}
    totals: dict[str, Decimal] = defaultdict(Decimal)
    payees: dict[str, set[str]] = defaultdict(set)
    plans: dict[str, set[str]] = defaultdict(set)
    with engine.connect() as conn:
        for period, payee, plan, amount in conn.execute(
            select(LedgerLine.period, LedgerLine.payee, LedgerLine.plan, LedgerLine.amount)
        ):
            if scope.sees(payee):
                totals[period] += Decimal(amount)
                payees[period].add(payee)
                plans[period].add(plan)
        currency_of = plan_currencies(conn)
    out = []
    for period in sorted(set(states) | set(totals), reverse=True):
        s = states.get(period)
        level = manager_level(engine, period) if s and s.status == "prepared" else None
        out.append(
            PeriodRow(
                period,
                s.status if s else "open",
                s.version if s else 0,
                len(payees[period]),
                totals[period].quantize(Decimal("0.01")),
                approvals(engine, period) if s and s.status != "open" else [],
                s.prepared_by if s else None,
                _one({currency_of.get(p, "") for p in plans[period]}),
                level.progress() if level else None,
                level.cover(actor) if level and actor else None,
            )
        )
    return out


def _one(currencies: set[str]) -> str:
    return next(iter(currencies)) if len(currencies) == 1 else ""


@dataclass(frozen=True)
class PeriodLine:
    """One period on the periods page: its figures, dates, and what the viewer may do."""

    row: PeriodRow
    kind: str
    start: dt.date
    end: dt.date
    step: NextStep

    @property
    def period(self) -> str:
        return self.row.period


@dataclass(frozen=True)
class PeriodYear:
    kind: str
    year: int
    lines: list[PeriodLine]
    expanded: bool


@dataclass(frozen=True)
class PeriodsPage:
    """In-flight and current periods on top, then every period by kind and year, newest first."""

    current: list[PeriodLine]
    years: list[PeriodYear]


def periods_page(engine: Engine, scope: Scope, actor: Actor, today: dt.date) -> PeriodsPage:
    """The periods page for `actor` as of `today`: each period's next step, or why there is none."""
    rows = periods(engine, scope, actor)
    with engine.connect() as conn:
        spans = run_spans(conn)
    lines = []
    for r in rows:
        p = parse_period(r.period)
        approved: dict[str, set[str]] = defaultdict(set)
        for a in r.approvals:
            approved[a.level].add(a.approved_by)
        refusal = (
            refusal_for(r.period, spans.get(r.period, []), today) if r.status == "open" else None
        )
        step = next_step(
            actor,
            r.status,
            r.prepared_by,
            dict(approved),
            refusal,
            managers_done=r.managers_done,
            yours=len(r.yours.lines) if r.yours else 0,
        )
        lines.append(PeriodLine(r, kind_of(r.period), p.start, p.end, step))
    lines.sort(key=lambda ln: ln.start, reverse=True)
    grouped: dict[tuple[str, int], list[PeriodLine]] = defaultdict(list)
    for ln in lines:
        grouped[(ln.kind, int(ln.period[:4]))].append(ln)
    years = []
    for kind in KINDS:
        mine = sorted((y for k, y in grouped if k == kind), reverse=True)
        # weeks come fifty a year: folded, the current ones are on top anyway
        years += [
            PeriodYear(kind, y, grouped[(kind, y)], i == 0 and kind != "week")
            for i, y in enumerate(mine)
        ]
    return PeriodsPage(_current(lines, today), years)


def _current(lines: list[PeriodLine], today: dt.date) -> list[PeriodLine]:
    """Periods under approval, and per kind the one running and the newest one over, not closed."""
    picked = {ln.period for ln in lines if ln.row.status in ("prepared", "approved")}
    for kind in KINDS:
        mine = [ln for ln in lines if ln.kind == kind]
        running = next((ln for ln in mine if ln.start <= today <= ln.end), None)
        over = next((ln for ln in mine if ln.end < today), None)
        picked |= {ln.period for ln in (running, over) if ln and ln.row.status != "closed"}
    return [ln for ln in lines if ln.period in picked]


def visible_disputes(
    engine: Engine, scope: Scope, *, limit: int = PAGE, offset: int = 0
) -> DisputePage:
    """One page of the disputes the viewer may see (about a payee of theirs in the dispute's
    period), newest first, with how many there are in all."""
    if scope.manager is None:  # everyone, or a fixed set of payees: the store pages it
        return dispute_page(engine, payees=scope.payees, limit=limit, offset=offset)
    return dispute_page(
        engine, sees=lambda p, period: scope.sees_in(engine, p, period), limit=limit, offset=offset
    )


def dispute_in_scope(engine: Engine, scope: Scope, dispute_id: int) -> DisputeView | None:
    """The dispute, if the viewer may see it."""
    with engine.connect() as conn:
        found = load_disputes(conn, [dispute_id])
    if found and scope.sees_in(engine, found[0].payee, found[0].period):
        return found[0]
    return None


def has_ledger(engine: Engine, payee: str, period: str) -> bool:
    with engine.connect() as conn:
        return (
            conn.execute(
                select(LedgerLine.id)
                .where(LedgerLine.payee == payee, LedgerLine.period == period)
                .limit(1)
            ).first()
            is not None
        )
