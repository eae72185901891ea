"""Saved, named mappings: saved with an audit entry in the same transaction, refused whole when
the spec or table is wrong, listed and shown, and used by `attain import --mapping NAME`."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from _ingest_support import fixture, row, seed
from typer.testing import CliRunner

from attain.actions.mappings import save_mapping
from attain.audit import entries
from attain.audit.actor import Actor
from attain.cli import app
from attain.data.ingest import ImportFailed, list_mappings, load_mapping
from attain.data.store import get_engine
from cli_users import as_user

ADMIN = Actor("Ada Admin", "admin")
CRM = (
    "table: deals\n"
    "columns:\n"
    "  Opportunity ID: id\n"
    "  Opportunity Name: name\n"
    "  Opportunity Owner: owner\n"
    "  Account Name: account\n"
    "  Notes: null\n"
    "values:\n"
    "  stage: {won: Won}\n"
)


def _mapping_rows(url: str) -> int:
    with get_engine(url).connect() as conn:
        return int(conn.execute(sa.text("SELECT count(*) FROM import_mappings")).scalar_one())


def test_saving_is_audited_and_replacing_keeps_what_it_was(store_url: str) -> None:
    save_mapping(store_url, ADMIN, "crm", "deals", CRM)
    replaced = CRM.replace("{won: Won}", "{won: Closed Won}")
    save_mapping(store_url, Actor("Fin Lead", "admin"), "crm", "deals", replaced)
    saved = load_mapping(store_url, "crm")
    assert (saved.table, saved.spec_text, saved.updated_by) == ("deals", replaced, "Fin Lead")
    assert [m.name for m in list_mappings(store_url)] == ["crm"]
    assert list_mappings(store_url, "orders") == []
    log = entries(get_engine(store_url), entity="import_mapping", entity_id="crm")
    assert [(e.action, e.actor) for e in log] == [
        ("mapping.save", "Fin Lead"),
        ("mapping.save", "Ada Admin"),
    ]
    assert log[0].before == {"table": "deals", "spec": CRM}
    assert log[0].after == {"table": "deals", "spec": replaced}
    assert log[1].before is None


@pytest.mark.parametrize(
    ("name", "table", "text", "message"),
    [
        (
            "crm",
            "deals",
            CRM + "dates: {closed: '%d/%m/%Y'}\n",
            "mapping 'crm': deals has no column 'closed'",
        ),
        ("crm", "dealz", CRM, "unknown table 'dealz'"),
        ("crm", "orders", CRM, "mapping 'crm' is for deals, not orders"),
        ("crm deals", "deals", CRM, "'crm deals' cannot name a mapping"),
        ("crm", "deals", CRM + "derive: {amount: {multiply: [a]}}\n", "mapping 'crm', line 10"),
    ],
)
def test_a_refused_mapping_writes_nothing(
    sqlite_url: str, name: str, table: str, text: str, message: str
) -> None:
    with pytest.raises(ImportFailed) as caught:
        save_mapping(sqlite_url, ADMIN, name, table, text)
    assert str(caught.value).startswith(message)
    assert _mapping_rows(sqlite_url) == 0
    assert entries(get_engine(sqlite_url), entity="import_mapping") == []


def test_a_mapping_stays_with_its_table(sqlite_url: str) -> None:
    save_mapping(sqlite_url, ADMIN, "crm", "deals", CRM)
    with pytest.raises(ImportFailed, match="mapping 'crm' is for deals; save it under another"):
        save_mapping(sqlite_url, ADMIN, "crm", "orders", "columns: {a: id}")


def _attain(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_cli_saves_lists_shows_and_imports_by_name(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(store_url)
    spec = tmp_path / "crm.yaml"
    spec.write_text(CRM, encoding="utf-8")
    code, out, err = _attain(
        "mappings",
        "save",
        "crm-deals",
        str(spec),
        "--table",
        "deals",
        "--db",
        store_url,
        env=as_user(store_url, "Ada", "admin"),
    )
    assert (code, out.strip(), err) == (0, "saved mapping 'crm-deals' for deals", "")
    code, out, _ = _attain("mappings", "list", "--db", store_url)
    assert code == 0 and "crm-deals" in out and "Ada" in out
    code, out, _ = _attain("mappings", "show", "crm-deals", "--db", store_url)
    assert code == 0 and out == "# mapping crm-deals for deals\n" + CRM
    monkeypatch.chdir(fixture("."))
    code, out, err = _attain(
        "import",
        "deals",
        "crm_export.csv",
        "--mapping",
        "crm-deals",
        "--db",
        store_url,
        env=as_user(store_url, "Ada", "admin"),
    )
    assert code == 0, err
    assert "2 inserted" in out
    assert row(store_url, "deals", "D-1")["stage"] == "Won"


def test_cli_unknown_mapping_is_one_line_exit_2(sqlite_url: str) -> None:
    save_mapping(sqlite_url, ADMIN, "crm", "deals", CRM)
    code, _, err = _attain(
        "import", "deals", str(fixture("crm_export.csv")), "--mapping", "crn", "--db", sqlite_url
    )
    assert code == 2
    assert err.strip() == "error: no saved mapping named 'crn'; saved mappings: crm"
    code, _, err = _attain(
        "import",
        "deals",
        str(fixture("crm_export.csv")),
        "--mapping",
        "nope.yaml",
        "--db",
        sqlite_url,
    )
    assert (code, err.strip()) == (2, "error: nope.yaml: no such mapping file")


def test_cli_mapping_file_with_values_and_a_map_flag_on_top(
    sqlite_url: str, tmp_path: Path
) -> None:
    seed(sqlite_url)
    spec = tmp_path / "crm.yaml"
    spec.write_text(CRM.replace("  Opportunity Name: name\n", ""), encoding="utf-8")
    code, _, err = _attain(
        "import",
        "deals",
        str(fixture("crm_export.csv")),
        "--mapping",
        str(spec),
        "--map",
        "Opportunity Name=name",
        "--db",
        sqlite_url,
    )
    assert code == 0, err
    assert row(sqlite_url, "deals", "D-2")["name"] == "Betatech new"
    assert row(sqlite_url, "deals", "D-2")["stage"] == "Won"


def test_a_saved_mapping_is_for_its_table_even_without_a_table_line(sqlite_url: str) -> None:
    save_mapping(sqlite_url, ADMIN, "plain", "deals", "columns: {Opportunity ID: id}\n")
    code, _, err = _attain(
        "import", "orders", str(fixture("crm_export.csv")), "--mapping", "plain", "--db", sqlite_url
    )
    assert (code, err.strip()) == (2, "error: mapping 'plain' is for deals, not orders")
