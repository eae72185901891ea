"""The web app under load: a rep's dashboard on a company with 1 million deals (quick: 100,000),
50 concurrent clients on loopback, beside a static page of the same server in the same run; and
how long after one deal changes the rep's figure is recalculated.

The server is `attain serve --workers <cores>` in its own processes (so the load generator does
not share their interpreters); 50 clients on keep-alive connections, each a different rep (API
token), each sending requests back to back for a fixed time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

import duckdb
import httpx

from bench._served import bench_workers, served

CLIENTS = 50
SECONDS = 20.0
PLAN = """
id: ae
currency: USD
period: month
credits:
  - {id: owner, from: deals, where: stage == "won", to: owner, value: amount, date: close_date}
measures:
  bookings: {sum: value}
components:
  - id: commission
    measure: bookings
    window: year
    tier_basis: attainment
    tier_mode: marginal
    tiers: [{from: 0, rate: 0.06}, {from: 1.0, rate: 0.09}, {from: 1.5, rate: 0.12}]
"""


def _company(con: duckdb.DuckDBPyConnection, reps: int, deals: int, year: int) -> None:
    """People (reps under managers), deals over the year so far, annual quotas, assignments."""
    managers = max(1, reps // 10)
    con.execute("SELECT setseed(0.42)")
    con.execute(
        f"""CREATE TABLE people AS
        SELECT 'm' || lpad(i::VARCHAR, 5, '0') AS id, DATE '1900-01-01' AS valid_from,
               NULL::DATE AS valid_to, 'Manager ' || i AS name, 'sales_manager' AS role,
               NULL::VARCHAR AS manager
        FROM range({managers}) t(i)
        UNION ALL
        SELECT 'r' || lpad(i::VARCHAR, 5, '0'), DATE '1900-01-01', NULL::DATE, 'Rep ' || i,
               'account_executive', 'm' || lpad((i % {managers})::VARCHAR, 5, '0')
        FROM range({reps}) t(i)"""
    )
    days = (dt.date.today() - dt.date(year, 1, 1)).days + 1
    con.execute(
        f"""CREATE TABLE deals AS
        SELECT 'd' || i::VARCHAR AS id,
               'r' || lpad((hash(i) % {reps})::VARCHAR, 5, '0') AS owner,
               CASE WHEN hash(i * 3) % 10 < 3 THEN 'lost'
                    WHEN hash(i * 3) % 10 < 4 THEN 'proposal' ELSE 'won' END AS stage,
               DATE '{year}-01-01' + (hash(i * 7) % {days})::INTEGER AS close_date,
               ((100000 + hash(i * 31) % 9000000)::DECIMAL(18, 0) * 0.01)::DECIMAL(18, 2)
                   AS amount,
               'USD' AS currency
        FROM range({deals}) t(i)"""
    )
    quota = round(deals * 0.6 * 46000 / reps * 365 / days, -3)
    con.execute(
        f"""CREATE TABLE quotas AS
        SELECT id AS payee, 'bookings' AS measure, '{year}' AS period,
               {quota:.0f}::DECIMAL(18, 2) AS amount
        FROM people WHERE id LIKE 'r%'"""
    )
    con.execute(
        f"""CREATE TABLE plan_assignments AS
        SELECT id AS payee, 'ae' AS plan, DATE '{year}-01-01' AS valid_from, NULL::DATE AS valid_to
        FROM people WHERE id LIKE 'r%'"""
    )


def _store(folder: Path, reps: int, deals: int) -> tuple[str, dict[str, float]]:
    from attain.comp.runs import calculate_run
    from attain.data.bulk import bulk_insert, loading
    from attain.data.store import get_engine

    took: dict[str, float] = {}
    year = dt.date.today().year
    t0 = time.perf_counter()
    con = duckdb.connect()
    _company(con, reps, deals, year)
    url = f"sqlite:///{folder / 'attain.db'}"
    engine = get_engine(url)
    with engine.connect() as conn, loading(conn), conn.begin():
        for table in ("people", "deals", "quotas", "plan_assignments"):
            bulk_insert(conn, table, con.sql(f"SELECT * FROM {table}").to_arrow_table())
    took["generate and store"] = time.perf_counter() - t0
    plans = folder / "ae.yaml"
    plans.write_text(PLAN)
    t0 = time.perf_counter()
    calculate_run(plans, dt.date(year, 1, 1), dt.date.today(), url=url)
    took["full run"] = time.perf_counter() - t0
    engine.dispose()
    return url, took


def _tokens(url: str, reps: int) -> tuple[list[tuple[str, str]], str]:
    from attain.accounts.users import add_user, new_api_token
    from attain.data.store import get_engine

    engine = get_engine(url)
    add_user(engine, "admin", "bench-admin-pass-1", "admin")
    admin = new_api_token(engine, "admin")
    out = []
    for i in range(CLIENTS):
        person = f"r{(i * (reps // CLIENTS)) % reps:05d}"
        add_user(engine, f"rep{i}", "bench-rep-pass-1", "rep", person)
        out.append((person, new_api_token(engine, f"rep{i}")))
    engine.dispose()
    return out, admin


async def _client(
    port: int, path: str, token: str, stop: float, latencies: list[float], errors: list[int]
) -> None:
    """One keep-alive connection sending GETs back to back until `stop`.

    A plain HTTP/1.1 client on asyncio streams: httpx's async client costs more CPU per request
    than the server does here (measured on 2 cores: about 150 req/s for a trivial endpoint,
    against 870 req/s with this), and the client shares the machine with the server.
    """
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
            length = 0
            for line in head.split(b"\r\n")[1:]:
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - t0)
            if not head.startswith(b"HTTP/1.1 200"):
                errors.append(1)
    finally:
        writer.close()


async def _load(port: int, path_of: list[str], tokens: list[str], seconds: float) -> list[float]:
    """Each client sends its request back to back for `seconds`; returns every latency (s)."""
    latencies: list[float] = []
    errors: list[int] = []
    stop = time.perf_counter() + seconds
    await asyncio.gather(
        *(_client(port, path_of[i], tokens[i], stop, latencies, errors) for i in range(CLIENTS))
    )
    if errors:
        print(f"  {len(errors)} responses were not 200")
    return latencies


def _report(label: str, latencies: list[float], seconds: float) -> None:
    ordered = sorted(latencies)
    p50 = ordered[len(ordered) // 2] * 1000
    p95 = ordered[int(len(ordered) * 0.95)] * 1000
    print(
        f"  {label:<32} {len(ordered):>7,} requests  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
        f"{len(ordered) / seconds:8.1f} req/s"
    )


def _recalculation(base: str, admin: str, rep: tuple[str, str], repeats: int = 5) -> None:
    """One deal changes (API): time until the rep's live figure shows it."""
    person, token = rep
    server_side: list[float] = []
    seen: list[float] = []
    with httpx.Client(base_url=base, timeout=60) as client:
        for i in range(repeats):
            before = client.get(
                f"/api/v1/payees/{person}/live", headers={"Authorization": f"Bearer {token}"}
            ).json()
            t0 = time.perf_counter()
            r = client.post(
                "/api/v1/deals",
                json={
                    "id": f"bench-live-{i}",
                    "owner": person,
                    "stage": "won",
                    "amount": "75000",
                    "currency": "USD",
                    "close_date": dt.date.today().isoformat(),
                },
                headers={"Authorization": f"Bearer {admin}"},
            )
            r.raise_for_status()
            while True:
                now = client.get(
                    f"/api/v1/payees/{person}/live", headers={"Authorization": f"Bearer {token}"}
                ).json()
                if now["year_to_date"] != before["year_to_date"]:
                    break
            seen.append(time.perf_counter() - t0)
            server_side.append(r.json()["recalculation_seconds"])
    print(
        f"  one deal changed -> rep's figure updated: median {statistics.median(seen) * 1000:.0f} ms, "
        f"max {max(seen) * 1000:.0f} ms (recalculation in the server: median "
        f"{statistics.median(server_side) * 1000:.0f} ms; {len(server_side)} tries, "
        f"{len(r.json()['recalculated_payees'])} payees each)"
    )


