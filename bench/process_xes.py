"""BPI Challenge 2012 from its XES file to a process map with waiting times, each side in a fresh
process (interpreter start and imports included), in the same run: attain's whole command
(`attain process map --xes FILE` where the CLI has it, else the same Python calls) beside
pm4py's `read_xes` and `discover_performance_dfg` under its own Python (bench/_pm4py_env.py).
Target: attain within 5 s on this machine. `--quick` uses the helpdesk log (21,348 events).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench._measure import cpu_s, row
from bench._pm4py_env import BENCH, pm4py_python
from bench._process_logs import xes_file

TARGET_S = 5.0
ATTAIN_CALLS = """
import json, sys, time
began = time.perf_counter()
from attain.process.discovery import process_map
from attain.process.log import from_arrow
from attain.process.xes import read_xes
imported = time.perf_counter()
xes = read_xes(sys.argv[1])
read = time.perf_counter()
m = process_map(from_arrow("log", xes.events, xes.cases))
done = time.perf_counter()
print(json.dumps({"import_s": imported - began, "read_s": read - imported, "map_s": done - read,
                  "events": m.events, "transitions": len(m.transitions)}))
"""


def _attain_command(path: Path) -> tuple[list[str], str]:
    """The command to time, and what it is: the CLI when it maps an XES file, else the calls.
    The CLI runs as this interpreter's module, so it is the code on this run's path (a
    checkout's sources given by PYTHONPATH as much as the installed package)."""
    cli = [sys.executable, "-m", "attain"]
    shown = subprocess.run(
        [*cli, "process", "map", "--help"], capture_output=True, text=True, check=False
    )
    if "--xes" in shown.stdout:
        return [*cli, "process", "map", "--xes", str(path)], "attain process map --xes FILE"
    return [sys.executable, "-c", ATTAIN_CALLS, str(path)], "attain read_xes + process_map"


def _wall(command: list[str]) -> tuple[float, float, str]:
    """Wall and CPU seconds of a command run to its end, and what it printed."""
    began, cpu_began = time.perf_counter(), cpu_s(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=BENCH.parent)
    return time.perf_counter() - began, cpu_s(resource.RUSAGE_CHILDREN) - cpu_began, done.stdout


def main(quick: bool) -> None:
    name = "helpdesk" if quick else "bpic2012"
    path = xes_file(name)
    if path is None:
        print(f"skipped: ../shared/data lacks the {name} log")
        return
    command, label = _attain_command(path)
    attain_s, attain_cpu = [], []
    for _ in range(2):
        seconds, cpu, out = _wall(command)
        attain_s.append(seconds)
        attain_cpu.append(cpu)
    detail = json.loads(out.strip().splitlines()[-1]) if label.endswith("process_map") else {}

    python = str(pm4py_python())
    pm4py_s, pm4py_cpu, out = _wall([python, str(BENCH / "_pm4py_child.py"), "xes", str(path)])
    pm4py_run = json.loads(out.strip().splitlines()[-1])

    print(f"{name}: {pm4py_run['events']:,} events, XES {path.stat().st_size / 1e6:.1f} MB gzip")
    best = min(attain_s)
    print(row(f"{label} (best of 2, whole process)", best, pm4py_s, f"CPU {min(attain_cpu):.1f} s"))
    if detail:
        print(
            f"    imports {detail['import_s']:.2f} s, read_xes {detail['read_s']:.2f} s, "
            f"map {detail['map_s']:.2f} s ({detail['transitions']} transitions)"
        )
    print(
        row(
            "pm4py read_xes + discover_performance_dfg (whole)",
            pm4py_s,
            extra=f"CPU {pm4py_cpu:.1f} s",
        )
    )
    print(
        f"    imports {pm4py_run['import_s']:.2f} s, read_xes {pm4py_run['read_s']:.2f} s, "
        f"performance DFG {pm4py_run['map_s']:.2f} s, peak {pm4py_run['peak_mb']:.0f} MB"
    )
    print(f"attain is {pm4py_s / best:.1f}x faster; target {TARGET_S:.0f} s: {best:.2f} s")
