"""Scenarios for the actions of `attain.actions`: plans, deals, imports, mappings, runs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from actions_world import ADMIN, PLAN, Scenario, World

from attain.actions import deals, imports, mappings, plans, runs
from attain.comp.plan_versions import ensure_seeded


def plan_draft(w: World) -> None:
    ensure_seeded(w.engine)
    with w.expect(ADMIN, "plan.draft"):
        plans.save_draft(w.engine, ADMIN, "ae", PLAN.replace("0.10", "0.12"), "a richer rate")


def plan_publish(w: World) -> None:
    ensure_seeded(w.engine)
    draft = plans.save_draft(w.engine, ADMIN, "ae", PLAN.replace("0.10", "0.12"))
    with w.expect(ADMIN, "plan.publish"):
        plans.publish(w.engine, ADMIN, "ae", draft.version)


def deal_upsert(w: World) -> None:
    values = {
        "id": "d9",
        "owner": "ben",
        "stage": "closed_won",
        "amount": Decimal("4000"),
        "currency": "USD",
        "close_date": dt.date(2027, 2, 10),
    }
    with w.expect(ADMIN, "deal.upsert"):
        deals.upsert_deal(w.engine, ADMIN, values)


def import_rows(w: World) -> None:
    path = w.files / "deals.csv"
    path.write_text(
        "id,owner,stage,amount,currency,close_date\n"
        "d7,ana,closed_won,3000,USD,2027-02-11\n"
        "d8,ben,closed_won,1000,USD,2027-02-12\n",
        encoding="utf-8",
    )
    with w.expect(ADMIN, "import.deals"):
        imports.import_rows(w.url, ADMIN, "deals", path)


def mapping_save(w: World) -> None:
    with w.expect(ADMIN, "mapping.save"):
        mappings.save_mapping(w.url, ADMIN, "crm", "deals", "columns: {Opportunity ID: id}\n")


def run_start(w: World) -> None:
    with w.expect(ADMIN, "run.start", "run.complete"):
        runs.run(w.url, ADMIN, w.plans, dt.date(2027, 1, 1), dt.date(2027, 2, 28))


SCENARIOS: dict[str, Scenario] = {
    "plan.draft": plan_draft,
    "plan.publish": plan_publish,
    "deal.upsert": deal_upsert,
    "import.*": import_rows,
    "mapping.save": mapping_save,
    "run.start": run_start,
}
