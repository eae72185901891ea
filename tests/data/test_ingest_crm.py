"""A real CRM export (../shared/data/crm-maven): people named by full name, blank accounts on open
deals, a product spelled `GTXPro` in the pipeline but `GTX Pro` in the product list, and the same
pipeline exported again with US dates. The mess gives clear errors; --skip-invalid imports the rest."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from _ingest_support import fixture

from attain.actions.mappings import save_mapping
from attain.audit.actor import Actor
from attain.data.ingest import (
    ImportOptions,
    ImportReport,
    InvalidRows,
    import_file,
    load_mapping,
)
from attain.data.ingest.values import Formats
from attain.data.store import get_engine

pytestmark = pytest.mark.shared

PIPELINE = (
    ("opportunity_id", "id"),
    ("sales_agent", "owner"),
    ("deal_stage", "stage"),
    ("engage_date", "created"),
    ("close_value", "amount"),
)


@pytest.fixture
def crm(shared_dir: Path) -> Path:
    return shared_dir / "data" / "crm-maven"


def _import(
    url: str, table: str, path: Path, *pairs: tuple[str, str | None], **options: object
) -> ImportReport:
    return import_file(
        table,
        path,
        db=url,
        options=ImportOptions(mapping=pairs, **options),
        label=path.name,  # type: ignore[arg-type]
    )


def _scalar(url: str, sql: str) -> object:
    with get_engine(url).connect() as conn:
        return conn.execute(sa.text(sql)).scalar_one()


def _people_products_accounts(url: str, crm: Path, tmp_path: Path) -> None:
    # Managers first, from the same file: each appears on several rows, so the repeats are
    # rejected as duplicates and each manager is imported once.
    managers = _import(
        url,
        "people",
        crm / "sales_teams.csv",
        ("manager", "id"),
        ("manager", "name"),
        ("sales_agent", None),
        ("regional_office", None),
        skip_invalid=True,
        rejects=tmp_path / "managers.rejects.csv",
    )
    assert (managers.inserted, managers.rejected) == (6, 29)
    agents = _import(
        url,
        "people",
        crm / "sales_teams.csv",
        ("sales_agent", "id"),
        ("sales_agent", "name"),
        ("regional_office", None),
    )
    assert (agents.inserted, agents.rejected) == (35, 0)
    products = _import(
        url,
        "products",
        crm / "products.csv",
        ("product", "id"),
        ("product", "name"),
        ("series", "family"),
        ("sales_price", "list_price"),
    )
    assert products.inserted == 7
    accounts = _import(
        url,
        "accounts",
        crm / "accounts.csv",
        ("account", "id"),
        ("account", "name"),
        ("sector", "industry"),
        ("employees", "size"),
        ("office_location", "region"),
        ("year_established", None),
        ("subsidiary_of", None),
    )
    assert accounts.inserted == 85


def test_crm_pipeline_gives_clear_errors_then_imports_the_rest(
    crm: Path, store_url: str, tmp_path: Path
) -> None:
    _people_products_accounts(store_url, crm, tmp_path)

    with pytest.raises(InvalidRows) as caught:
        _import(store_url, "deals", crm / "sales_pipeline.csv", *PIPELINE)
    assert (caught.value.rows, caught.value.total) == (1480, 1480)
    assert caught.value.lines()[0] == (
        "sales_pipeline.csv:3:product: 'GTXPro' is not a known products.id "
        "(not in the store's products); did you mean 'GTX Pro'?"
    )
    assert all(":product: 'GTXPro' is not a known" in line for line in caught.value.lines()[:50])
    assert _scalar(store_url, "SELECT count(*) FROM deals") == 0

    rejects = tmp_path / "pipeline.rejects.csv"
    report = _import(
        store_url,
        "deals",
        crm / "sales_pipeline.csv",
        *PIPELINE,
        skip_invalid=True,
        rejects=rejects,
    )
    assert (report.rows, report.inserted, report.rejected) == (8800, 7320, 1480)
    assert len(rejects.read_text(encoding="utf-8").splitlines()) == 1481
    # Open deals: no account (a real gap in the export, allowed), no close date, no value.
    assert _scalar(store_url, "SELECT count(*) FROM deals WHERE account IS NULL") == 1203
    with (crm / "sales_pipeline.csv").open(newline="", encoding="utf-8") as f:
        won = [
            Decimal(r["close_value"])
            for r in csv.DictReader(f)
            if r["deal_stage"] == "Won" and r["product"] != "GTXPro"
        ]
    with get_engine(store_url).connect() as conn:
        stored = conn.execute(sa.text("SELECT amount FROM deals WHERE stage = 'Won'")).scalars()
        assert sum(Decimal(str(a)) for a in stored) == sum(won) == Decimal("6494956")

    with pytest.raises(InvalidRows) as caught:
        _import(store_url, "deals", crm / "sales_pipeline_us_dates.csv", *PIPELINE)
    assert caught.value.lines()[0] == (
        "sales_pipeline_us_dates.csv:2:engage_date: '10/20/2016' is not a date written "
        "YYYY-MM-DD (for other layouts use --date-format, e.g. %m/%d/%Y)"
    )
    us = _import(
        store_url,
        "deals",
        crm / "sales_pipeline_us_dates.csv",
        *PIPELINE,
        formats=Formats(date="%m/%d/%Y"),
        skip_invalid=True,
        rejects=tmp_path / "us.rejects.csv",
    )
    assert (us.inserted, us.updated, us.unchanged, us.rejected) == (0, 0, 7320, 1480)


CRM_MAPPINGS = fixture(".") / "crm"
CRM_FILES = (
    ("crm-managers", "people", "managers.yaml", "sales_teams.csv"),
    ("crm-agents", "people", "agents.yaml", "sales_teams.csv"),
    ("crm-products", "products", "products.yaml", "products.csv"),
    ("crm-accounts", "accounts", "accounts.yaml", "accounts.csv"),
    ("crm-deals", "deals", "deals.yaml", "sales_pipeline.csv"),
    ("crm-deals-us", "deals", "deals_us_dates.yaml", "sales_pipeline_us_dates.csv"),
)


def test_crm_export_imports_whole_with_saved_mappings(crm: Path, store_url: str) -> None:
    """Saved mappings fix GTXPro -> GTX Pro (and the US dates) without editing the files; every
    row of every file is imported or, for the managers' repeats, rejected as a duplicate."""
    admin = Actor("Ada Admin", "admin")
    for name, table, spec, _ in CRM_FILES:
        text = (CRM_MAPPINGS / spec).read_text(encoding="utf-8")
        save_mapping(store_url, admin, name, table, text)
    reports = {}
    for name, table, _, file in CRM_FILES:
        saved = load_mapping(store_url, name)
        reports[name] = import_file(
            table,
            crm / file,
            db=store_url,
            options=ImportOptions(spec=saved.spec(), spec_label=saved.label, skip_invalid=True),
            label=file,
        )
    counts = {
        n: (r.rows, r.inserted, r.updated, r.unchanged, r.rejected) for n, r in reports.items()
    }
    assert counts == {
        "crm-managers": (35, 6, 0, 0, 29),
        "crm-agents": (35, 35, 0, 0, 0),
        "crm-products": (7, 7, 0, 0, 0),
        "crm-accounts": (85, 85, 0, 0, 0),
        "crm-deals": (8800, 8800, 0, 0, 0),
        "crm-deals-us": (8800, 0, 0, 8800, 0),
    }
    repeats = reports["crm-managers"].problems
    assert repeats and all(p.reason.startswith("duplicate key") for p in repeats)
    with (crm / "sales_pipeline.csv").open(newline="", encoding="utf-8") as f:
        pipeline = list(csv.DictReader(f))
    gtx_pro = sum(1 for r in pipeline if r["product"] == "GTXPro")
    assert gtx_pro == 1480
    assert _scalar(store_url, "SELECT count(*) FROM deals WHERE product = 'GTXPro'") == 0
    assert _scalar(store_url, "SELECT count(*) FROM deals WHERE product = 'GTX Pro'") == gtx_pro
    assert _scalar(store_url, "SELECT count(*) FROM deals WHERE account IS NULL") == 1425
    assert _scalar(store_url, "SELECT count(*) FROM deals WHERE currency = 'USD'") == 8800
    assert _scalar(store_url, "SELECT count(*) FROM accounts WHERE industry = 'technolgy'") == 0
    assert _scalar(store_url, "SELECT count(*) FROM people WHERE manager IS NOT NULL") == 35
    won = sum(Decimal(r["close_value"]) for r in pipeline if r["deal_stage"] == "Won")
    with get_engine(store_url).connect() as conn:
        stored = conn.execute(sa.text("SELECT amount FROM deals WHERE stage = 'Won'")).scalars()
        assert sum(Decimal(str(a)) for a in stored) == won
        us = conn.execute(sa.text("SELECT created, close_date FROM deals WHERE id = '1C1I7A6R'"))
        assert [str(v) for v in us.one()] == ["2016-10-20", "2017-03-01"]
