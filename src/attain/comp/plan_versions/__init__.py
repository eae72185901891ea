"""Plan versions: plans edited as text, checked, kept as drafts, and published to be paid."""

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
    publish,
    published,
    published_plans_dir,
    save_draft,
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
    "publish",
    "published",
    "published_plans_dir",
    "save_draft",
    "versions",
]
