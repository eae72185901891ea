"""The real CRM export (../shared/data/crm-maven), stages spelled "Prospecting", "Engaging", "Won",
"Lost": imported with saved mappings (which fix `GTXPro` to the product list's `GTX Pro` without
editing the file), paid by a plan on `stage == "Won"`, found by the quota history and backtest,
and no won or lost deal among the what-if's open deals.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from attain.actions.mappings import save_mapping
from attain.audit.actor import Actor
from attain.comp.runs import calculate_run
from attain.comp.whatif import open_deals
from attain.data.ingest import ImportOptions, import_file, load_mapping
from attain.data.schema import PlanAssignment
from attain.data.stages import stage_catalog
from attain.data.store import get_engine, session
from attain.quota.backtest import backtest
from attain.quota.errors import QuotaError
from attain.quota.history import load_history, open_store

pytestmark = pytest.mark.shared

MAPPINGS = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "crm"
SAVED = (  # name, table, mapping file, export file: in the order rows reference each other
    ("crm-managers", "people", "managers.yaml", "sales_teams.csv"),
    ("crm-agents", "people", "agents.yaml", "sales_teams.csv"),
    ("crm-products", "products", "products.yaml", "products.csv"),
    ("crm-accounts", "accounts", "accounts.yaml", "accounts.csv"),
    ("crm-deals", "deals", "deals.yaml", "sales_pipeline.csv"),
)
PLAN = """
id: crm_ae
currency: USD
period: month
credits:
  - {id: owner, from: deals, where: 'stage == "Won"', to: owner, value: amount, date: close_date}
measures:
  bookings: {sum: value}
components:
  - {id: commission, measure: bookings, rate: 0.05}
"""


@pytest.fixture
def crm_store(shared_dir: Path, store_url: str) -> str:
    """The export imported as it is, through mappings saved in the store (as the web page or
    `attain mappings save` keeps them); the managers' repeated rows are rejected as duplicates."""
    crm = shared_dir / "data" / "crm-maven"
    admin = Actor("Ada Admin", "admin")
    for name, table, spec, _ in SAVED:
        save_mapping(store_url, admin, name, table, (MAPPINGS / spec).read_text(encoding="utf-8"))
    for name, table, _, file in SAVED:
        saved = load_mapping(store_url, name)
        options = ImportOptions(spec=saved.spec(), spec_label=saved.label, skip_invalid=True)
        import_file(table, crm / file, db=store_url, options=options, label=file)
    with get_engine(store_url).connect() as conn:
        products = conn.execute(text("SELECT product, count(*) FROM deals GROUP BY product"))
        per_product = dict(products.all())
        assert "GTXPro" not in per_product and per_product["GTX Pro"] == 1480  # the value fix
    return store_url


def _won_by_agent(shared_dir: Path) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    with (shared_dir / "data" / "crm-maven" / "sales_pipeline.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["deal_stage"] == "Won":
                out[r["sales_agent"]] = out.get(r["sales_agent"], Decimal(0)) + Decimal(
                    r["close_value"]
                )
    return out


def test_crm_export_is_paid_backtested_and_its_open_deals_are_open(
    crm_store: str, shared_dir: Path, tmp_path: Path
) -> None:
    engine = get_engine(crm_store)
    won = _won_by_agent(shared_dir)
    assert sum(won.values()) == Decimal("10005534")

    # An empty catalog reads the export's own spellings.
    catalog = stage_catalog(engine)
    assert (catalog.won, catalog.lost) == (("Won",), ("Lost",))
    assert set(catalog.names("open")) == {"Engaging", "Prospecting"}

    # Paid by a plan on stage == "Won": 5% of every won deal, per agent.
    with session(crm_store) as s:
        s.add_all(
            PlanAssignment(payee=a, plan="crm_ae", valid_from=dt.date(2016, 1, 1)) for a in won
        )
    plans = tmp_path / "crm_ae.yaml"
    plans.write_text(PLAN)
    run = calculate_run(plans, dt.date(2017, 1, 1), dt.date(2017, 12, 31), url=crm_store)
    assert run.result is not None
    paid: dict[str, Decimal] = {}
    for ln in run.result.lines:
        paid[ln.payee] = paid.get(ln.payee, Decimal(0)) + ln.amount
    assert run.total == Decimal("500276.70")
    assert set(paid) == set(won)

    # The quota history finds every won deal (no fx: the export is in the planning currency) ...
    history = load_history(open_store(engine), 2018)
    booked = history.payee_months.groupby("payee")["bookings"].sum()
    assert {p: round(v) for p, v in booked.items()} == {p: int(v) for p, v in won.items()}
    assert (history.first_month, history.last_month) == (dt.date(2017, 3, 1), dt.date(2017, 12, 1))
    # ... so the backtest refuses for the honest reason: one partial year, not "no bookings".
    with pytest.raises(QuotaError, match="has none; bookings start 2017-03"):
        backtest(engine, 2018)

    # The what-if offers only open deals.
    offered = [d for agent in won for d in open_deals(engine, agent, limit=10_000)]
    assert len(offered) == 1589 + 500
    assert {d.stage for d in offered} == {"Engaging", "Prospecting"}
