"""Ten million events to a process map with per-transition median waiting, on DuckDB, beside
pm4py on the same data in the same run.

The log is BPI Challenge 2012's cases copied under new ids (39 copies: 10,225,800 events,
510,393 cases), written to Parquet once (bench/_process_logs.py). attain reads that Parquet into
an in-memory DuckDB and computes its whole map (activities, transitions with counts and mean,
median, p90 waits, starts and ends, service times); pm4py reads the same file into a pandas
DataFrame (the three columns it uses) and discovers its performance DFG, in a process of its own
(bench/_pm4py_env.py). Both answers are compared edge by edge. Beside both, the floor: hand-written
DuckDB SQL for the same counts and waits (bench/_duckdb_floor.py). Targets: attain within 15 s
and at least 20x faster than pm4py. `--quick`: 200,000 events.
"""

from __future__ import annotations

import json
import time

from attain.process.discovery import process_map
from bench._duckdb_floor import floor_map_s
from bench._measure import cpu_s, peak_during, row
from bench._pm4py_env import run_pm4py
from bench._process_logs import copied, open_log, size, xes_file

TARGET_S, TARGET_RATIO = 15.0, 20.0


def main(quick: bool) -> None:
    if xes_file("bpic2012") is None:
        print("skipped: ../shared/data lacks the bpic2012 log")
        return
    path = copied("bpic2012", events=200_000 if quick else 10_000_000)
    events, cases = size(path)
    print(f"log: {events:,} events, {cases:,} cases ({path.stat().st_size / 1e6:.0f} MB Parquet)")

    with peak_during() as memory:
        began, cpu_began = time.perf_counter(), cpu_s()
        log = open_log(path, "bpic2012 copies")
        loaded = time.perf_counter()
        found = process_map(log)
        done = time.perf_counter()
    attain_s, attain_cpu = done - began, cpu_s() - cpu_began

    floor_s, floor_edges = floor_map_s(path)

    pm4py_began = time.perf_counter()
    theirs = run_pm4py("_pm4py_child.py", "map", str(path))
    pm4py_wall = time.perf_counter() - pm4py_began
    pm4py_s = float(theirs["read_s"]) + float(theirs["map_s"])  # type: ignore[arg-type]

    print(row("attain: Parquet -> DuckDB -> process map", attain_s, pm4py_s))
    print(
        f"    load {loaded - began:.2f} s, map {done - loaded:.2f} s, "
        f"{len(found.transitions)} transitions, CPU {attain_cpu:.1f} s, "
        f"peak {memory['peak_mb']:,.0f} MB (this process)"
    )
    print(row("DuckDB floor: hand-written SQL for the same counts and waits", floor_s, pm4py_s))
    print(
        f"    {floor_edges} transitions; attain takes {attain_s / floor_s:.1f}x the floor "
        "(it also checks and types every column, and pairs start/complete for service times)"
    )
    print(row("pm4py: Parquet -> pandas -> performance DFG", pm4py_s))
    print(
        f"    read {theirs['read_s']:.2f} s, performance DFG {theirs['map_s']:.2f} s, "
        f"whole process {pm4py_wall:.1f} s (CPU {theirs['cpu_s']:.1f} s), "
        f"peak {theirs['peak_mb']:,.0f} MB"
    )
    ours = {
        (t.source, t.target): (t.events, t.wait_mean_s, t.wait_median_s) for t in found.transitions
    }
    edges = theirs["edges"]
    assert isinstance(edges, list)
    same_edges = {(a, b) for a, b, _, _ in edges} == set(ours)
    worst = max(
        (
            max(abs(ours[(a, b)][1] - mean), abs(ours[(a, b)][2] - median))
            for a, b, mean, median in edges
            if (a, b) in ours
        ),
        default=0.0,
    )
    print(f"same transitions as pm4py: {same_edges}; largest mean/median gap {worst:.6f} s")
    print(
        f"targets: {TARGET_S:.0f} s ({attain_s:.2f} s), {TARGET_RATIO:.0f}x pm4py "
        f"({pm4py_s / attain_s:.1f}x)"
    )
    print(
        json.dumps(
            {
                "attain_s": round(attain_s, 2),
                "floor_s": round(floor_s, 2),
                "pm4py_s": round(pm4py_s, 2),
            }
        )
    )
