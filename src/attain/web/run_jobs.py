"""A run started from the browser, as a background job: the published plans over a span."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from sqlalchemy import Engine

from attain.actions.runs import run
from attain.audit.actor import Actor
from attain.comp import plan_versions
from attain.comp.errors import PlanError
from attain.comp.runs import get_run
from attain.jobs import Job, JobFailed, Progress, jobs_for
from attain.money_format import money
from attain.pay.run_states import run_currency


def start_run_job(
    engine: Engine, url: str | None, request_id: str, actor: Actor, start: dt.date, end: dt.date
) -> tuple[Job, bool]:
    """The job for `request_id` (started now unless it already exists), and whether it is new."""

    def work(progress: Progress) -> tuple[str, str]:
        with tempfile.TemporaryDirectory(prefix="attain-plans-") as tmp:
            if not plan_versions.published_plans_dir(engine, Path(tmp)):
                raise JobFailed("No published plans to run.")
            try:
                s = run(url, actor, Path(tmp), start, end, progress=progress)
            except PlanError as exc:
                raise JobFailed(f"The run failed: {exc}") from exc
        kept = get_run(engine, s.id)
        currency = run_currency(kept) if kept is not None else ""
        total = f"total {money(s.total, currency)}" if currency else "in several currencies"
        return s.id, f"Run {s.id}: {s.lines:,} lines for {s.payees:,} payees, {total}"

    return jobs_for(str(engine.url)).start(request_id, "run", actor.name, work)


def run_job(engine: Engine, request_id: str) -> Job | None:
    return jobs_for(str(engine.url)).get(request_id)


def running_runs(engine: Engine) -> list[Job]:
    return jobs_for(str(engine.url)).running("run")
