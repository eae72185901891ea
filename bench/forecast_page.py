"""The forecast page of a manager of 2,000 reps on a store of 1 million deals (quick: 200 reps,
100,000 deals): 20 concurrent clients on loopback for a fixed time, p50 and p95 (target: p95
under 300 ms), beside the page's first (cold) answer, when the forecast is fitted and simulated.

The page reads the forecast kept per (period, as-of day, node, store watermark) by
`attain.web.forecast_cache`; each server worker computes it once. The company: one head of
sales over 20 managers of 100 reps each, deals created over two years (decided ones won or lost
by their close date, the rest open in a stage), one history row at creation and one at the
decision, quarterly quotas, and the head's commit and best-case calls.
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

CLIENTS = 20
SECONDS = 20.0
HEAD = "vp0"
STAGES = [
    ("prospecting", 1, "open", "0.10"),
    ("qualification", 2, "open", "0.25"),
    ("proposal", 3, "open", "0.50"),
    ("negotiation", 4, "open", "0.75"),
    ("won", 5, "won", "1"),
    ("lost", 6, "lost", "0"),
]


def _company(con: duckdb.DuckDBPyConnection, reps: int, deals: int, today: dt.date) -> None:
    managers = max(1, reps // 100)
    con.execute("SELECT setseed(0.42)")
    con.execute(
        f"""CREATE TABLE people AS
        SELECT '{HEAD}' AS id, DATE '1900-01-01' AS valid_from, NULL::DATE AS valid_to,
               'Head of sales' AS name, 'sales_manager' AS role, NULL::VARCHAR AS manager
        UNION ALL
        SELECT 'm' || lpad(i::VARCHAR, 3, '0'), DATE '1900-01-01', NULL::DATE, 'Manager ' || i,
               'sales_manager', '{HEAD}'
        FROM range({managers}) t(i)
        UNION ALL
        SELECT 'r' || lpad(i::VARCHAR, 5, '0'), DATE '1900-01-01', NULL::DATE, 'Rep ' || i,
               'account_executive', 'm' || lpad((i % {managers})::VARCHAR, 3, '0')
        FROM range({reps}) t(i)"""
    )
    con.execute(
        """CREATE TABLE accounts AS
        SELECT 'a' || i::VARCHAR AS id, 'Account ' || i AS name,
               ['SMB', 'Mid-Market', 'Enterprise'][1 + (i % 3)::INTEGER] AS segment,
               ['software', 'retail', 'health', 'finance'][1 + (i % 4)::INTEGER] AS industry,
               (10 + i % 5000)::INTEGER AS size, NULL::DECIMAL(18, 2) AS revenue,
               ['north', 'south', 'east', 'west'][1 + (hash(i) % 4)::INTEGER] AS region,
               NULL::VARCHAR AS territory
        FROM range(20000) t(i)"""
    )
    con.execute(
        "CREATE TABLE products AS SELECT * FROM (VALUES ('core', 'Core', 'platform', 10000, 'USD'),"
        " ('plus', 'Plus', 'platform', 25000, 'USD'), ('suite', 'Suite', 'platform', 60000, 'USD'))"
        " t(id, name, family, list_price, currency)"
    )
    values = ", ".join(f"('{n}', {p}, '{c}', {pr})" for n, p, c, pr in STAGES)
    con.execute(
        f"CREATE TABLE deal_stages AS SELECT * FROM (VALUES {values}) "
        "t(name, position, category, probability)"
    )
    con.execute(
        f"""CREATE TABLE deal_base AS
        SELECT i, 'd' || i::VARCHAR AS id,
               'r' || lpad((hash(i) % {reps})::VARCHAR, 5, '0') AS owner,
               DATE '{today}' - (hash(i * 7) % 730)::INTEGER AS created,
               (20 + hash(i * 11) % 160)::INTEGER AS cycle,
               hash(i * 3) % 100 AS fate,
               ((500000 + hash(i * 31) % 9000000)::DECIMAL(18, 0) * 0.01)::DECIMAL(18, 2)
                   AS amount
        FROM range({deals}) t(i)"""
    )
    con.execute(
        f"""CREATE TABLE deals AS
        SELECT id, 'Deal ' || i AS name, owner, 'a' || (hash(i * 13) % 20000)::VARCHAR AS account,
               ['core', 'plus', 'suite'][1 + (hash(i * 17) % 3)::INTEGER] AS product,
               ['new', 'expansion', 'renewal'][1 + (hash(i * 19) % 3)::INTEGER] AS type,
               amount, 'USD' AS currency,
               CASE WHEN created + cycle <= DATE '{today}'
                    THEN CASE WHEN fate < 30 THEN 'won' ELSE 'lost' END
                    ELSE ['prospecting', 'qualification', 'proposal', 'negotiation'][
                        1 + (fate % 4)::INTEGER] END AS stage,
               created, created + cycle AS close_date, 12 AS term_months,
               NULL::DATE AS cancelled_date, NULL::DATE AS paid_date
        FROM deal_base"""
    )
    con.execute(
        """CREATE TABLE deal_history AS
        SELECT d.id || '-0' AS id, d.id AS deal, d.created::TIMESTAMP AS "at",
               'prospecting' AS stage, d.amount, d.close_date, 'pipeline' AS forecast_category,
               d.owner AS "by"
        FROM deals d
        UNION ALL
        SELECT d.id || '-1', d.id, d.close_date::TIMESTAMP, d.stage, d.amount, d.close_date,
               'closed', d.owner
        FROM deals d WHERE d.stage IN ('won', 'lost')"""
    )
    con.execute(
        """CREATE TABLE deal_stage_events AS
        SELECT id || '-s' AS id, deal, NULL::VARCHAR AS from_stage, stage AS to_stage, "at", "by"
        FROM deal_history"""
    )
    quarters = [
        f"{y}-Q{q}" for y in (today.year - 2, today.year - 1, today.year) for q in range(1, 5)
    ]
    con.execute(
        f"""CREATE TABLE quotas AS
        SELECT p.id AS payee, 'bookings' AS measure, q.period,
               {round(deals * 0.3 * 50000 / reps / 8, -3):.0f}::DECIMAL(18, 2) AS amount,
               'USD' AS currency
        FROM people p, (SELECT unnest({quarters}) AS period) q
        WHERE p.id LIKE 'r%'"""
    )


def _store(folder: Path, reps: int, deals: int, today: dt.date) -> str:
    from attain.data.bulk import bulk_insert, loading
    from attain.data.store import get_engine

    con = duckdb.connect()
    _company(con, reps, deals, today)
    url = f"sqlite:///{folder / 'attain.db'}"
    engine = get_engine(url)
    from sqlalchemy import inspect

    have = set(inspect(engine).get_table_names())
    tables = (
        "people",
        "accounts",
        "products",
        "deal_stages",
        "deals",
        "deal_history",
        "deal_stage_events",
        "quotas",
    )
    with engine.connect() as conn, loading(conn), conn.begin():
        for table in (t for t in tables if t in have):
            bulk_insert(conn, table, con.sql(f"SELECT * FROM {table}").to_arrow_table())
    engine.dispose()
    return url


def _token(url: str, period: str) -> str:
    from decimal import Decimal

    from attain.actions.accounts import add_user, new_api_token
    from attain.actions.forecast_calls import submit_call
    from attain.audit.actor import SYSTEM, Actor
    from attain.data.store import get_engine

    engine = get_engine(url)
    add_user(engine, SYSTEM, "head", "bench-head-pass-1", "manager", HEAD)
    head = Actor(HEAD, "manager")
    from sqlalchemy import inspect

    if "forecast_calls" in inspect(engine).get_table_names():
        submit_call(engine, head, HEAD, period, "commit", Decimal("90000000"), "USD")
        submit_call(engine, head, HEAD, period, "best_case", Decimal("120000000"), "USD")
    token = new_api_token(engine, SYSTEM, "head")
    engine.dispose()
    return token


async def _client(port: int, path: str, token: str, stop: float, out: list[float]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\r\n"
    ).encode()
    try:
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")[1:]
                if line.lower().startswith(b"content-length:")
            )
            await reader.readexactly(length)
            if not head.startswith(b"HTTP/1.1 200"):
                raise RuntimeError(head.split(b"\r\n")[0].decode())
            out.append(time.perf_counter() - t0)
    finally:
        writer.close()


async def _load(port: int, path: str, token: str, seconds: float) -> list[float]:
    latencies: list[float] = []
    stop = time.perf_counter() + seconds
    await asyncio.gather(*(_client(port, path, token, stop, latencies) for _ in range(CLIENTS)))
    return latencies


def _report(label: str, latencies: list[float], seconds: float) -> None:
    ordered = sorted(latencies)
    p50 = ordered[len(ordered) // 2] * 1000
    p95 = ordered[int(len(ordered) * 0.95)] * 1000
    print(
        f"  {label:<30} {len(ordered):>6,} requests  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
        f"{len(ordered) / seconds:7.1f} req/s"
    )


def main(quick: bool) -> None:
    from attain.comp.engine.periods import period_of

    reps, deals = (200, 100_000) if quick else (2_000, 1_000_000)
    seconds = 8.0 if quick else SECONDS
    workers = bench_workers()
    today = dt.date.today()
    period = period_of(today, "quarter").key
    print(f"\n{deals:,} deals, {reps:,} reps under one manager; {CLIENTS} clients, {seconds:.0f} s")
    with tempfile.TemporaryDirectory(prefix="attain-forecast-bench-") as tmp:
        t0 = time.perf_counter()
        url = _store(Path(tmp), reps, deals, today)
        token = _token(url, period)
        print(f"  generate and store {time.perf_counter() - t0:.1f} s")
        log = Path(tmp) / "server.log"
        with served(url, workers, log) as (port, base):
            path = f"/forecast?period={period}"
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.Client(base_url=base, timeout=3600) as client:
                t0 = time.perf_counter()
                r = client.get(path, headers=headers)
                if r.status_code != 200:
                    print(log.read_text(errors="replace")[-3000:])
                r.raise_for_status()
                print(f"  first answer (fit and simulate): {time.perf_counter() - t0:.1f} s")
            t0 = time.perf_counter()
            asyncio.run(_load(port, path, token, 3))  # every worker fits once (it waits)
            print(f"  warm-up of every worker: {time.perf_counter() - t0:.1f} s")
            _report(
                f"forecast page ({path})", asyncio.run(_load(port, path, token, seconds)), seconds
            )
            api = f"/api/v1/forecast/pipeline?period={period}"
            _report("pipeline API", asyncio.run(_load(port, api, token, seconds)), seconds)
