"""Quota planning: set quotas by several methods, backtest them, and publish the chosen ones.

Public functions: `plan_quotas` (one method, one year), `backtest` (every method against a past
year), `write_report` (the backtest as HTML), and the draft actions in `attain.quota.drafts`.
"""

from __future__ import annotations

from attain.quota.backtest import Backtest, backtest
from attain.quota.errors import QuotaError
from attain.quota.methods import METHODS
from attain.quota.plan import PlanRequest, QuotaSet
from attain.quota.planning import plan_quotas

__all__ = [
    "METHODS",
    "Backtest",
    "PlanRequest",
    "QuotaError",
    "QuotaSet",
    "backtest",
    "plan_quotas",
]
