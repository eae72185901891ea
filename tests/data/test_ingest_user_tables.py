"""Tables the data model does not define: created from the file with --new-table, registered in
`user_tables` so plans can read them, and upserted like any table afterwards."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from _ingest_support import fixture, load, rows

from attain.data.ingest import ImportFailed, ImportOptions, InvalidRows, import_file
from attain.data.store import get_engine


def _registered(url: str) -> dict[str, list[dict[str, str]]]:
    with get_engine(url).connect() as conn:
        found = conn.execute(sa.text("SELECT name, columns FROM user_tables")).all()
    return {name: json.loads(columns) for name, columns in found}


def test_new_table_infers_types_and_registers(store_url: str) -> None:
    report = load(store_url, "targets", "targets.csv", new_table=True)
    assert (report.created_table, report.inserted) == (True, 3)
    assert _registered(store_url) == {
        "targets": [
            {"name": "id", "type": "text"},
            {"name": "region", "type": "text"},
            {"name": "target", "type": "decimal"},
            {"name": "starts", "type": "date"},
            {"name": "updated_at", "type": "datetime"},
            {"name": "headcount", "type": "integer"},
            {"name": "code", "type": "text"},
            {"name": "comment", "type": "text"},
        ]
    }
    first = rows(store_url, "targets")[0]
    assert first[0] == "T-1" and Decimal(str(first[2])) == Decimal("125000.5")
    assert first[6] == "007", "leading zeros make a column text, so they are kept"
    again = load(store_url, "targets", "targets.csv")
    assert (again.created_table, again.unchanged) == (False, 3)


def test_user_tables_upsert_and_validate_like_any_table(store_url: str, tmp_path: Path) -> None:
    load(store_url, "targets", "targets.csv", new_table=True)
    path = tmp_path / "targets.csv"
    path.write_text("id,target,headcount,extra\nT-1,130000,12,x\nT-4,5,1,y\n", encoding="utf-8")
    warnings: list[str] = []
    report = import_file(
        "targets", path, db=store_url, options=ImportOptions(), on_warning=warnings.append
    )
    assert (report.inserted, report.updated) == (1, 1)
    assert "'extra'" in warnings[0]
    path.write_text("id,headcount\nT-1,many\n", encoding="utf-8")
    with pytest.raises(InvalidRows, match="1 invalid row"):
        load(store_url, "targets", str(path))


def test_unknown_table_needs_new_table_and_an_id(sqlite_url: str, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match=r"unknown table .targets.*add --new-table"):
        load(sqlite_url, "targets", "targets.csv")
    path = tmp_path / "no_id.csv"
    path.write_text("code,value\nA,1\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="a new table needs an 'id' column"):
        load(sqlite_url, "codes", str(path), new_table=True)
    with pytest.raises(ImportFailed, match="cannot name a new table"):
        load(sqlite_url, "User Targets", "targets.csv", new_table=True)
    with pytest.raises(ImportFailed, match="kept by attain itself"):
        load(sqlite_url, "user_tables", "targets.csv", new_table=True)
    assert _registered(sqlite_url) == {}


def test_a_failed_new_table_import_leaves_no_table(store_url: str, tmp_path: Path) -> None:
    path = tmp_path / "targets.csv"
    path.write_text(
        fixture("targets.csv").read_text(encoding="utf-8") + "T-1,dup,1,2027-01-01,,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidRows, match="1 invalid row"):
        load(store_url, "targets", str(path), new_table=True)
    assert _registered(store_url) == {}
    assert "targets" not in sa.inspect(get_engine(store_url)).get_table_names()
