"""The process map page of a manager over a store of 1 million deals (quick: 100,000): 20
concurrent clients on loopback for a fixed time, p50 and p95 (target: p95 under 500 ms), beside
the baseline measured in the same run: the first (cold) answer, which reads the store's deal
stage events and computes every directly-follows pair.

The page reads the log prepared per (log, store data version) by `attain.web.process_cache`:
each request is the manager's cases cut from kept tables and grouped. The company is the
forecast benchmark's (one head of sales over 20 managers of 100 reps each), with each deal's
stage changes: prospecting, qualification, proposal (a tenth fall back to qualification once),
negotiation, then won or lost by the close date; open deals stop at their stage.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
import time
from pathlib import Path

import duckdb
import httpx

from bench._served import bench_workers, served
from bench.forecast_page import _company, _load, _report

SECONDS = 20.0
MANAGER = "m000"

STAGE_EVENTS = """
CREATE OR REPLACE TABLE deal_stage_events AS
WITH steps AS (
    SELECT d.id AS deal, d.owner AS "by", d.created::TIMESTAMP AS t0, b.cycle,
           d.stage AS final, b.fate,
           CASE d.stage WHEN 'prospecting' THEN 0 WHEN 'qualification' THEN 1
                WHEN 'proposal' THEN 2 WHEN 'negotiation' THEN 3 ELSE 4 END AS reached
    FROM deals d JOIN deal_base b ON b.id = d.id
)
SELECT deal || '-2' AS id, deal, 'prospecting' AS from_stage, 'qualification' AS to_stage,
       t0 + to_seconds((cycle * 0.2 * 86400)::BIGINT) AS "at", "by" FROM steps WHERE reached >= 1
UNION ALL
SELECT deal || '-3', deal, 'qualification', 'proposal',
       t0 + to_seconds((cycle * 0.45 * 86400)::BIGINT), "by" FROM steps WHERE reached >= 2
UNION ALL
SELECT deal || '-3b', deal, 'proposal', 'qualification',
       t0 + to_seconds((cycle * 0.55 * 86400)::BIGINT), "by" FROM steps
       WHERE reached >= 3 AND fate % 10 = 0
UNION ALL
SELECT deal || '-3c', deal, 'qualification', 'proposal',
       t0 + to_seconds((cycle * 0.65 * 86400)::BIGINT), "by" FROM steps
       WHERE reached >= 3 AND fate % 10 = 0
UNION ALL
SELECT deal || '-4', deal, 'proposal', 'negotiation',
       t0 + to_seconds((cycle * 0.8 * 86400)::BIGINT), "by" FROM steps WHERE reached >= 3
UNION ALL
SELECT deal || '-5', deal, 'negotiation', final,
       t0 + to_seconds((cycle * 86400)::BIGINT), "by" FROM steps WHERE reached >= 4
UNION ALL
-- the first stage has no from_stage: its rows last, so the store's reader types the column
-- from rows that have one
SELECT deal || '-1', deal, NULL, 'prospecting', t0, "by" FROM steps
"""


def _store(folder: Path, reps: int, deals: int, today: dt.date) -> tuple[str, int]:
    from sqlalchemy import inspect

    from attain.data.bulk import bulk_insert, loading
    from attain.data.store import get_engine

    con = duckdb.connect()
    _company(con, reps, deals, today)
    con.execute(STAGE_EVENTS)
    events = int(con.execute("SELECT count(*) FROM deal_stage_events").fetchall()[0][0])
    url = f"sqlite:///{folder / 'attain.db'}"
    engine = get_engine(url)
    have = set(inspect(engine).get_table_names())
    tables = ("people", "accounts", "products", "deal_stages", "deals", "deal_stage_events")
    with engine.connect() as conn, loading(conn), conn.begin():
        for table in (t for t in tables if t in have):
            bulk_insert(conn, table, con.sql(f"SELECT * FROM {table}").to_arrow_table())
    engine.dispose()
    return url, events


def _token(url: str) -> str:
    from attain.actions.accounts import add_user, new_api_token
    from attain.audit.actor import SYSTEM
    from attain.data.store import get_engine

    engine = get_engine(url)
    add_user(engine, SYSTEM, "manager", "bench-manager-pass-1", "manager", MANAGER)
    token = new_api_token(engine, SYSTEM, "manager")
    engine.dispose()
    return token


def main(quick: bool) -> None:
    reps, deals = (2_000, 100_000) if quick else (2_000, 1_000_000)
    seconds = 8.0 if quick else SECONDS
    workers = bench_workers()
    today = dt.date.today()
    with tempfile.TemporaryDirectory(prefix="attain-process-bench-") as tmp:
        t0 = time.perf_counter()
        url, events = _store(Path(tmp), reps, deals, today)
        token = _token(url)
        print(
            f"\n{deals:,} deals, {events:,} stage events; manager {MANAGER} over "
            f"{reps // 20:,} of {reps:,} reps; generate and store {time.perf_counter() - t0:.1f} s"
        )
        log = Path(tmp) / "server.log"
        with served(url, workers, log) as (port, base):
            path = "/process?log=deals"
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.Client(base_url=base, timeout=3600) as client:
                t0 = time.perf_counter()
                r = client.get(path, headers=headers)
                if r.status_code != 200:
                    print(log.read_text(errors="replace")[-3000:])
                r.raise_for_status()
                cold = time.perf_counter() - t0
                print(f"  baseline: first answer (read the store, every pair): {cold:.2f} s")
            t0 = time.perf_counter()
            asyncio.run(_load(port, path, token, 3))  # every worker prepares once (it waits)
            print(f"  warm-up of every worker: {time.perf_counter() - t0:.1f} s")
            _report(
                f"process map page ({path})",
                asyncio.run(_load(port, path, token, seconds)),
                seconds,
            )
            api = "/api/v1/process/deals/map"
            _report("process map API", asyncio.run(_load(port, api, token, seconds)), seconds)
            filtered = f"{path}&attribute=segment&value=Enterprise&min_days=30"
            _report(
                "page with filters", asyncio.run(_load(port, filtered, token, seconds)), seconds
            )
