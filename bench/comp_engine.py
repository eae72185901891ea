"""The compensation engine against hand-written DuckDB SQL (the floor) and pandas (an analyst's).

B2C: 10,000 payees and 10 million orders through a monthly tiered plan; B2B: 1 million deals
through quarterly attainment tiers. For each: engine time, end-to-end time (load from the SQLite
store, calculate, keep the run), peak memory, both baselines, and the same plan pushed down into
PostgreSQL. `--quick` shrinks every size tenfold.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import tempfile
from decimal import Decimal
from pathlib import Path

import duckdb
import ibis

from bench import _comp_baselines as baselines
from bench import _comp_data as data
from bench._measure import peak_during, row, timed

POSTGRES_URL = os.environ.get(
    "ATTAIN_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
SPAN = dt.date(data.YEAR, 1, 1), dt.date(data.YEAR, 12, 31)


def _assignments(con: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    rows = con.execute("SELECT payee, plan, valid_from, valid_to FROM plan_assignments").fetchall()
    return [{"payee": p, "plan": pl, "from": f, "to": t} for p, pl, f, t in rows]


def _engine(
    con: duckdb.DuckDBPyConnection, plan_text: str
) -> tuple[dict[tuple[str, str], Decimal], int]:
    from attain.comp import calculate, load_plans

    result = calculate(
        ibis.duckdb.from_connection(con), load_plans(plan_text), _assignments(con), *SPAN
    )
    lines = result.lines_table().select(["payee", "period", "amount"]).to_pylist()
    return {(r["payee"], r["period"]): r["amount"] for r in lines}, result.credit_count


def _compare(
    label: str, engine: dict[tuple[str, str], Decimal], other: dict[tuple[str, str], Decimal]
) -> str:
    diff = sum(1 for k in engine.keys() | other.keys() if engine.get(k) != other.get(k))
    return f"{label}: {len(engine):,} lines, {diff:,} differ"


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
            print(row("engine pushed down into PostgreSQL", seconds))
        finally:
            pg.execute(f'DROP SCHEMA "{schema}" CASCADE')


def _end_to_end(con: duckdb.DuckDBPyConnection, tables: list[str], plan_text: str) -> None:
    """Load the tables into a SQLite store, then time `calculate_run` (load, calculate, keep)."""
    import pyarrow as pa

    from attain.comp.runs import calculate_run
    from attain.data.bulk import bulk_insert, loading
    from attain.data.store import get_engine

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'attain.db'}"
        engine = get_engine(url)
        with engine.connect() as conn, loading(conn), conn.begin():
            for table in tables:
                arrow: pa.Table = con.sql(f"SELECT * FROM {table}").to_arrow_table()
                bulk_insert(conn, table, arrow)
        plans = Path(tmp) / "plan.yaml"
        plans.write_text(plan_text)
        gc.collect()
        with peak_during() as mem:
            summary, seconds = timed(lambda: calculate_run(plans, *SPAN, url=url))
        steps = ", ".join(f"{k} {v:.2f} s" for k, v in summary.seconds.items())
        print(row("end to end: SQLite store -> run kept", seconds, extra=f"({steps})"))
        print(f"  peak memory during the run: {mem['peak_mb']:,.0f} MB")
        engine.dispose()


def b2c(quick: bool) -> None:
    payees, orders = (1_000, 1_000_000) if quick else (10_000, 10_000_000)
    print(f"\nB2C: {payees:,} payees, {orders:,} orders, monthly marginal tiers")
    con = duckdb.connect()
    _, gen = timed(lambda: data.b2c_orders(con, payees, orders))
    print(f"  generated in {gen:.1f} s")
    sql_rows, sql_s = timed(lambda: baselines.b2c_sql(con, data.B2C_TIERS), repeat=3)
    sql = {(p, per): amt for p, per, amt in sql_rows}
    print(row("hand-written DuckDB SQL (baseline)", sql_s))
    gc.collect()
    with peak_during() as mem:
        (engine, n_credits), eng_s = timed(lambda: _engine(con, data.B2C_PLAN))
    print(
        row(
            f"attain engine ({n_credits:,} credits)", eng_s, sql_s, f"peak {mem['peak_mb']:,.0f} MB"
        )
    )
    print("  " + _compare("engine vs SQL", engine, sql))
    frames = {t: con.execute(f"SELECT * FROM {t}").df() for t in ("orders", "plan_assignments")}
    pd_rows, pd_s = timed(
        lambda: baselines.b2c_pandas(frames["orders"], frames["plan_assignments"], data.B2C_TIERS)
    )
    pandas = {(r.seller, r.period): r.pay for r in pd_rows.itertuples()}
    print(
        row("pandas (what an analyst writes)", pd_s, sql_s, f"engine is {pd_s / eng_s:.1f}x faster")
    )
    print("  " + _compare("engine vs pandas (binary floats)", engine, pandas))
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
    sql_rows, sql_s = timed(lambda: baselines.b2b_sql(con, data.B2B_TIERS), repeat=3)
    sql = {(p, per): amt for p, per, amt in sql_rows}
    print(row("hand-written DuckDB SQL (baseline)", sql_s))
    gc.collect()
    with peak_during() as mem:
        (engine, n_credits), eng_s = timed(lambda: _engine(con, data.B2B_PLAN))
    print(
        row(
            f"attain engine ({n_credits:,} credits)", eng_s, sql_s, f"peak {mem['peak_mb']:,.0f} MB"
        )
    )
    print("  " + _compare("engine vs SQL", engine, sql))
    frames = {
        t: con.execute(f"SELECT * FROM {t}").df() for t in ("deals", "quotas", "plan_assignments")
    }
    pd_rows, pd_s = timed(
        lambda: baselines.b2b_pandas(
            frames["deals"], frames["quotas"], frames["plan_assignments"], data.B2B_TIERS
        )
    )
    pandas = {(r.owner, r.period): r.pay for r in pd_rows.itertuples()}
    print(
        row("pandas (what an analyst writes)", pd_s, sql_s, f"engine is {pd_s / eng_s:.1f}x faster")
    )
    print("  " + _compare("engine vs pandas (binary floats)", engine, pandas))
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
    import sys

    main(quick="--quick" in sys.argv)
