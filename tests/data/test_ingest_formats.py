"""The same rows from CSV (also US dates, other delimiters, gzip), XLSX and Parquet end the same."""

from __future__ import annotations

import datetime as dt
import gzip
from decimal import Decimal
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from _ingest_support import load, rows, seed

from attain.data.ingest import Formats, ImportFailed, InvalidRows

COLUMNS = ["id", "owner", "stage", "amount", "created", "term_months"]
DEALS = [
    ["D-1", "ben", "won", Decimal("4821.00"), dt.date(2027, 1, 5), 12],
    ["D-2", "chloe", "won", Decimal("0.10"), dt.date(2027, 1, 9), 24],
    ["D-3", "ana", "proposal", None, None, None],
]


@pytest.fixture
def seeded(store_url: str) -> str:
    seed(store_url)
    return store_url


def _csv_text() -> str:
    def cell(v: object) -> str:
        return "" if v is None else str(v)

    return ",".join(COLUMNS) + "\n" + "".join(",".join(map(cell, d)) + "\n" for d in DEALS)


@pytest.fixture
def from_csv(seeded: str, tmp_path: Path) -> list[tuple[object, ...]]:
    path = tmp_path / "deals.csv"
    path.write_text(_csv_text(), encoding="utf-8")
    load(seeded, "deals", str(path))
    return rows(seeded, "deals")


def test_xlsx_reads_like_csv(
    from_csv: list[tuple[object, ...]], seeded: str, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Pipeline"
    sheet.append(COLUMNS)
    for d in DEALS:
        # Excel keeps numbers as floats and dates as date cells.
        sheet.append([d[0], d[1], d[2], float(d[3]) if d[3] is not None else None, d[4], d[5]])
    sheet.append([])
    path = tmp_path / "deals.xlsx"
    book.save(path)
    report = load(seeded, "deals", str(path), sheet="Pipeline")
    assert (report.rows, report.unchanged) == (3, 3), "the same rows as the CSV"
    assert rows(seeded, "deals") == from_csv
    with pytest.raises(ImportFailed, match="no sheet named 'Deals'; the sheets are: Pipeline"):
        load(seeded, "deals", str(path), sheet="Deals")


def test_parquet_reads_like_csv(
    from_csv: list[tuple[object, ...]], seeded: str, tmp_path: Path
) -> None:
    table = pa.table(
        {
            "id": [d[0] for d in DEALS],
            "owner": pa.array([d[1] for d in DEALS]).dictionary_encode(),
            "stage": [d[2] for d in DEALS],
            "amount": pa.array([d[3] for d in DEALS], pa.decimal128(12, 2)),
            "created": pa.array([d[4] for d in DEALS], pa.date32()),
            "term_months": pa.array([d[5] for d in DEALS], pa.int16()),
        }
    )
    path = tmp_path / "deals.parquet"
    pq.write_table(table, path)
    report = load(seeded, "deals", str(path), batch_rows=2)
    assert (report.rows, report.unchanged) == (3, 3), "the same rows as the CSV"
    assert rows(seeded, "deals") == from_csv


def test_parquet_float_money_is_refused(seeded: str, tmp_path: Path) -> None:
    path = tmp_path / "floats.parquet"
    pq.write_table(
        pa.table({"id": ["D-1"], "owner": ["ben"], "stage": ["won"], "amount": [0.1]}), path
    )
    with pytest.raises(ImportFailed) as caught:
        load(seeded, "deals", str(path))
    assert str(caught.value) == (
        f"{path}: column 'amount' holds binary floating-point numbers, which cannot hold money "
        "exactly; store amount as decimal or text"
    )


def test_parquet_rows_are_numbered_from_one(seeded: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.parquet"
    pq.write_table(
        pa.table({"id": ["D-1", "D-2"], "owner": ["ben", "zed"], "stage": ["won"] * 2}), path
    )
    with pytest.raises(InvalidRows) as caught:
        load(seeded, "deals", str(path))
    assert caught.value.lines()[0].startswith(f"{path}:2:owner: 'zed' is not a known people.id")


def test_us_dates_with_a_date_format(seeded: str) -> None:
    load(seeded, "deals", "deals.csv")
    before = rows(seeded, "deals")
    with pytest.raises(InvalidRows, match="5 invalid rows"):
        load(seeded, "deals", "deals_us_dates.csv")
    report = load(seeded, "deals", "deals_us_dates.csv", formats=Formats(date="%m/%d/%Y"))
    assert (report.unchanged, report.updated) == (5, 0), "the same dates, written another way"
    assert rows(seeded, "deals") == before


def test_semicolons_tabs_and_gzip(
    seeded: str, from_csv: list[tuple[object, ...]], tmp_path: Path
) -> None:
    semicolons = tmp_path / "deals_eu.csv"
    semicolons.write_text(_csv_text().replace(",", ";"), encoding="utf-8")
    assert load(seeded, "deals", str(semicolons)).unchanged == 3
    tabs = tmp_path / "deals.tsv"
    tabs.write_text(_csv_text().replace(",", "\t"), encoding="utf-8")
    assert load(seeded, "deals", str(tabs)).unchanged == 3
    zipped = tmp_path / "deals.csv.gz"
    zipped.write_bytes(gzip.compress(_csv_text().encode()))
    assert load(seeded, "deals", str(zipped)).unchanged == 3
    assert rows(seeded, "deals") == from_csv


def test_datetimes(seeded: str, tmp_path: Path) -> None:
    load(seeded, "deals", "deals.csv")
    path = tmp_path / "events.csv"
    path.write_text(
        "id,deal,to_stage,at\n"
        "E-1,D-1,won,2027-02-10 14:30\n"
        "E-2,D-1,lost,2027-02-11T09:05:30\n"
        "E-3,D-2,won,2027-02-30 10:00\n"
        "E-4,D-2,won,10/02/2027 10:00\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidRows) as caught:
        load(seeded, "deal_stage_events", str(path))
    assert [line.split(": ", 1)[0] for line in caught.value.lines()] == [
        f"{path}:4:at",
        f"{path}:5:at",
    ]
    load(seeded, "deal_stage_events", str(path), skip_invalid=True)
    stamps = [str(r[4])[:19] for r in rows(seeded, "deal_stage_events")]
    assert stamps == ["2027-02-10 14:30:00", "2027-02-11 09:05:30"]


def test_unknown_file_types_are_refused(seeded: str, tmp_path: Path) -> None:
    path = tmp_path / "deals.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"unknown file type '\.json'"):
        load(seeded, "deals", str(path))
    with pytest.raises(ImportFailed, match="no such file"):
        load(seeded, "deals", "missing.csv")
