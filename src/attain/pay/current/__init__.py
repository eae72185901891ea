"""What is paid now: a payee's earnings, their team, payouts by period, a period's lines.

Every figure is summed from one read, `current_lines`: the published run (the newest run whose
lines are in the ledger) with any live lines (recalculated after a deal or order changed)
laid over it. A test run that was never published changes nothing anyone sees. "This period"
is one period per period kind for everyone, the period of that kind holding the run's last day
(or today, when earlier). Every amount carries its plan's currency. Nothing here decides who
may see what: callers pass payees their scope allows.

The payroll export (`attain.pay.exports`) is not "current": it is the ledger of a period
finance approved, and stays so after later changes.
"""

from __future__ import annotations

from attain.pay.current.by_period import PeriodTotal, payouts_by_period, period_lines
from attain.pay.current.earnings import (
    AttainmentPoint,
    Earnings,
    attainment_points,
    earnings,
    earnings_in_run,
    live_updated_at,
    payee_lines,
)
from attain.pay.current.export import current_csv
from attain.pay.current.lines import Traces, current_lines, light_trace, paid_payees
from attain.pay.current.names import person_names
from attain.pay.current.team import Selection, TeamMember, selection, team
from attain.pay.current.this_period import current_periods, started, this_period, year_fraction
from attain.pay.current.totals import ZERO, Totals, one_currency
from attain.pay.current.versions import (
    CACHE_SIZE,
    Version,
    cached,
    forget_cached_pay,
    live_version,
    pay_version,
)

__all__ = [
    "CACHE_SIZE",
    "ZERO",
    "AttainmentPoint",
    "Earnings",
    "PeriodTotal",
    "Selection",
    "TeamMember",
    "Totals",
    "Traces",
    "Version",
    "attainment_points",
    "cached",
    "current_csv",
    "current_lines",
    "current_periods",
    "earnings",
    "earnings_in_run",
    "forget_cached_pay",
    "light_trace",
    "live_updated_at",
    "live_version",
    "one_currency",
    "paid_payees",
    "pay_version",
    "payee_lines",
    "payouts_by_period",
    "period_lines",
    "person_names",
    "selection",
    "started",
    "team",
    "this_period",
    "year_fraction",
]
