"""The variants of a million cases, beside pm4py on the same data in the same run.

The log is the helpdesk log's 4,580 tickets copied under new ids to 1,003,020 cases (219 copies,
4,675,212 events), written to Parquet once (bench/_process_logs.py): real paths of real tickets,
at the million cases of the target. attain reads the Parquet into an in-memory DuckDB and builds
every case's path there (an ordered array aggregate), then groups paths with their throughput
and value; pm4py reads the same file into pandas and calls `get_variants`, in a process of its
own (bench/_pm4py_env.py). Target: attain's variants within 3 s. `--quick`: 20,000 cases.
"""

from __future__ import annotations

import time

from attain.process.variants import variants
from bench._measure import cpu_s, peak_during, row
from bench._pm4py_env import run_pm4py
from bench._process_logs import copied, open_log, size, xes_file

TARGET_S = 3.0


def main(quick: bool) -> None:
    if xes_file("helpdesk") is None:
        print("skipped: ../shared/data lacks the helpdesk log")
        return
    path = copied("helpdesk", cases=20_000 if quick else 1_000_000)
    events, cases = size(path)
    print(f"log: {events:,} events, {cases:,} cases ({path.stat().st_size / 1e6:.0f} MB Parquet)")

    with peak_during() as memory:
        began = time.perf_counter()
        log = open_log(path, "helpdesk copies")
        loaded, cpu_loaded = time.perf_counter(), cpu_s()
        found = variants(log)
        done, cpu_done = time.perf_counter(), cpu_s()

    theirs = run_pm4py("_pm4py_child.py", "variants", str(path))
    pm4py_s = float(theirs["variants_s"])  # type: ignore[arg-type]

    print(row("attain: variants (the log already in DuckDB)", done - loaded, pm4py_s))
    print(
        f"    load {loaded - began:.2f} s, {found.total_variants:,} variants of "
        f"{found.total_cases:,} cases, CPU {cpu_done - cpu_loaded:.1f} s, "
        f"peak {memory['peak_mb']:,.0f} MB (this process)"
    )
    print(row("pm4py: get_variants (the frame already in pandas)", pm4py_s))
    print(
        f"    read {theirs['read_s']:.2f} s, peak {theirs['peak_mb']:,.0f} MB, "
        f"CPU of the whole process {theirs['cpu_s']:.1f} s"
    )
    top = [v.cases for v in found.variants[:10]]
    same = (found.total_variants, found.total_cases, top) == (
        theirs["variants"],
        theirs["cases"],
        theirs["top_counts"],
    )
    print(f"same variants and counts as pm4py: {same}")
    print(f"target {TARGET_S:.0f} s: {done - loaded:.2f} s (with the load {done - began:.2f} s)")