def main(quick: bool) -> None:
    reps, deals = (500, 100_000) if quick else (2_000, 1_000_000)
    seconds = 8.0 if quick else SECONDS
    workers = bench_workers()
    print(f"\n{deals:,} deals, {reps:,} reps; {CLIENTS} clients for {seconds:.0f} s per page")
    with tempfile.TemporaryDirectory(prefix="attain-web-bench-") as tmp:
        url, took = _store(Path(tmp), reps, deals)
        print("  " + ", ".join(f"{k} {v:.1f} s" for k, v in took.items()))
        reps_tokens, admin = _tokens(url, reps)
        with served(url, workers) as (port, base):
            tokens = [t for _, t in reps_tokens]
            asyncio.run(_load(port, ["/static/attain.css"] * CLIENTS, tokens, 2))  # warm up
            static = asyncio.run(_load(port, ["/static/attain.css"] * CLIENTS, tokens, seconds))
            _report("static page (/static/attain.css)", static, seconds)
            dashboard = asyncio.run(_load(port, ["/me"] * CLIENTS, tokens, seconds))
            _report("rep dashboard (/me)", dashboard, seconds)
            api = asyncio.run(
                _load(port, [f"/api/v1/payees/{p}/live" for p, _ in reps_tokens], tokens, seconds)
            )
            _report("rep live figures (API)", api, seconds)
            _recalculation(base, admin, reps_tokens[0])
