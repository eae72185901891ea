"""The least DuckDB can do for a process map: hand-written SQL for the same figures as
`process_map` (activities and transitions with event and case counts, mean, median and p90
waits), none of attain's checks, typing or service times. The benchmarks print it beside
attain, measured in the same run, as the floor a faster attain could approach on this machine.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb


def floor_map_s(path: Path) -> tuple[float, int]:
    """Seconds from the Parquet file to the map's rows, and the number of transitions."""
    began = time.perf_counter()
    con = duckdb.connect()
    con.execute(
        f"""CREATE TABLE ev AS SELECT case_id, activity, "at", file_row_number AS pos
        FROM read_parquet('{path}', file_row_number = true)"""
    )
    con.execute(
        """CREATE TEMP TABLE steps AS SELECT case_id, activity, lead(activity) OVER w AS target,
        epoch_us(lead("at") OVER w) - epoch_us("at") AS wait_us
        FROM ev WINDOW w AS (PARTITION BY case_id ORDER BY "at", pos)"""
    )
    edges = con.execute(
        """SELECT activity, target, count(*), count(DISTINCT case_id), avg(wait_us),
        quantile_cont(wait_us, [0.5, 0.9]) FROM steps WHERE target IS NOT NULL GROUP BY 1, 2"""
    ).fetchall()
    con.execute("SELECT activity, count(*), count(DISTINCT case_id) FROM steps GROUP BY 1")
    con.close()
    return time.perf_counter() - began, len(edges)
