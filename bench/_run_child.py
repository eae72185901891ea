"""One run end to end in a process of its own, as `attain comp run` would be: its figures as JSON.

The benchmark's generated data lives in the parent; measuring the run in a child keeps that
data out of the run's peak memory (`VmHWM`: the most this process ever held resident).

    python -m bench._run_child URL PLANS FROM TO
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main(url: str, plans: str, start: str, end: str) -> None:
    from attain.comp.runs import calculate_run

    begin = time.perf_counter()
    summary = calculate_run(
        Path(plans), date.fromisoformat(start), date.fromisoformat(end), url=url
    )
    seconds = time.perf_counter() - begin
    print(json.dumps({"seconds": seconds, "steps": summary.seconds, "peak_mb": _peak_mb()}))


if __name__ == "__main__":
    main(*sys.argv[1:5])
