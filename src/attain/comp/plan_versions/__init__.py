"""Plan versions: plans edited as text, checked, kept as drafts, and published to be paid.

The store reads and checks; saving a draft and publishing are actions (`attain.actions.plans`).
"""

from __future__ import annotations

from attain.comp.plan_versions.schema import PlanVersionRecord
from attain.comp.plan_versions.store import (
    PlanProblem,
    PlanRejected,
    PlanSummary,
    check_plan_text,
    diff,
    ensure_seeded,
    get_version,
    list_plans,
    published,
    published_plans_dir,
    versions,
)

__all__ = [
    "PlanProblem",
    "PlanRejected",
    "PlanSummary",
    "PlanVersionRecord",
    "check_plan_text",
    "diff",
    "ensure_seeded",
    "get_version",
    "list_plans",
    "published",
    "published_plans_dir",
    "versions",
]
