"""What is paid now per period: the finance page's totals, the payouts API and its export."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Engine

from attain.comp.runs.published import shown_run
from attain.comp.runs.show import StoredLine
from attain.pay.current.lines import current_lines
from attain.pay.current.totals import ZERO
from attain.pay.current.versions import cached, list_key, live_version
from attain.pay.line_units import run_units


@dataclass(frozen=True)
class PeriodTotal:
    period: str
    plan: str
    payees: int
    lines: int
    total: Decimal
    currency: str = ""


def payouts_by_period(engine: Engine, payees: frozenset[str] | None = None) -> list[PeriodTotal]:
    """Totals per period and plan of the current lines (for the scope's payees), newest first
    (kept until a newly published run or a live recalculation changes them)."""
    key = live_version(engine, payees)
    return cached("by period", engine, list_key(payees), key, lambda: _by_period(engine, payees))


def _by_period(engine: Engine, payees: frozenset[str] | None) -> list[PeriodTotal]:
    run = shown_run(engine)
    if run is None:
        return []
    who: dict[tuple[str, str], set[str]] = defaultdict(set)
    count: dict[tuple[str, str], int] = defaultdict(int)
    total: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for ln in current_lines(engine, payees, traces="none", run=run):
        key = (ln.period, ln.plan)
        who[key].add(ln.payee)
        count[key] += 1
        total[key] += ln.amount
    units = run_units(run)
    return [
        PeriodTotal(k[0], k[1], len(who[k]), count[k], total[k], units.currency(k[1]))
        for k in sorted(who, reverse=True)
    ]


def period_lines(
    engine: Engine, period: str, payees: frozenset[str] | None = None
) -> list[StoredLine]:
    """Every current line of a period (for the scope's payees), traces' heads only, by payee
    and plan."""
    lines = current_lines(engine, payees, period=period, traces="head")
    lines.sort(key=lambda ln: (ln.payee, ln.plan, ln.component))
    return lines
