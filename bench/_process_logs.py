"""The process benchmarks' event logs: the real XES logs of ../shared as Parquet, and larger logs
made of their cases copied under new ids (written once to bench/data/process/, git-ignored).

A copy keeps every event's activity, time, resource and lifecycle, and its order: copy k of case
c is case `c-k`, and the rows are written copy by copy in the source's order, so a reader that
breaks timestamp ties by file order (pm4py) sees the same order as `position` does (attain).
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from attain.process.files import open_log_file
from attain.process.log import EventLog
from attain.process.log_mapping import LogMapping

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data" / "process"
XES = {
    "bpic2012": ROOT.parent / "shared" / "data" / "bpic2012" / "bpic2012.xes.gz",
    "helpdesk": ROOT.parent / "shared" / "data" / "helpdesk" / "helpdesk.xes.gz",
}
COLUMNS = ("case_id", "activity", "at", "position", "resource", "lifecycle")


def xes_file(name: str) -> Path | None:
    """The real log's XES file, or None when ../shared is absent."""
    path = XES[name]
    return path if path.is_file() else None


def real_log(name: str) -> Path:
    """The real log's events as Parquet (read from its XES by attain once, then kept)."""
    out = DATA / f"{name}.parquet"
    if out.exists():
        return out
    from attain.process.xes import read_xes

    path = xes_file(name)
    if path is None:
        raise FileNotFoundError(f"../shared/data lacks {XES[name].name}")
    events = read_xes(path).events
    DATA.mkdir(parents=True, exist_ok=True)
    pq.write_table(events.select(list(COLUMNS)), out)
    return out


def copied(name: str, *, events: int = 0, cases: int = 0) -> Path:
    """The real log's cases copied under new ids until it has at least `events` events and
    `cases` cases, as Parquet (made once: the whole copy is one DuckDB statement)."""
    source = real_log(name)
    meta = pq.read_table(source, columns=["case_id"])
    per_copy_events, per_copy_cases = meta.num_rows, len(meta["case_id"].unique())
    copies = max(math.ceil(events / per_copy_events), math.ceil(cases / per_copy_cases), 1)
    out = DATA / f"{name}_x{copies}.parquet"
    if out.exists():
        return out
    began = time.perf_counter()
    tmp = out.with_suffix(".tmp")
    duckdb.sql(
        f"""
        COPY (
            SELECT case_id || '-' || k AS case_id, activity, "at",
                   k * {per_copy_events} + "position" AS "position", resource, lifecycle
            FROM read_parquet('{source}'), range({copies}) AS copies(k)
            ORDER BY k, "position"
        ) TO '{tmp}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)
        """
    )
    tmp.rename(out)
    print(
        f"  wrote {out.relative_to(ROOT)}: {copies} copies of {name} "
        f"({copies * per_copy_events:,} events, {copies * per_copy_cases:,} cases) "
        f"in {time.perf_counter() - began:.1f} s"
    )
    return out


def size(path: Path) -> tuple[int, int]:
    """Events and cases of a Parquet log."""
    ids: pa.Table = pq.read_table(path, columns=["case_id"])
    return ids.num_rows, len(ids["case_id"].unique())


MAPPING = LogMapping(
    case="case_id", activity="activity", timestamp="at", resource="resource", lifecycle="lifecycle"
)
"""The Parquet logs' columns, as a user maps them (`position` is the file's own row order)."""


def open_log(path: Path, name: str) -> EventLog:
    """A Parquet log as attain opens a file mined in place: read by its mapping into DuckDB."""
    return open_log_file(path, MAPPING, name=name)
