"""pm4py's side of the process benchmarks: one task, run under pm4py's own Python (see
bench/_pm4py_env.py; never attain's), its timings and figures printed as one JSON line.

    python bench/_pm4py_child.py xes FILE.xes.gz        # read_xes, then the performance DFG
    python bench/_pm4py_child.py map FILE.parquet       # pandas frame, then the performance DFG
    python bench/_pm4py_child.py variants FILE.parquet  # pandas frame, then get_variants

pm4py gets its defaults and only the columns it uses (case, activity, timestamp), in the
DataFrame layout its documentation reads Parquet into.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("PM4PY_SHOW_PROGRESS_BAR", "False")
PM4PY_NAMES = {"case_id": "case:concept:name", "activity": "concept:name", "at": "time:timestamp"}


def _cpu_s() -> float:
    import resource

    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _edges(perf: dict[tuple[str, str], dict[str, float]]) -> list[list[Any]]:
    return sorted([a, b, float(v["mean"]), float(v["median"])] for (a, b), v in perf.items())


def _frame(path: str) -> Any:
    import pandas as pd

    frame = pd.read_parquet(path, columns=list(PM4PY_NAMES))
    return frame.rename(columns=PM4PY_NAMES)


def xes(path: str) -> dict[str, Any]:
    began = time.perf_counter()
    import pm4py

    imported = time.perf_counter()
    df = pm4py.read_xes(path)
    read = time.perf_counter()
    perf, _, _ = pm4py.discover_performance_dfg(df)
    done = time.perf_counter()
    return {
        "import_s": imported - began,
        "read_s": read - imported,
        "map_s": done - read,
        "events": len(df),
        "edges": _edges(perf),
    }


def performance_map(path: str) -> dict[str, Any]:
    import pm4py

    began = time.perf_counter()
    df = _frame(path)
    read = time.perf_counter()
    perf, _, _ = pm4py.discover_performance_dfg(df)
    done = time.perf_counter()
    return {"read_s": read - began, "map_s": done - read, "events": len(df), "edges": _edges(perf)}


def variants(path: str) -> dict[str, Any]:
    import pm4py

    began = time.perf_counter()
    df = _frame(path)
    read = time.perf_counter()
    found = pm4py.get_variants(df)
    done = time.perf_counter()
    counts = sorted(found.values(), reverse=True)
    return {
        "read_s": read - began,
        "variants_s": done - read,
        "events": len(df),
        "variants": len(found),
        "cases": sum(counts),
        "top_counts": counts[:10],
    }


TASKS = {"xes": xes, "map": performance_map, "variants": variants}

if __name__ == "__main__":
    task, path = sys.argv[1], sys.argv[2]
    result = TASKS[task](path)
    result["peak_mb"], result["cpu_s"] = _peak_mb(), _cpu_s()
    print(json.dumps(result))
