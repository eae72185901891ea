"""pm4py's figures on the real logs, kept as fixtures so the normal suite checks attain without it.

Two halves in one file. Under pm4py's own Python (never attain's: pm4py is AGPL-3.0) it is a
script that reads each XES log with pm4py's defaults (activity `concept:name`, timestamp
`time:timestamp`, case `case:concept:name`) and writes, per log, a gzip JSON of: pm4py's version;
cases and events; activity counts; the directly-follows graph with start and end activities;
every variant with its case count; the performance DFG's mean and median seconds per edge.

Beside pm4py's figures it records the same figures computed plainly with pandas in attain's
order (each case's events by timestamp, ties by file order), and where the two disagree: pm4py
sorts by timestamp for the DFG but takes start/end activities and variants in the DataFrame's row
order (file order), so a log whose file order is not time order gets two answers.

    python -m bench pm4py_reference [--quick]     # re-derive into a temporary folder, compare
    python bench/pm4py_reference.py --write       # (re)write tests/fixtures/process/pm4py/
"""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LOGS = {
    "helpdesk": ROOT.parent / "shared" / "data" / "helpdesk" / "helpdesk.xes.gz",
    "bpic2012": ROOT.parent / "shared" / "data" / "bpic2012" / "bpic2012.xes.gz",
}
FIXTURES = ROOT / "tests" / "fixtures" / "process" / "pm4py"
CASE, ACTIVITY, TIMESTAMP = "case:concept:name", "concept:name", "time:timestamp"


def _edges(dfg: dict[tuple[str, str], Any]) -> list[list[Any]]:
    return sorted([a, b, v] for (a, b), v in dfg.items())


def _variants(variants: dict[tuple[str, ...], Any]) -> list[list[Any]]:
    rows = [[list(acts), n if isinstance(n, int) else len(n)] for acts, n in variants.items()]
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def _in_time_order(df: Any) -> dict[str, Any]:
    """DFG, start/end activities and variants with each case by (timestamp, file order)."""
    import pandas as pd

    frame = pd.DataFrame(
        {
            "case": df[CASE].to_numpy(),
            "activity": df[ACTIVITY].to_numpy(),
            "at": df[TIMESTAMP].to_numpy(),
            "position": range(len(df)),
        }
    ).sort_values(["case", "at", "position"], kind="stable")
    nxt = frame.shift(-1)
    same = frame["case"] == nxt["case"]
    dfg = Counter(zip(frame["activity"][same], nxt["activity"][same], strict=True))
    grouped = frame.groupby("case", sort=False)["activity"]
    variants = Counter(tuple(acts) for acts in grouped.agg(tuple))
    return {
        "dfg": _edges(dict(dfg)),
        "start_activities": dict(sorted(Counter(grouped.first()).items())),
        "end_activities": dict(sorted(Counter(grouped.last()).items())),
        "variants": _variants(dict(variants)),
    }


def _file_order_disorder(df: Any) -> dict[str, int]:
    """How many events come before an earlier one of their own case in the file."""
    import pandas as pd

    frame = pd.DataFrame({"case": df[CASE].to_numpy(), "at": df[TIMESTAMP].to_numpy()})
    running_max = frame.groupby("case", sort=False)["at"].cummax()
    earlier = frame["at"] < running_max.groupby(frame["case"]).shift(1)
    cases = frame.loc[earlier, "case"].nunique()
    ties = frame.duplicated(["case", "at"], keep=False)
    return {
        "events_before_an_earlier_one": int(earlier.sum()),
        "cases_out_of_time_order": int(cases),
        "events_sharing_a_timestamp_in_their_case": int(ties.sum()),
    }


def reference(name: str, path: Path) -> dict[str, Any]:
    """pm4py's figures for one XES log (run under pm4py's Python)."""
    import pm4py

    began = time.perf_counter()
    df = pm4py.read_xes(str(path))
    read_s = time.perf_counter() - began
    dfg, starts, ends = pm4py.discover_dfg(df)
    perf, _, _ = pm4py.discover_performance_dfg(df)
    variants = pm4py.get_variants(df)
    activities = pm4py.get_event_attribute_values(df, ACTIVITY)
    attain_order = _in_time_order(df)
    pm4py_figures = {
        "dfg": _edges(dfg),
        "start_activities": dict(sorted(starts.items())),
        "end_activities": dict(sorted(ends.items())),
        "variants": _variants(variants),
    }
    return {
        "log": name,
        "source": f"{path.parent.name}/{path.name}",
        "pm4py": pm4py.__version__,
        "defaults": {"case": CASE, "activity": ACTIVITY, "timestamp": TIMESTAMP},
        "read_xes_s": round(read_s, 1),
        "cases": int(df[CASE].nunique()),
        "events": len(df),
        "activities": dict(sorted((k, int(v)) for k, v in activities.items())),
        **pm4py_figures,
        "performance": [[a, b, float(v["mean"]), float(v["median"])] for a, b, v in _edges(perf)],
        "ordering": {
            **_file_order_disorder(df),
            "same_in_time_order": {
                key: pm4py_figures[key] == attain_order[key] for key in pm4py_figures
            },
        },
        "in_time_order": {
            key: value for key, value in attain_order.items() if value != pm4py_figures[key]
        },
    }


def write(out: Path, names: list[str]) -> None:
    """Write `<out>/<log>.json.gz` for each log named (run under pm4py's Python)."""
    out.mkdir(parents=True, exist_ok=True)
    for name in names:
        figures = reference(name, LOGS[name])
        text = json.dumps(figures, ensure_ascii=False)
        # mtime=0: the same figures give the same bytes.
        with gzip.GzipFile(out / f"{name}.json.gz", "wb", mtime=0) as f:
            f.write(text.encode() + b"\n")
        print(json.dumps({"log": name, "ordering": figures["ordering"]}), file=sys.stderr)
    print(json.dumps({"written": names}))


def load(path: Path) -> dict[str, Any]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        figures: dict[str, Any] = json.load(f)
    return figures


def main(quick: bool) -> None:
    """Re-derive the fixtures with pm4py into a temporary folder; say whether they still hold."""
    from bench._pm4py_env import run_pm4py

    names = ["helpdesk"] if quick else list(LOGS)
    missing = [n for n in names if not LOGS[n].exists()]
    if missing:
        print(f"skipped: ../shared/data lacks {', '.join(missing)}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        run_pm4py("pm4py_reference.py", "--out", tmp, *names)
        print(
            f"pm4py reference figures for {', '.join(names)}: {time.perf_counter() - began:.1f} s"
        )
        for name in names:
            fresh, kept = load(Path(tmp) / f"{name}.json.gz"), FIXTURES / f"{name}.json.gz"
            if not kept.exists():
                print(f"  {name}: no fixture kept yet")
                continue
            old = load(kept)
            changed = [k for k in fresh if k != "read_xes_s" and fresh[k] != old.get(k)]
            print(f"  {name}: {'unchanged' if not changed else 'changed: ' + ', '.join(changed)}")


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--write"]:
        write(FIXTURES, args[1:] or list(LOGS))
    elif args[:1] == ["--out"]:
        write(Path(args[1]), args[2:] or list(LOGS))
    else:
        sys.exit("usage: pm4py_reference.py --write [LOG ...] | --out DIR [LOG ...]")
