"""Timing and peak-memory helpers shared by the benchmarks."""

from __future__ import annotations

import resource
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def rss_mb() -> float:
    """Resident memory of this process now, in MB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def peak_during() -> Iterator[dict[str, float]]:
    """Sample RSS every 20 ms while the block runs; yields a dict filled with `peak_mb` after."""
    out = {"peak_mb": rss_mb()}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            out["peak_mb"] = max(out["peak_mb"], rss_mb())
            stop.wait(0.02)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    try:
        yield out
    finally:
        stop.set()
        t.join()


def timed_runs(fn: Callable[[], T], repeat: int = 1) -> tuple[T, list[float]]:
    """Run `fn` `repeat` times; return its last result and each run's time in seconds, in order.

    Each run's result is released before the next run's clock starts: freeing it is not timed,
    and it does not add to the next run's memory.
    """
    times: list[float] = []
    kept: list[T] = []
    for _ in range(repeat):
        kept.clear()
        start = time.perf_counter()
        kept.append(fn())
        times.append(time.perf_counter() - start)
    return kept[0], times


def timed(fn: Callable[[], T], repeat: int = 1) -> tuple[T, float]:
    """Run `fn` `repeat` times; return its last result and the best time in seconds."""
    result, times = timed_runs(fn, repeat)
    return result, min(times)


def row(label: str, seconds: float, baseline: float | None = None, extra: str = "") -> str:
    """One result line: label, seconds, the ratio to `baseline` seconds if given, then `extra`."""
    ratio = f"  {seconds / baseline:6.2f}x baseline" if baseline else ""
    return f"  {label:<58} {seconds:9.3f} s{ratio}  {extra}".rstrip()


def cpu_s(who: int = resource.RUSAGE_SELF) -> float:
    """CPU seconds (user + system) used so far by this process, all threads (or, with
    `resource.RUSAGE_CHILDREN`, by its finished children): on a machine shared with other work,
    the figure that wall time hides."""
    used = resource.getrusage(who)
    return used.ru_utime + used.ru_stime
