"""The online-retail file as orders, with a mapping that derives what the file lacks: a line id
from invoice and line number, amount = quantity x price (exact), a seller per country desk with
a default, and the currency. No script; cancellations and adjustments stay as they are."""

from __future__ import annotations

import csv
import gzip
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from _ingest_support import fixture

from attain.data.ingest import ImportOptions, import_file, read_spec_file
from attain.data.store import get_engine

DESKS = ("desk-uk", "desk-intl")


def _desks(url: str) -> None:
    with get_engine(url).begin() as conn:
        for desk in DESKS:
            conn.execute(
                sa.text("INSERT INTO people (id, valid_from, name) VALUES (:d, '1900-01-01', :d)"),
                {"d": desk},
            )


def _orders(url: str) -> dict[str, tuple[str, str, int, Decimal, str, str]]:
    with get_engine(url).connect() as conn:
        found = conn.execute(
            sa.text("SELECT id, seller, date, units, amount, currency FROM orders")
        ).all()
    return {
        r[0]: (r[1], str(r[2]), int(r[3]), Decimal(str(r[4])).normalize(), r[5], r[0])
        for r in found
    }


def test_retail_slice_derives_line_ids_amounts_sellers_and_currency(store_url: str) -> None:
    _desks(store_url)
    spec = read_spec_file(fixture("retail_orders.yaml"))
    report = import_file(
        "orders",
        fixture("retail_slice.csv"),
        db=store_url,
        # batches of 4 rows: an invoice's line numbers carry on from one batch to the next
        options=ImportOptions(spec=spec, batch_rows=4),
        label="retail_slice.csv",
    )
    assert (report.rows, report.inserted, report.rejected) == (20, 20, 0)
    orders = _orders(store_url)
    assert sorted(k for k in orders if k.startswith("536365-")) == [
        f"536365-{n}" for n in range(1, 8)
    ]
    assert orders["536365-1"][:5] == ("desk-uk", "2010-12-01", 6, Decimal("15.3"), "GBP")
    assert orders["536370-3"][:4] == ("desk-intl", "2010-12-01", 12, Decimal("45"))
    # a cancellation keeps its negative quantity, so its amount is negative, exactly
    assert orders["C536391-2"][2:4] == (-24, Decimal("-6.96"))
    assert orders["C536379-1"][2:4] == (-1, Decimal("-27.5"))
    # a free line is an order of zero; price adjustments are kept with their sign
    assert orders["536414-1"][3] == Decimal("0")
    assert orders["A563186-1"][3] == Decimal("-11062.06")
    with fixture("retail_slice.csv").open(newline="", encoding="utf-8") as f:
        expected = sum(Decimal(r["Quantity"]) * Decimal(r["UnitPrice"]) for r in csv.DictReader(f))
    assert sum(o[3] for o in orders.values()) == expected


def test_retail_bad_quantity_names_its_row_and_column(sqlite_url: str, tmp_path: Path) -> None:
    _desks(sqlite_url)
    lines = fixture("retail_slice.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",8,", ",eight,")
    bad = tmp_path / "retail.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_file(
        "orders",
        bad,
        db=sqlite_url,
        options=ImportOptions(
            spec=read_spec_file(fixture("retail_orders.yaml")), skip_invalid=True
        ),
        label="retail.csv",
    )
    assert report.rejected == 1
    assert [str(p) for p in report.problems] == [
        "retail.csv:4:Quantity: 'eight' is not a plain decimal number, so 'amount' is blank",
        "retail.csv:4:Quantity: 'eight' is not a whole number",
        "retail.csv:4:amount (derived): is blank, but orders.amount is required",
    ]


@pytest.mark.shared
def test_real_retail_file_first_lines(shared_dir: Path, sqlite_url: str, tmp_path: Path) -> None:
    """The first 5,000 lines of the real file, every one accounted for."""
    _desks(sqlite_url)
    source = shared_dir / "data" / "online-retail" / "online_retail.csv.gz"
    part = tmp_path / "retail_head.csv"
    with gzip.open(source, "rt", encoding="utf-8", newline="") as f:
        part.write_text("".join(next(f) for _ in range(5001)), encoding="utf-8")
    report = import_file(
        "orders",
        part,
        db=sqlite_url,
        options=ImportOptions(spec=read_spec_file(fixture("retail_orders.yaml"))),
    )
    assert (report.rows, report.inserted, report.rejected) == (5000, 5000, 0)
    with part.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with get_engine(sqlite_url).connect() as conn:
        amounts = conn.execute(sa.text("SELECT amount FROM orders")).scalars().all()
        negative = conn.execute(sa.text("SELECT count(*) FROM orders WHERE units < 0")).scalar()
    assert sum(Decimal(str(a)) for a in amounts) == sum(
        Decimal(r["Quantity"]) * Decimal(r["UnitPrice"]) for r in rows
    )
    assert negative == sum(1 for r in rows if int(r["Quantity"]) < 0)
    assert all(int(r["Quantity"]) < 0 for r in rows if r["InvoiceNo"].startswith("C"))
