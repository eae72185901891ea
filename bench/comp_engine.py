"""The compensation engine against hand-written DuckDB SQL (the floor) and pandas (an analyst's).

B2C: 10,000 payees and 10 million orders through a monthly tiered plan; B2B: 1 million deals
through quarterly attainment tiers. `--quick` shrinks every size tenfold.

For each, on the same data and plan, every contender is timed the same way: best of 3 runs
(pandas at full size: one run, it takes seconds) and each row's label says which.

- hand-written DuckDB SQL: the baseline every ratio is against;
- the engine (`calculate`, reading its lines back): best of 3 is the engine figure, with peak
  memory over those runs; its first call is also shown on its own row, so the one-time cost of
  a cold call (loading the ibis backend and the plan parser, first queries) is not hidden;
- pandas with money as binary floats, what an analyst writes first: fast, a cent off on some
  lines, so not the same plan for payroll;
- pandas with money as exact `Decimal` objects, what one who needs cents right writes: the same
  lines as the engine to the cent.

Every contender's lines are compared with the engine's. Frames for pandas are built before
their clock starts; the engine's credit count, for the report, is taken after. Then, once each:
the same plan pushed down into PostgreSQL, and end to end (load from the SQLite store,
calculate, keep the run) in a process of its own, with that process's peak memory.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import ibis
import pandas as pd
import pyarrow as pa

from bench import _comp_baselines as baselines
from bench import _comp_data as data
from bench._measure import peak_during, row, timed, timed_runs

if TYPE_CHECKING:
    from attain.comp import Result

POSTGRES_URL = os.environ.get(
    "ATTAIN_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
SPAN = dt.date(data.YEAR, 1, 1), dt.date(data.YEAR, 12, 31)
REPEAT = 3  # best of 3: the SQL, the engine, and pandas at --quick size
PANDAS_FLOATS = "pandas, floats (what an analyst writes)", "engine vs pandas floats"
PANDAS_EXACT = "pandas, exact Decimals (same lines to the cent)", "engine vs pandas exact"

Lines = dict[tuple[str, str], Decimal]
"""Amount per (payee, period)."""


def _assignments(con: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    rows = con.execute("SELECT payee, plan, valid_from, valid_to FROM plan_assignments").fetchall()
    return [{"payee": p, "plan": pl, "from": f, "to": t} for p, pl, f, t in rows]


def _runs(n: int) -> str:
    return f"best of {n}" if n > 1 else "one run"


def _pandas_repeat(quick: bool) -> int:
    """Best of 3 at --quick size; one run at full size, where B2C pandas takes ~10 s a run."""
    return REPEAT if quick else 1


def _engine(con: duckdb.DuckDBPyConnection, plan_text: str) -> tuple[pa.Table, Result]:
    """What is timed: calculate the plan and read its lines back as Arrow, as the SQL baseline
    does (Python objects for the comparison are built after the clock stops, for both)."""
    from attain.comp import calculate, load_plans

    result = calculate(
        ibis.duckdb.from_connection(con), load_plans(plan_text), _assignments(con), *SPAN
    )
    return result.lines_table().select(["payee", "period", "amount"]), result


def _lines(table: pa.Table) -> Lines:
    """payee, period, amount rows as a dict (for comparisons; never timed)."""
    p, per, amt = (table.column(i).to_pylist() for i in range(3))
    return dict(zip(zip(p, per, strict=True), amt, strict=True))


def _compare(label: str, engine: Lines, other: Lines) -> str:
    diff = sum(1 for k in engine.keys() | other.keys() if engine.get(k) != other.get(k))
    return f"{label}: {len(engine):,} lines, {diff:,} differ"


def _versus(engine_s: float, other_s: float) -> str:
    if other_s >= engine_s:
        return f"engine is {other_s / engine_s:.1f}x faster"
    return f"engine is {engine_s / other_s:.1f}x slower"


def _sql_rows(query: Callable[[], pa.Table]) -> tuple[Lines, float]:
    """Time the hand-written SQL and print its row; its lines and best time."""
    rows, seconds = timed(query, repeat=REPEAT)
    print(row(f"hand-written DuckDB SQL (baseline), {_runs(REPEAT)}", seconds))
    return _lines(rows), seconds


def _engine_rows(
    con: duckdb.DuckDBPyConnection, plan_text: str, sql: Lines, sql_s: float
) -> tuple[Lines, float]:
    """Time the engine like the SQL and print its rows, first call apart; its lines, best time."""
    gc.collect()
    with peak_during() as mem:
        (table, result), times = timed_runs(lambda: _engine(con, plan_text), repeat=REPEAT)
    best = min(times)
    lines = _lines(table)
    extra = f"{result.credit_count:,} credits, peak {mem['peak_mb']:,.0f} MB"
    print(row(f"attain engine, {_runs(REPEAT)}", best, sql_s, extra))
    print(row("attain engine, first call (compiles the plan)", times[0], sql_s))
    print("  " + _compare("engine vs SQL", lines, sql))
    return lines, best


def _pandas_rows(
    labels: tuple[str, str],
    plan: Callable[[], pd.DataFrame],
    key: tuple[str, str],
    repeat: int,
    engine: tuple[Lines, float],
    sql_s: float,
) -> None:
    """Time one pandas variant (`labels`: its row's, its comparison's) and print its row, with
    the engine's best time against it, and how its lines compare with the engine's."""
    df, seconds = timed(plan, repeat=repeat)
    lines: Lines = dict(zip(zip(df[key[0]], df[key[1]], strict=True), df["pay"], strict=True))
    print(row(f"{labels[0]}, {_runs(repeat)}", seconds, sql_s, _versus(engine[1], seconds)))
    print("  " + _compare(labels[1], engine[0], lines))


def _postgres(tables: dict[str, str], con: duckdb.DuckDBPyConnection, plan_text: str) -> None:
    """Copy the tables into a fresh PostgreSQL schema and run the same plan there."""
    try:
        import psycopg

        psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
    except Exception as e:  # no server: say so and move on
        print(f"  postgres: skipped ({e.__class__.__name__}: server not reachable)")
        return
    from attain.comp import calculate, load_plans

    schema = f"bench_{os.getpid()}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as pg:
        pg.execute(f'CREATE SCHEMA "{schema}"')
        try:
            for table, ddl in tables.items():
                pg.execute(f'CREATE TABLE "{schema}"."{table}" ({ddl})')
                with tempfile.NamedTemporaryFile(suffix=".csv") as f:
                    con.execute(f"COPY {table} TO '{f.name}' (HEADER false)")
                    with (
                        pg.cursor() as cur,
                        cur.copy(f'COPY "{schema}"."{table}" FROM STDIN (FORMAT csv)') as copy,
                        open(f.name, "rb") as src,
                    ):
                        while chunk := src.read(1 << 20):
                            copy.write(chunk)
                pg.execute(f'ANALYZE "{schema}"."{table}"')
            ib = ibis.postgres.connect(
                host="127.0.0.1",
                user="postgres",
                database=POSTGRES_URL.rsplit("/", 1)[1],
                schema=schema,
            )
            try:
                ib.raw_sql(f'SET search_path TO "{schema}"')
                plans = load_plans(plan_text)
                (_, seconds) = timed(lambda: calculate(ib, plans, _assignments(con), *SPAN))
            finally:
                ib.disconnect()
            print(row("engine pushed down into PostgreSQL, one run", seconds))
        finally:
            pg.execute(f'DROP SCHEMA "{schema}" CASCADE')


def _end_to_end(con: duckdb.DuckDBPyConnection, tables: list[str], plan_text: str) -> None:
    """Load the tables into a SQLite store, then time a run (load, calculate, keep) in a process
    of its own, as `attain comp run` is: this process's generated data is not the run's memory."""
    from attain.data.bulk import bulk_insert, loading
    from attain.data.store import get_engine

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'attain.db'}"
        engine = get_engine(url)
        with engine.connect() as conn, loading(conn), conn.begin():
            for table in tables:
                arrow: pa.Table = con.sql(f"SELECT * FROM {table}").to_arrow_table()
                bulk_insert(conn, table, arrow)
        engine.dispose()
        plans = Path(tmp) / "plan.yaml"
        plans.write_text(plan_text)
        child = [sys.executable, "-m", "bench._run_child", url, str(plans), *map(str, SPAN)]
        out = subprocess.run(child, check=True, capture_output=True, text=True).stdout
        run = json.loads(out.strip().splitlines()[-1])
        steps = ", ".join(f"{k} {v:.2f} s" for k, v in run["steps"].items())
        print(
            row("end to end: SQLite store -> run kept, one run", run["seconds"], extra=f"({steps})")
        )
        print(f"  peak memory of the run's process: {run['peak_mb']:,.0f} MB")


def b2c(quick: bool) -> None:
    payees, orders = (1_000, 1_000_000) if quick else (10_000, 10_000_000)
    print(f"\nB2C: {payees:,} payees, {orders:,} orders, monthly marginal tiers")
    con = duckdb.connect()
    _, gen = timed(lambda: data.b2c_orders(con, payees, orders))
    print(f"  generated in {gen:.1f} s")
    sql, sql_s = _sql_rows(lambda: baselines.b2c_sql(con, data.B2C_TIERS))
    engine = _engine_rows(con, data.B2C_PLAN, sql, sql_s)
    key, repeat = ("seller", "period"), _pandas_repeat(quick)
    assignments = con.execute("SELECT * FROM plan_assignments").df()
    floats = con.execute("SELECT * FROM orders").df()
    _pandas_rows(
        PANDAS_FLOATS,
        partial(baselines.b2c_pandas, floats, assignments, data.B2C_TIERS),
        key,
        repeat,
        engine,
        sql_s,
    )
    del floats  # one copy of the orders in pandas at a time
    exact = baselines.exact_frame(con, "orders")
    _pandas_rows(
        PANDAS_EXACT,
        partial(baselines.b2c_pandas_exact, exact, assignments, data.B2C_TIERS),
        key,
        repeat,
        engine,
        sql_s,
    )
    del exact
    _postgres(
        {
            "people": "id text, role text, manager text, valid_from date, valid_to date",
            "orders": "id text, seller text, date date, units integer, amount numeric(18,2)",
            "plan_assignments": "payee text, plan text, valid_from date, valid_to date",
        },
        con,
        data.B2C_PLAN,
    )
    _end_to_end(con, ["people", "orders", "plan_assignments"], data.B2C_PLAN)


def b2b(quick: bool) -> None:
    reps, deals = (500, 100_000) if quick else (5_000, 1_000_000)
    print(f"\nB2B: {reps:,} reps, {deals:,} deals, quarterly attainment tiers")
    con = duckdb.connect()
    data.b2b_deals(con, reps, deals)
    sql, sql_s = _sql_rows(lambda: baselines.b2b_sql(con, data.B2B_TIERS))
    engine = _engine_rows(con, data.B2B_PLAN, sql, sql_s)
    key, repeat = ("owner", "period"), _pandas_repeat(quick)
    assignments = con.execute("SELECT * FROM plan_assignments").df()
    floats = {t: con.execute(f"SELECT * FROM {t}").df() for t in ("deals", "quotas")}
    _pandas_rows(
        PANDAS_FLOATS,
        partial(
            baselines.b2b_pandas, floats["deals"], floats["quotas"], assignments, data.B2B_TIERS
        ),
        key,
        repeat,
        engine,
        sql_s,
    )
    del floats  # one copy of the deals in pandas at a time
    exact = {t: baselines.exact_frame(con, t) for t in ("deals", "quotas")}
    _pandas_rows(
        PANDAS_EXACT,
        partial(
            baselines.b2b_pandas_exact, exact["deals"], exact["quotas"], assignments, data.B2B_TIERS
        ),
        key,
        repeat,
        engine,
        sql_s,
    )
    del exact
    _postgres(
        {
            "people": "id text, role text, manager text, valid_from date, valid_to date",
            "deals": "id text, owner text, stage text, close_date date, amount numeric(18,2)",
            "quotas": "payee text, measure text, period text, amount numeric(18,2)",
            "plan_assignments": "payee text, plan text, valid_from date, valid_to date",
        },
        con,
        data.B2B_PLAN,
    )
    _end_to_end(con, ["people", "deals", "quotas", "plan_assignments"], data.B2B_PLAN)


def main(quick: bool) -> None:
    import attain.comp  # noqa: F401  (importing the plan grammar is not engine time)

    b2b(quick)
    b2c(quick)


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
