"""Generate a whole company: the parts in dependency order, plus the truths they used."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from attain.data.synth import calendar, catalog, org_tables
from attain.data.synth import org as org_mod
from attain.data.synth.accounts import accounts_table, build_accounts
from attain.data.synth.deal_history import build_deal_history
from attain.data.synth.deal_history import model_truth as history_truth
from attain.data.synth.deals import (
    BASE_WIN_RATE,
    SKILL_ON_WIN,
    DealBook,
    build_deals,
    stage_catalog_table,
    win_probability,
)
from attain.data.synth.forecast_calls import build_forecast_calls, habit_truth
from attain.data.synth.leads import build_leads, model_truth
from attain.data.synth.names import person_names
from attain.data.synth.orders import STANDARD_STAFF, OrderBook, build_orders
from attain.data.synth.quotas import build_quotas
from attain.data.synth.retail_org import build_retail
from attain.data.synth.sales_org import build_sales
from attain.data.synth.spec import SynthSpec, day_number, rng_for
from attain.data.synth.tickets import build_tickets
from attain.data.synth.work_calendars import build_work_calendars

Progress = Callable[[str], None]


@dataclass
class Company:
    """Generated rows per table (Arrow) and the hidden truths behind them."""

    spec: SynthSpec
    tables: dict[str, pa.Table]
    truths: dict[str, Any]

    def row_counts(self) -> dict[str, int]:
        return {name: t.num_rows for name, t in self.tables.items()}


def generate(spec: SynthSpec, progress: Progress | None = None) -> Company:
    """The company `spec` describes; the same spec always gives the same rows.

    >>> generate(SynthSpec(seed=1, b2b_reps=8)).tables["deals"].num_rows > 0
    True
    """
    say = progress or (lambda _: None)
    say("organisation")
    org = build_org(spec)
    rates = catalog.fx_rates(spec)
    tables: dict[str, pa.Table] = {
        "fx_rates": catalog.fx_table(spec, rates),
        "products": catalog.products_table(spec),
    }
    truths: dict[str, Any] = {
        "spec": _spec_truth(spec),
        "seasonality": calendar.profile_truth(),
        "ramp": {
            "form": "productivity = min(1, (months since hire + 1) / (ramp_months + 1))",
            "b2b_ramp_months": org_mod.B2B_RAMP_MONTHS,
            "b2c_ramp_months": org_mod.B2C_RAMP_MONTHS,
        },
    }
    deals: DealBook | None = None
    orders: OrderBook | None = None
    if spec.b2b_reps:
        say("accounts")
        accounts = build_accounts(spec, org)
        tables["accounts"] = accounts_table(org, accounts)
        say("deals")
        deals = build_deals(spec, org, accounts, rates)
        tables["deal_stages"] = stage_catalog_table()
        tables["deals"], tables["deal_stage_events"], tables["deal_splits"] = (
            deals.table,
            deals.events,
            deals.splits,
        )
        say("deal history")
        history = build_deal_history(spec, org, deals)
        tables["deal_history"] = history.table
        truths["deal_history_model"] = {**history_truth(), "rep_category_habit": history.habit}
        tables["forecast_calls"], habits = build_forecast_calls(spec, org, deals, history, rates)
        truths["forecast_call_habits"] = habit_truth(habits)
        say("leads")
        tables["leads"], tables["lead_events"] = build_leads(spec, org, deals)
        truths["lead_conversion_model"] = model_truth()
        say("tickets")
        tables["tickets"], tables["ticket_events"], truths["ticket_bottleneck"] = build_tickets(
            spec, org, accounts
        )
    if spec.b2c_associates:
        say("orders")
        orders = build_orders(spec, org)
        tables["stores"] = org_tables.stores_table(org)
        tables["orders"] = orders.table
        for s, t in enumerate(org.store_territory):
            org.territory_potential[t] = float(orders.store_potential_usd[s])
    say("quotas")
    tables["quotas"] = build_quotas(spec, org, deals, orders)
    tables["teams"] = org_tables.teams_table(org)
    tables["territories"] = org_tables.territories_table(org)
    tables["work_calendars"], tables["work_calendar_holidays"] = build_work_calendars(spec)
    tables["people"] = org_tables.people_table(org)
    truths["territory_potential"] = {
        "unit": "USD per year",
        "note": (
            "B2B: won bookings an average, fully ramped rep would book there in the first year "
            f"of history; B2C: revenue a standard-staffed ({STANDARD_STAFF} associates), average "
            "store team would take there in the first year. Both grow with the company."
        ),
        "values": {
            t: round(p, 2) for t, p in zip(org.territory_id, org.territory_potential, strict=True)
        },
    }
    truths["rep_skill"] = _skill_truth(org)
    truths["hierarchy_changes"] = _hierarchy_truth(org)
    return Company(spec, tables, truths)


def quota_step(spec: SynthSpec) -> tuple[pa.Table, pa.Table]:
    """People and quotas alone (with only what quotas are set from: deals and orders), so a
    test can check the quotas over many seeds and days without generating whole companies."""
    org = build_org(spec)
    deals = orders = None
    if spec.b2b_reps:
        deals = build_deals(spec, org, build_accounts(spec, org), catalog.fx_rates(spec))
    if spec.b2c_associates:
        orders = build_orders(spec, org)
    return org_tables.people_table(org), build_quotas(spec, org, deals, orders)


def build_org(spec: SynthSpec) -> org_mod.Org:
    """A CRO over the business lines asked for, each built from its own random stream."""
    rng = rng_for(spec.seed, "org")
    org = org_mod.Org()
    leaders = org.add_team("leadership", "Leadership", -1, None)
    long_ago = day_number(spec.start) - 3650
    cro = org.add_person(person_names(rng, 1)[0], "cro", leaders, -1, "USD", long_ago)
    # One stream per business line: adding to one never reshuffles the other.
    if spec.b2b_reps:
        build_sales(org, spec, rng_for(spec.seed, "org-b2b"), cro)
    if spec.b2c_associates:
        build_retail(org, spec, rng_for(spec.seed, "org-b2c"), cro)
    return org


def _spec_truth(spec: SynthSpec) -> dict[str, Any]:
    return {
        "seed": spec.seed,
        "b2b_reps": spec.b2b_reps,
        "b2c_associates": spec.b2c_associates,
        "years": spec.years,
        "start": spec.start.isoformat(),
        "end": spec.end.isoformat(),
        "orders": spec.order_target if spec.b2c_associates else 0,
    }


def _hierarchy_truth(org: org_mod.Org) -> dict[str, Any]:
    epoch = dt.date(1970, 1, 1)
    moves = [
        {
            "person": org.person[p],
            "day": str(epoch + dt.timedelta(days=d)),
            "team": org.team_id[t],
            "manager": org.person[m],
        }
        for p in range(len(org.person))
        for d, t, m in org.changes[p]
    ]
    return {
        "note": "who changed team or manager when; people rows carry the same as effective dates",
        "manager_replacements": org.manager_changes,
        "moves": moves,
    }


def _skill_truth(org: org_mod.Org) -> dict[str, Any]:
    reps = np.array(org.reps, dtype=np.int64)
    win = win_probability(np.array(org.skill)[reps]) if len(reps) else np.zeros(0)
    values: dict[str, dict[str, float]] = {}
    for k, r in enumerate(reps):
        values[org.person[r]] = {
            "skill": round(org.skill[r], 4),
            "win_probability": round(float(win[k]), 4),
        }
    for a in org.associates:
        values[org.person[a]] = {"skill": round(org.skill[a], 4)}
    return {
        "note": (
            "skill multiplies a seller's productivity (geometric mean 1). B2B: it sets the win "
            f"probability, logit(p) = logit({BASE_WIN_RATE}) + {SKILL_ON_WIN} * ln(skill); "
            "B2C: it multiplies the associate's order rate."
        ),
        "values": values,
    }
