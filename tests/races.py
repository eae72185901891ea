"""Racing actions: start jobs together on separate threads (so on separate connections)."""

from __future__ import annotations

import threading
from collections.abc import Callable


def race(*jobs: Callable[[], object]) -> list[object]:
    """Run the jobs at the same moment; each one's result, or the exception it raised."""
    outcomes: list[object] = [None] * len(jobs)
    start = threading.Barrier(len(jobs))

    def go(i: int, job: Callable[[], object]) -> None:
        start.wait()
        try:
            outcomes[i] = job()
        except Exception as e:
            outcomes[i] = e

    threads = [threading.Thread(target=go, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes
