"""Background jobs: one per request id however often it is asked for, progress that only moves
forward, a refusal kept as its message, and finished jobs forgotten beyond a limit."""

from __future__ import annotations

import threading
import time

from attain.jobs import KEPT, JobFailed, Jobs, Progress


def _wait(jobs: Jobs, job_id: str) -> None:
    for _ in range(200):
        found = jobs.get(job_id)
        if found is not None and found.state != "running":
            return
        time.sleep(0.01)
    raise AssertionError(f"job {job_id} never finished")


def test_one_request_id_is_one_job_even_when_asked_for_at_once() -> None:
    jobs = Jobs()
    started = []
    gate = threading.Event()

    def work(progress: Progress) -> tuple[str, str]:
        started.append(1)
        progress("half way", 1, 2)
        gate.wait(5)
        return "r1", "did it"

    answers = []
    threads = [
        threading.Thread(target=lambda: answers.append(jobs.start("req-1", "run", "ada", work)))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(new for _, new in answers) == [False] * 7 + [True]
    for _ in range(100):
        if (j := jobs.get("req-1")) and j.step == "half way":
            break
        time.sleep(0.01)
    assert jobs.get("req-1").percent == 50  # type: ignore[union-attr]
    assert [j.id for j in jobs.running("run")] == ["req-1"]
    gate.set()
    _wait(jobs, "req-1")
    done = jobs.get("req-1")
    assert done is not None and (done.state, done.result, done.percent) == ("done", "r1", 100)
    assert started == [1]


def test_a_refusal_is_kept_as_its_message() -> None:
    jobs = Jobs()

    def work(progress: Progress) -> tuple[str, str]:
        raise JobFailed("No published plans to run.")

    jobs.start("req-2", "run", "ada", work)
    _wait(jobs, "req-2")
    failed = jobs.get("req-2")
    assert failed is not None and failed.state == "failed"
    assert failed.message == "No published plans to run."


def test_finished_jobs_are_forgotten_beyond_the_limit() -> None:
    jobs = Jobs()
    for i in range(KEPT + 5):
        jobs.start(f"j{i}", "run", "ada", lambda p: ("r", "ok"))
        _wait(jobs, f"j{i}")
    jobs.start("last", "run", "ada", lambda p: ("r", "ok"))
    assert jobs.get("j0") is None and jobs.get(f"j{KEPT + 4}") is not None
