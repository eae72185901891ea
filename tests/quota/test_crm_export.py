"""The real CRM export (../shared/data/crm-maven), stages spelled "Prospecting", "Engaging", "Won",
"Lost": imported as it is, paid by a plan on `stage == "Won"`, found by the quota history and
backtest, and no won or lost deal among the what-if's open deals.

Its product column is left out (the export spells `GTXPro` where the product list has `GTX Pro`).
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from attain.comp.runs import calculate_run
from attain.comp.whatif import open_deals
from attain.data.ingest import ImportOptions, import_file
from attain.data.schema import PlanAssignment
from attain.data.stages import stage_catalog
from attain.data.store import get_engine, session
from attain.quota.backtest import backtest
from attain.quota.errors import QuotaError
from attain.quota.history import load_history, open_store

pytestmark = pytest.mark.shared

PIPELINE = (
    ("opportunity_id", "id"),
    ("sales_agent", "owner"),
    ("deal_stage", "stage"),
    ("engage_date", "created"),
    ("close_value", "amount"),
    ("product", None),
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


def _import(url: str, table: str, path: Path, *pairs: tuple[str, str | None]) -> None:
    options = ImportOptions(mapping=pairs, skip_invalid=True, rejects=path.parent / "x.csv")
    import_file(table, path, db=url, options=options, label=path.name)


@pytest.fixture
def crm_store(shared_dir: Path, store_url: str, tmp_path: Path) -> str:
    crm = tmp_path / "crm"
    crm.mkdir()
    for name in ("sales_teams.csv", "accounts.csv", "sales_pipeline.csv"):
        (crm / name).write_bytes((shared_dir / "data" / "crm-maven" / name).read_bytes())
    teams = crm / "sales_teams.csv"
    office = ("regional_office", None)
    _import(store_url, "people", teams, ("manager", "id"), ("sales_agent", None), office)
    _import(store_url, "people", teams, ("sales_agent", "id"), ("manager", "manager"), office)
    _import(
        store_url,
        "accounts",
        crm / "accounts.csv",
        ("account", "id"),
        ("sector", "industry"),
        ("employees", "size"),
        ("office_location", "region"),
        ("year_established", None),
        ("subsidiary_of", None),
    )
    _import(store_url, "deals", crm / "sales_pipeline.csv", *PIPELINE)
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
