"""Plans kept in the store, version by version: edited in the browser, checked with every error
at its line, compared, simulated on a past period, then published.

The store starts from the plans the latest run used (version 1 of each). Runs from the command
line keep reading plan files; `published_plans_dir` writes the published versions out as files
for a run started from the web.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import Engine, func, select

from attain.clock import now
from attain.comp.language import load_plans
from attain.comp.language.check import check_text
from attain.comp.plan_versions.schema import PlanVersionRecord
from attain.comp.runs.inputs import store_schemas
from attain.comp.runs.published import latest_run
from attain.comp.yaml_loader import compose_yaml


@dataclass(frozen=True)
class PlanProblem:
    """One error in a plan's text, at the line (1-based) it belongs to."""

    line: int
    message: str
    column: int = 1


@dataclass(frozen=True)
class PlanSummary:
    plan: str
    versions: int
    published: int | None
    latest: int
    latest_status: str


def seeded(engine: Engine) -> bool:
    """Whether the store holds any plan version yet."""
    with engine.connect() as conn:
        return bool(conn.execute(select(func.count()).select_from(PlanVersionRecord)).scalar())


def ensure_seeded(engine: Engine) -> None:
    """Version 1 of each plan is the text the latest run used, when the store has none yet
    (written by the system action `plan.seed`)."""
    if seeded(engine):
        return
    from attain.actions.plans import seed

    seed(engine)


def seed_rows(engine: Engine) -> tuple[str | None, list[dict[str, object]]]:
    """The first version of each plan the latest run paid, as rows to keep (and the run's id)."""
    run = latest_run(engine)
    if run is None:
        return None, []
    rows: list[dict[str, object]] = []
    seen: set[str] = set()
    for v in json.loads(run.plans):
        if v["id"] in seen:
            continue
        seen.add(v["id"])
        rows.append(
            {
                "plan": v["id"],
                "version": 1,
                "text": v["text"],
                "sha256": sha256(v["text"]),
                "status": "published",
                "note": f"as paid by run {run.id}",
                "created_by": None,
                "created_at": now(),
            }
        )
    return run.id, rows


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def list_plans(engine: Engine) -> list[PlanSummary]:
    ensure_seeded(engine)
    with engine.connect() as conn:
        rows = conn.execute(
            select(PlanVersionRecord.plan, PlanVersionRecord.version, PlanVersionRecord.status)
        ).all()
    by: dict[str, list[tuple[int, str]]] = {}
    for plan, version, status in rows:
        by.setdefault(plan, []).append((version, status))
    out = []
    for plan, vs in sorted(by.items()):
        vs.sort()
        published = [v for v, s in vs if s == "published"]
        out.append(PlanSummary(plan, len(vs), max(published, default=None), vs[-1][0], vs[-1][1]))
    return out


def versions(engine: Engine, plan: str) -> list[PlanVersionRecord]:
    ensure_seeded(engine)
    with engine.connect() as conn:
        rows = conn.execute(
            select(PlanVersionRecord)
            .where(PlanVersionRecord.plan == plan)
            .order_by(PlanVersionRecord.version.desc())
        ).all()
    return [PlanVersionRecord(**r._mapping) for r in rows]


def get_version(engine: Engine, plan: str, version: int | None = None) -> PlanVersionRecord | None:
    """One version, or the newest one."""
    found = versions(engine, plan)
    if version is None:
        return found[0] if found else None
    return next((v for v in found if v.version == version), None)


def published(engine: Engine, plan: str) -> PlanVersionRecord | None:
    return next((v for v in versions(engine, plan) if v.status == "published"), None)


# -- checking --------------------------------------------------------------------------------


def check_plan_text(engine: Engine, text: str, plan: str | None = None) -> list[PlanProblem]:
    """Every problem with a plan's text, each at its line; empty when the plan compiles."""
    problems = check_text(text, lambda plans: store_schemas(engine, plans))
    if problems:
        return [PlanProblem(p.line, p.message, p.column) for p in problems]
    plans = load_plans(text)
    if len(plans) != 1:
        return [PlanProblem(1, f"one plan per version, found {len(plans)}")]
    if plan is not None and plans[0].id != plan:
        line = _id_line(text)
        return [PlanProblem(line, f"the plan's id is {plans[0].id!r}, not {plan!r}")]
    return []


def _id_line(text: str) -> int:
    """The line of the plan's `id:` key."""
    root = compose_yaml(text)
    if isinstance(root, yaml.MappingNode):
        for key, _value in root.value:
            if key.value == "id":
                return int(key.start_mark.line) + 1
    return 1


class PlanRejected(ValueError):
    def __init__(self, problems: list[PlanProblem]) -> None:
        super().__init__("; ".join(f"line {p.line}: {p.message}" for p in problems))
        self.problems = problems


def diff(old: str, new: str, old_label: str, new_label: str) -> list[str]:
    """A unified diff of two versions' texts."""
    return list(
        difflib.unified_diff(
            old.splitlines(), new.splitlines(), old_label, new_label, lineterm="", n=3
        )
    )


def published_plans_dir(engine: Engine, folder: Path) -> list[str]:
    """Write each plan's published version as `<plan>.yaml` into `folder` (for a run)."""
    names = []
    for summary in list_plans(engine):
        record = published(engine, summary.plan)
        if record is not None:
            (folder / f"{summary.plan}.yaml").write_text(record.text, encoding="utf-8")
            names.append(summary.plan)
    return names
