"""Mapping a file's columns onto a table: by flag, by YAML file, loosely by name; what is left
over is a warning, not an error."""

from __future__ import annotations

from pathlib import Path

import pytest
from _ingest_support import fixture, load, row, seed

from attain.data.ingest import ImportFailed, parse_map_option, read_mapping_file
from attain.data.ingest.importer import ImportOptions, import_file


@pytest.fixture
def seeded(sqlite_url: str) -> str:
    seed(sqlite_url)
    return sqlite_url


CRM_FLAGS = [
    "Opportunity ID=id",
    "Opportunity Name=name",
    "Opportunity Owner=owner",
    "Account Name=account",
    "Notes=",
]


def test_mapping_by_flags(seeded: str) -> None:
    warnings: list[str] = []
    report = import_file(
        "deals",
        fixture("crm_export.csv"),
        db=seeded,
        options=ImportOptions(mapping=tuple(parse_map_option(m) for m in CRM_FLAGS)),
        on_warning=warnings.append,
    )
    assert report.inserted == 2
    assert warnings == [], "Stage, Close Date and Amount match loosely; Notes is dropped"
    d1 = row(seeded, "deals", "D-1")
    assert (d1["owner"], d1["account"], str(d1["close_date"])) == ("ben", "acme", "2027-02-10")


def test_mapping_by_file_matches_mapping_by_flags(seeded: str, sqlite_url: str) -> None:
    pairs = read_mapping_file(fixture("crm_export.yaml"))
    assert ("Notes", None) in pairs and ("Opportunity Owner", "owner") in pairs
    report = load(seeded, "deals", "crm_export.csv", mapping=tuple(pairs))
    assert report.inserted == 2
    assert row(seeded, "deals", "D-2")["name"] == "Betatech new"


def test_columns_that_fill_nothing_are_a_warning(seeded: str) -> None:
    warnings: list[str] = []
    pairs = tuple(parse_map_option(m) for m in CRM_FLAGS[:-1])
    report = import_file(
        "deals",
        fixture("crm_export.csv"),
        db=seeded,
        options=ImportOptions(mapping=pairs),
        label="crm_export.csv",
        on_warning=warnings.append,
    )
    assert report.ignored_columns == ["Notes"]
    assert warnings == [
        "crm_export.csv: ignoring columns that fill nothing in deals: 'Notes' (map them with "
        "--map 'Column=column', or to nothing with --map 'Column=')"
    ]


def test_one_file_column_may_fill_several_table_columns(sqlite_url: str, tmp_path: Path) -> None:
    mapping = tmp_path / "team.yaml"
    mapping.write_text("sales_agent: [id, name]\nregional_office: null\n", encoding="utf-8")
    path = tmp_path / "team.csv"
    path.write_text("sales_agent,regional_office\nAnna Snelling,Central\n", encoding="utf-8")
    load(sqlite_url, "people", str(path), mapping=tuple(read_mapping_file(mapping)))
    assert row(sqlite_url, "people", "Anna Snelling")["name"] == "Anna Snelling"


def test_mapping_errors_name_what_is_wrong(seeded: str) -> None:
    with pytest.raises(ImportFailed) as caught:
        load(seeded, "deals", "crm_export.csv", mapping=(("Opportunity Owner", "ownr"),))
    assert str(caught.value).startswith(
        "the mapping sends 'Opportunity Owner' to 'ownr', but deals has no column 'ownr' "
        "(did you mean 'owner'?)"
    )
    with pytest.raises(ImportFailed) as caught:
        load(seeded, "deals", "crm_export.csv", mapping=(("Opportunity Ownr", "owner"),))
    assert str(caught.value).startswith(
        "crm_export.csv: the mapping names a column 'Opportunity Ownr' that the file does not "
        "have (did you mean 'Opportunity Owner'?)"
    )
    with pytest.raises(ImportFailed, match="would both fill 'id'"):
        load(
            seeded,
            "deals",
            "crm_export.csv",
            mapping=(("Opportunity ID", "id"), ("Opportunity Name", "id")),
        )
    with pytest.raises(ImportFailed, match="write it as 'FILE COLUMN=table_column'"):
        parse_map_option("Opportunity Owner")


def test_a_flag_replaces_the_mapping_files_line_for_its_column() -> None:
    from attain.data.ingest import merge_mappings

    from_file = [("Owner", "owner"), ("Notes", None), ("Agent", "id"), ("Agent", "name")]
    assert merge_mappings(from_file, [("Agent", "owner"), ("Owner", None)]) == [
        ("Notes", None),
        ("Agent", "owner"),
        ("Owner", None),
    ]
