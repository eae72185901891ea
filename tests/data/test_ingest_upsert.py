"""Imports upsert by primary key on every store: re-importing changes nothing, a corrected file
changes only what it corrects, and `--skip-invalid` keeps the valid rows and writes the rest."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from _ingest_support import fixture, load, row, rows, seed

from attain.data.ingest import InvalidRows


@pytest.fixture
def seeded(store_url: str) -> str:
    seed(store_url)
    return store_url


def test_importing_the_same_file_twice_changes_nothing(seeded: str) -> None:
    first = load(seeded, "deals", "deals.csv")
    assert (first.rows, first.inserted, first.updated, first.unchanged) == (5, 5, 0, 0)
    before = rows(seeded, "deals")
    again = load(seeded, "deals", "deals.csv")
    assert (again.inserted, again.updated, again.unchanged, again.rejected) == (0, 0, 5, 0)
    assert rows(seeded, "deals") == before


def test_a_corrected_file_updates_only_the_rows_that_changed(seeded: str) -> None:
    load(seeded, "deals", "deals.csv")
    report = load(seeded, "deals", "deals_corrected.csv")
    # D-1 amount and D-3 stage/close date changed; D-2 and D-4 differ only in how the amount is
    # written (55.5 vs 55.50), which is the same money; D-6 is new.
    assert (report.inserted, report.updated, report.unchanged) == (1, 2, 3)
    assert Decimal(str(row(seeded, "deals", "D-1")["amount"])) == Decimal("4900")
    assert row(seeded, "deals", "D-3")["stage"] == "won"
    assert str(row(seeded, "deals", "D-3")["close_date"]) == "2027-03-20"


def test_columns_the_file_does_not_have_are_left_alone(seeded: str, tmp_path: Path) -> None:
    load(seeded, "deals", "deals.csv")
    path = tmp_path / "stages.csv"
    path.write_text("id,owner,stage\nD-1,ben,lost\nD-2,chloe,won\n", encoding="utf-8")
    report = load(seeded, "deals", str(path))
    assert (report.updated, report.unchanged) == (1, 1)
    d1 = row(seeded, "deals", "D-1")
    assert (d1["stage"], d1["name"]) == ("lost", "Acme renewal")
    assert Decimal(str(d1["amount"])) == Decimal("4821")


def test_a_blank_value_clears_the_column(seeded: str, tmp_path: Path) -> None:
    load(seeded, "deals", "deals.csv")
    path = tmp_path / "clear.csv"
    path.write_text("id,owner,stage,amount\nD-1,ben,won,\n", encoding="utf-8")
    assert load(seeded, "deals", str(path)).updated == 1
    assert row(seeded, "deals", "D-1")["amount"] is None


def test_skip_invalid_imports_the_rest_and_writes_the_rejects(seeded: str, tmp_path: Path) -> None:
    rejects = tmp_path / "rejected.csv"
    report = load(seeded, "deals", "deals_bad.csv", skip_invalid=True, rejects=rejects)
    assert (report.rows, report.inserted, report.rejected) == (12, 2, 10)
    assert report.rejects_path == rejects
    assert [r[0] for r in rows(seeded, "deals")] == ["D-1", "D-12"]
    with rejects.open(newline="", encoding="utf-8") as f:
        written = list(csv.reader(f))
    with fixture("deals_bad.csv").open(newline="", encoding="utf-8") as f:
        original = list(csv.reader(f))
    assert written[0] == [*original[0], "reason"]
    assert [w[:-1] for w in written[1:]] == original[2:12]
    assert written[1][-1] == "term_months: 'twelve' is not a whole number"
    assert written[6][-1] == "id: duplicate id 'D-1': also on row 2"
    again = load(seeded, "deals", "deals_bad.csv", skip_invalid=True, rejects=rejects)
    assert (again.inserted, again.unchanged, again.rejected) == (0, 2, 10)


def test_rejects_go_beside_the_file_by_default(seeded: str, tmp_path: Path) -> None:
    path = tmp_path / "pipeline.csv"
    path.write_bytes(fixture("deals_bad.csv").read_bytes())
    report = load(seeded, "deals", str(path), skip_invalid=True)
    assert report.rejects_path == tmp_path / "pipeline.csv.rejects.csv"
    assert len(report.rejects_path.read_text(encoding="utf-8").splitlines()) == 11


def test_people_versions_default_to_an_open_start(seeded: str) -> None:
    ana = rows(seeded, "people")[0]
    assert ana[0] == "ana" and str(ana[1]) == "1900-01-01"


def test_dry_run_checks_everything_and_writes_nothing(seeded: str) -> None:
    report = load(seeded, "deals", "deals.csv", dry_run=True)
    assert (report.inserted, report.dry_run) == (5, True)
    assert rows(seeded, "deals") == []
    with pytest.raises(InvalidRows):
        load(seeded, "deals", "deals_bad.csv", dry_run=True)
