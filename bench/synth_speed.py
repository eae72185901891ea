"""How fast the demo generator makes a big retail company and loads it.

A B2C company with 10,000 payees and 10 million orders (quick: 1 million) is generated, written
into a fresh SQLite store and into CSV files. Generation and writing are timed separately. The
baseline is the conventional path, SQLAlchemy Core `insert()` with a list of dicts, timed on the
first 100,000 orders of the same run.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from attain.data.schema import Order
from attain.data.store import get_engine
from attain.data.synth import SynthSpec, generate, write_csv, write_store
from attain.data.synth.write import conform

PAYEES = 10_000
BASELINE_ROWS = 100_000


def main(quick: bool) -> None:
    orders = 1_000_000 if quick else 10_000_000
    spec = SynthSpec(
        seed=1, b2c_associates=PAYEES, years=2, start=dt.date(2024, 1, 1), orders=orders
    )
    start = time.perf_counter()
    company = generate(spec)
    generated = time.perf_counter() - start
    rows = sum(company.row_counts().values())
    n_orders = company.tables["orders"].num_rows
    print(f"company: {PAYEES:,} associates, {n_orders:,} orders, {rows:,} rows in all")
    print(f"generate:     {generated:7.1f} s  {rows / generated:12,.0f} rows/s")
    with tempfile.TemporaryDirectory() as folder:
        engine = get_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        start = time.perf_counter()
        write_store(company, engine)
        written = time.perf_counter() - start
        print(f"write SQLite: {written:7.1f} s  {rows / written:12,.0f} rows/s")
        start = time.perf_counter()
        write_csv(company, Path(folder) / "csv")
        as_csv = time.perf_counter() - start
        print(f"write CSV:    {as_csv:7.1f} s  {rows / as_csv:12,.0f} rows/s")
        engine.dispose()

        base = get_engine(f"sqlite:///{Path(folder) / 'baseline.db'}")
        sample = conform("orders", company.tables["orders"].slice(0, BASELINE_ROWS)).to_pylist()
        start = time.perf_counter()
        with base.begin() as conn:
            conn.execute(insert(Order), sample)
        baseline = time.perf_counter() - start
        base.dispose()
    per_s = len(sample) / baseline
    print(f"baseline (SQLAlchemy insert of {len(sample):,} orders): {per_s:12,.0f} rows/s")
    print(f"bulk write vs baseline: {rows / written / per_s:.1f}x")
