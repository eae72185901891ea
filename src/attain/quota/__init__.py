"""Quota planning: set quotas by several methods, backtest them, and publish the chosen ones.

    quotas = plan_quotas(engine, "data_driven", PlanRequest(year=2027, target=Decimal("6e7")))
    result = backtest(engine, 2026)            # every method against 2026, from data before it
    write_report(result, Path("backtest.html"))

Drafts (create, adjust, approve, publish, compare) are the actions in `attain.quota.drafts`.
"""

from __future__ import annotations

from attain.quota.backtest import Backtest, backtest
from attain.quota.errors import QuotaError
from attain.quota.methods import METHODS
from attain.quota.plan import PlanRequest, QuotaSet
from attain.quota.planning import plan_quotas
from attain.quota.report import write_report

__all__ = [
    "METHODS",
    "Backtest",
    "PlanRequest",
    "QuotaError",
    "QuotaSet",
    "backtest",
    "plan_quotas",
    "write_report",
]
