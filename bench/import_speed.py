"""Import speed: `attain import deals` against the database's own bulk path, on the same rows.

Generates a deals CSV (1,000,000 rows; 100,000 with --quick) whose owners, accounts and products
exist in the store, imports it into a fresh SQLite store with attain's importer (mapping,
validation, references, upsert, one transaction), and, as the baseline, loads the same file into
the same table of another fresh store with Python's `csv` reader and `sqlite3.executemany` of
plain tuples in one transaction (no checks at all). Target: attain within 3x of the baseline.

When ../shared/data is at hand, it also times the real online-retail file (541,909 lines; the
first 100,000 with --quick) imported as orders through its mapping, which derives the line id,
the amount (quantity x price), the seller per country desk and the currency.
"""

from __future__ import annotations

import csv
import gzip
import sqlite3
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import sqlalchemy as sa

from attain.data.ingest import ImportOptions, import_file, read_spec_file
from attain.data.store import get_engine

ROOT = Path(__file__).resolve().parents[1]
RETAIL = ROOT.parent / "shared" / "data" / "online-retail" / "online_retail.csv.gz"
RETAIL_MAPPING = ROOT / "tests" / "fixtures" / "import" / "retail_orders.yaml"

PEOPLE = 300
ACCOUNTS = 20_000
PRODUCTS = 40
STAGES = np.array(["prospecting", "qualified", "proposal", "won", "lost"])
TYPES = np.array(["new", "expansion", "renewal"])
CURRENCIES = np.array(["USD", "EUR", "GBP"])


def _write(path: Path, columns: dict[str, object]) -> None:
    pacsv.write_csv(pa.table(columns), path)


def _dates(rng: np.random.Generator, n: int, start: str) -> np.ndarray:
    days = rng.integers(0, 730, n).astype("timedelta64[D]")
    return (np.datetime64(start) + days).astype(str)


def generate(folder: Path, rows: int) -> Path:
    """people.csv, accounts.csv, products.csv and deals.csv in `folder`; returns deals.csv."""
    rng = np.random.default_rng(7)
    people = np.char.add("rep-", np.arange(PEOPLE).astype(str))
    accounts = np.char.add("acct-", np.arange(ACCOUNTS).astype(str))
    products = np.char.add("prod-", np.arange(PRODUCTS).astype(str))
    _write(folder / "people.csv", {"id": people, "name": np.char.add("Rep ", people)})
    _write(folder / "accounts.csv", {"id": accounts, "name": np.char.add("Account ", accounts)})
    _write(folder / "products.csv", {"id": products, "list_price": ["100.00"] * PRODUCTS})
    cents = rng.integers(10_000, 50_000_000, rows)
    amounts = np.char.add(
        np.char.add((cents // 100).astype(str), "."), np.char.zfill((cents % 100).astype(str), 2)
    )
    deals = {
        "id": np.char.add("D-", np.arange(rows).astype(str)),
        "name": np.char.add("Deal ", np.arange(rows).astype(str)),
        "owner": people[rng.integers(0, PEOPLE, rows)],
        "account": accounts[rng.integers(0, ACCOUNTS, rows)],
        "product": products[rng.integers(0, PRODUCTS, rows)],
        "type": TYPES[rng.integers(0, len(TYPES), rows)],
        "amount": amounts,
        "currency": CURRENCIES[rng.integers(0, len(CURRENCIES), rows)],
        "stage": STAGES[rng.integers(0, len(STAGES), rows)],
        "created": _dates(rng, rows, "2025-01-01"),
        "close_date": _dates(rng, rows, "2025-06-01"),
        "term_months": rng.choice([12, 24, 36], rows),
    }
    path = folder / "deals.csv"
    _write(path, deals)
    return path


def attain_import(folder: Path, deals: Path) -> float:
    """Seconds for `attain import deals` into a fresh store whose references exist."""
    url = f"sqlite:///{folder / 'attain.db'}"
    for table in ("people", "accounts", "products"):
        import_file(table, folder / f"{table}.csv", db=url)
    start = time.perf_counter()
    report = import_file("deals", deals, db=url)
    seconds = time.perf_counter() - start
    assert report.inserted == report.rows, report.summary()
    return seconds


def baseline_import(folder: Path, deals: Path) -> float:
    """Seconds for csv.reader + sqlite3.executemany of plain tuples in one transaction."""
    path = folder / "baseline.db"
    get_engine(f"sqlite:///{path}").dispose()
    start = time.perf_counter()
    conn = sqlite3.connect(path)
    with open(deals, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        sql = f"INSERT INTO deals ({', '.join(header)}) VALUES ({', '.join('?' * len(header))})"
        with conn:
            conn.executemany(sql, reader)
    conn.close()
    return time.perf_counter() - start


def retail_import(folder: Path, lines: int | None) -> tuple[int, float]:
    """Rows and seconds for the online-retail file (or its first `lines`) as orders."""
    url = f"sqlite:///{folder / 'retail.db'}"
    with get_engine(url).begin() as conn:
        for desk in ("desk-uk", "desk-intl"):
            conn.execute(
                sa.text("INSERT INTO people (id, valid_from, name) VALUES (:d, '1900-01-01', :d)"),
                {"d": desk},
            )
    source = RETAIL
    if lines is not None:
        source = folder / "retail_head.csv"
        with gzip.open(RETAIL, "rt", encoding="utf-8", newline="") as f:
            source.write_text("".join(next(f) for _ in range(lines + 1)), encoding="utf-8")
    options = ImportOptions(spec=read_spec_file(RETAIL_MAPPING))
    start = time.perf_counter()
    report = import_file("orders", source, db=url, options=options)
    seconds = time.perf_counter() - start
    assert report.inserted == report.rows, report.summary()
    return report.rows, seconds


def main(quick: bool) -> None:
    rows = 100_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory(prefix="attain-bench-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        deals = generate(folder, rows)
        size = deals.stat().st_size / 1e6
        print(f"generated {rows:,} deals ({size:.0f} MB) in {time.perf_counter() - start:.1f} s")
        ours = attain_import(folder, deals)
        theirs = baseline_import(folder, deals)
    print(f"attain import:            {rows / ours:>10,.0f} rows/s ({ours:.1f} s)")
    print(f"sqlite3 executemany:      {rows / theirs:>10,.0f} rows/s ({theirs:.1f} s)")
    print(f"ratio (attain/baseline):  {ours / theirs:.2f}x the baseline's time (target <= 3x)")
    if not RETAIL.is_file():
        print("online-retail: skipped (../shared/data is not at hand)")
        return
    with tempfile.TemporaryDirectory(prefix="attain-bench-") as tmp:
        n, seconds = retail_import(Path(tmp), 100_000 if quick else None)
    print(f"online-retail as orders:  {n / seconds:>10,.0f} rows/s ({n:,} rows, {seconds:.1f} s)")
