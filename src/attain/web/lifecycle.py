"""What the pages show of the pay lifecycle (attain.pay): periods with their approvals and
ledger totals, disputes in a viewer's scope, and a statement when the ledger has one.

Writes go straight to attain.pay's actions (they own the transaction and the audit entry).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Engine, select

from attain.pay import approvals, disputes, period_states
from attain.pay.approvals import ApprovalStep
from attain.pay.disputes import DisputeView
from attain.pay.schema import LedgerLine
from attain.web.access import Scope


@dataclass(frozen=True)
class PeriodRow:
    period: str
    status: str
    version: int
    payees: int
    total: Decimal
    approvals: list[ApprovalStep]


def periods(engine: Engine, scope: Scope) -> list[PeriodRow]:
    """Every period with ledger lines or a lifecycle state, newest first, totals in scope."""
    states = {s.period: s for s in period_states(engine)}
    totals: dict[str, Decimal] = defaultdict(Decimal)
    payees: dict[str, set[str]] = defaultdict(set)
    with engine.connect() as conn:
        for period, payee, amount in conn.execute(
            select(LedgerLine.period, LedgerLine.payee, LedgerLine.amount)
        ):
            if scope.sees(payee):
                totals[period] += Decimal(amount)
                payees[period].add(payee)
    out = []
    for period in sorted(set(states) | set(totals), reverse=True):
        s = states.get(period)
        out.append(
            PeriodRow(
                period,
                s.status if s else "open",
                s.version if s else 0,
                len(payees[period]),
                totals[period].quantize(Decimal("0.01")),
                approvals(engine, period) if s and s.status != "open" else [],
            )
        )
    return out


def visible_disputes(engine: Engine, scope: Scope) -> list[DisputeView]:
    """Disputes about payees the viewer may see, newest first."""
    return [d for d in disputes(engine) if scope.sees(d.payee)]


def dispute_in_scope(engine: Engine, scope: Scope, dispute_id: int) -> DisputeView | None:
    return next((d for d in visible_disputes(engine, scope) if d.id == dispute_id), None)


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
