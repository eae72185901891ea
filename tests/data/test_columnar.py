from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb

from attain.data.columnar import load_into_duckdb
from attain.data.schema import Deal, Person
from attain.data.store import get_engine, session


def test_store_tables_load_into_duckdb_typed_and_exact(store_url: str) -> None:
    with session(store_url) as s:
        s.add(Person(id="ana", name="Ana"))
        s.add(
            Deal(
                id="d1",
                owner="ana",
                stage="won",
                amount=Decimal("10.10"),
                close_date=dt.date(2027, 1, 5),
                term_months=12,
            )
        )
        s.add(Deal(id="d2", owner="ana", stage="open"))
    con = duckdb.connect()
    counts = load_into_duckdb(get_engine(store_url), con, ["deals", "people", "quotas"])
    assert counts == {"deals": 2, "people": 1, "quotas": 0}
    rows = con.execute(
        "SELECT id, amount, close_date, term_months, typeof(amount) FROM deals ORDER BY id"
    ).fetchall()
    assert rows[0] == ("d1", Decimal("10.100000"), dt.date(2027, 1, 5), 12, "DECIMAL(24,6)")
    assert rows[1][1:4] == (None, None, None)
    assert con.execute("SELECT typeof(valid_from) FROM people").fetchone() == ("DATE",)
    assert con.execute("SELECT count(*) FROM quotas").fetchone() == (0,)


def test_a_column_null_in_its_first_thousands_of_rows_still_loads(store_url: str) -> None:
    """The SQLite reader types columns by the first rows it reads: a cancelled date that most
    deals lack must not be typed as integer and fail on the first deal that has one."""
    with session(store_url) as s:
        s.add(Person(id="ana", name="Ana"))
        s.add_all(Deal(id=f"d{i:05d}", owner="ana", stage="open") for i in range(3000))
        s.add(Deal(id="d99999", owner="ana", stage="lost", cancelled_date=dt.date(2027, 2, 1)))
    con = duckdb.connect()
    counts = load_into_duckdb(get_engine(store_url), con, ["deals"])
    assert counts == {"deals": 3001}
    assert con.execute(
        "SELECT count(cancelled_date), max(cancelled_date), count(*) FROM deals"
    ).fetchone() == (1, dt.date(2027, 2, 1), 3001)
