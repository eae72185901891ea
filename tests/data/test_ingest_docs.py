"""The importing guide cannot drift: its example file for each table imports as shown, in the
order shown, and the ingest package's public surface is what its docstring names."""

from __future__ import annotations

import re
import types
from pathlib import Path

import sqlalchemy as sa

import attain.data.ingest as ingest
from attain.data.ingest import ImportOptions, import_file
from attain.data.schema import DATA_TABLES
from attain.data.store import get_engine

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "importing.md"
EXAMPLE = re.compile(r"^`(\w+)\.csv`[^\n]*\n(?:[^\n`][^\n]*\n)*\n```csv\n(.*?)```", re.M | re.S)


def test_every_example_file_in_the_guide_imports(sqlite_url: str, tmp_path: Path) -> None:
    section = GUIDE.read_text(encoding="utf-8").split("## An example file for each table", 1)[1]
    examples = EXAMPLE.findall(section)
    assert {table for table, _ in examples} == set(DATA_TABLES)
    for number, (table, body) in enumerate(examples):
        path = tmp_path / f"{number}-{table}.csv"
        path.write_text(body, encoding="utf-8")
        report = import_file(table, path, db=sqlite_url, options=ImportOptions())
        assert report.rejected == 0 and report.rows == body.count("\n") - 1, table
    with get_engine(sqlite_url).connect() as conn:
        versions = conn.execute(
            sa.text("SELECT valid_from, valid_to, territory FROM people WHERE id = 'ben'")
        ).all()
    assert sorted(versions) == [
        ("1900-01-01", "2027-06-30", "emea-north"),
        ("2027-07-01", None, "na-west"),
    ], "the second people file closed Ben's first version and added his second"


def test_public_surface() -> None:
    public = {
        name
        for name, value in vars(ingest).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert set(ingest.__all__) == public - {"annotations"}
    for name in ingest.__all__:
        assert f"`{name}" in (ingest.__doc__ or ""), f"{name} is public but not in the docstring"
