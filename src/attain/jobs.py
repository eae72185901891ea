"""Long work in the background: one job per request id, with its progress and its outcome.

A page that starts something slow (a run takes a minute on a large company) gets a job back at
once and polls it. The same request id always names the same job, so a double click or a resent
form starts the work once. Jobs live in the process that serves the app (`attain serve` is one
process); a restart forgets running jobs, and the work they left half done is never kept: a
run is written to the store in one transaction at its end.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

State = Literal["running", "done", "failed"]
KEPT = 100
"""Finished jobs remembered per store (the oldest are forgotten first)."""


@dataclass(frozen=True)
class Job:
    """One piece of background work as its page sees it."""

    id: str
    kind: str
    owner: str
    started: float
    step: str = "waiting to start"
    done: int = 0
    total: int = 1
    state: State = "running"
    result: str | None = None
    message: str | None = None
    finished: float | None = None

    @property
    def percent(self) -> int:
        if self.state == "done":
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def seconds(self) -> float:
        return (self.finished or time.time()) - self.started


Progress = Callable[[str, int, int], None]
"""(step, steps done, steps in all): what the work says as it goes."""
Work = Callable[[Progress], tuple[str, str]]
"""The work itself: given a progress callback, returns (result id, one line saying what it did)."""


class JobFailed(Exception):
    """A refusal the person can act on (shown as it is, unlike an unexpected error)."""


@dataclass
class Jobs:
    """Every job of one app, by request id."""

    _jobs: dict[str, Job] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, job_id: str, kind: str, owner: str, work: Work) -> tuple[Job, bool]:
        """The job for `job_id`, started now unless it exists; and whether it was new."""
        with self._lock:
            found = self._jobs.get(job_id)
            if found is not None:
                return found, False
            job = Job(job_id, kind, owner, time.time())
            self._jobs[job_id] = job
            finished = [j for j in self._jobs.values() if j.state != "running"]
            for old in sorted(finished, key=lambda j: j.started)[: max(0, len(finished) - KEPT)]:
                del self._jobs[old.id]
        threading.Thread(target=self._run, args=(job_id, work), daemon=True).start()
        return job, True

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def running(self, kind: str) -> list[Job]:
        with self._lock:
            return [j for j in self._jobs.values() if j.kind == kind and j.state == "running"]

    def _set(self, job_id: str, **changes: object) -> None:
        with self._lock:
            self._jobs[job_id] = replace(self._jobs[job_id], **changes)  # type: ignore[arg-type]

    def _run(self, job_id: str, work: Work) -> None:
        def progress(step: str, done: int, total: int) -> None:
            self._set(job_id, step=step, done=done, total=max(total, 1))

        try:
            result, message = work(progress)
        except JobFailed as exc:
            self._set(job_id, state="failed", message=str(exc), finished=time.time())
        except Exception as exc:  # the page shows it; the server log keeps the traceback
            traceback.print_exc()
            self._set(
                job_id,
                state="failed",
                message=f"{type(exc).__name__}: {exc}",
                finished=time.time(),
            )
        else:
            self._set(
                job_id,
                state="done",
                step="done",
                result=result,
                message=message,
                finished=time.time(),
            )


_REGISTRY: dict[str, Jobs] = {}
_REGISTRY_LOCK = threading.Lock()


def jobs_for(store: str) -> Jobs:
    """The jobs working on one store (one registry per store the process serves)."""
    with _REGISTRY_LOCK:
        return _REGISTRY.setdefault(store, Jobs())
