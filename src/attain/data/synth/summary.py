"""What a store holds, in a few numbers and one line per hidden truth (for `attain demo`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, text

from attain.data.schema import DATA_TABLES
from attain.data.stages import sql_names, stage_catalog
from attain.data.synth.truths import truths

SELLER_ROLES = ("account_executive", "store_associate")


@dataclass
class StoreSummary:
    rows: dict[str, int]
    first_day: dt.date | None
    last_day: dt.date | None
    sellers: int
    managers: int
    people: int
    currencies: list[str]
    truth_lines: dict[str, str] = field(default_factory=dict)


def summarise(engine: Engine) -> StoreSummary:
    with engine.connect() as conn:
        rows = {
            t: int(conn.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar_one())
            for t in DATA_TABLES
        }
        closed = sql_names(stage_catalog(conn).closed)
        first, last = conn.execute(
            text(
                "SELECT MIN(d), MAX(d) FROM ("
                " SELECT MIN(date) AS d FROM orders UNION ALL SELECT MAX(date) FROM orders"
                " UNION ALL SELECT MIN(created) FROM leads UNION ALL SELECT MAX(created) FROM leads"
                f" UNION ALL SELECT MIN(close_date) FROM deals WHERE stage IN {closed}"
                f" UNION ALL SELECT MAX(close_date) FROM deals WHERE stage IN {closed}) AS spans"
            )
        ).one()
        roles = ", ".join(f"'{r}'" for r in SELLER_ROLES)
        sellers = conn.execute(
            text(f"SELECT COUNT(DISTINCT id) FROM people WHERE role IN ({roles})")
        ).scalar_one()
        managers = conn.execute(
            text("SELECT COUNT(DISTINCT manager) FROM people WHERE manager IS NOT NULL")
        ).scalar_one()
        people = conn.execute(text("SELECT COUNT(DISTINCT id) FROM people")).scalar_one()
        currencies = sorted(
            c
            for (c,) in conn.execute(
                text(
                    "SELECT currency FROM deals UNION SELECT currency FROM orders"
                    " UNION SELECT currency FROM fx_rates"
                )
            )
            if c
        )
    return StoreSummary(
        rows=rows,
        first_day=_day(first),
        last_day=_day(last),
        sellers=int(sellers),
        managers=int(managers),
        people=int(people),
        currencies=currencies,
        truth_lines=truth_lines(truths(engine)),
    )


def _day(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def truth_lines(found: dict[str, Any]) -> dict[str, str]:
    """One readable line per hidden truth."""
    lines: dict[str, str] = {}
    if "spec" in found:
        s = found["spec"]
        lines["spec"] = (
            f"seed {s['seed']}: {s['b2b_reps']} B2B reps, {s['b2c_associates']} store associates, "
            f"{s['start']} to {s['end']}"
        )
    if "territory_potential" in found:
        values = found["territory_potential"]["values"]
        if values:
            best = max(values, key=values.get)
            low, high = min(values.values()), max(values.values())
            lines["territory_potential"] = (
                f"{len(values)} territories, potential {low:,.0f} to {high:,.0f} USD a year "
                f"(richest: {best}); bookings should rank territories the same way"
            )
    if "rep_skill" in found:
        skills = [v["skill"] for v in found["rep_skill"]["values"].values()]
        if skills:
            lines["rep_skill"] = (
                f"{len(skills)} sellers, skill {min(skills):.2f} to {max(skills):.2f} "
                "(geometric mean 1): the best sell several times the weakest"
            )
    if "hierarchy_changes" in found:
        h = found["hierarchy_changes"]
        replaced = "; ".join(
            f"{r['takes_over']} takes over {r['team']} from {r['leaves']} on {r['day']}"
            for r in h["manager_replacements"]
        )
        lines["hierarchy_changes"] = f"{len(h['moves'])} changes of team or manager" + (
            f" ({replaced})" if replaced else ""
        )
    if "ramp" in found:
        r = found["ramp"]
        lines["ramp"] = (
            f"new hires ramp to full productivity over {r['b2b_ramp_months']} months (B2B) "
            f"and {r['b2c_ramp_months']} months (stores)"
        )
    if "seasonality" in found:
        month = found["seasonality"]["b2b_month"]
        retail = found["seasonality"]["retail_month"]
        lines["seasonality"] = (
            f"B2B closes peak at quarter end and in Q4 (Dec x{month['Dec']:.2f}, Jan x{month['Jan']:.2f}); "
            f"stores peak in December (x{retail['Dec']:.2f}) and on Saturdays"
        )
    if "lead_conversion_model" in found:
        m = found["lead_conversion_model"]
        best = max(m["source"], key=m["source"].get)
        worst = min(m["source"], key=m["source"].get)
        lines["lead_conversion_model"] = (
            f"logistic: {best} leads {m['source'][best]:+.1f}, {worst} {m['source'][worst]:+.1f}, "
            f"{m['size_per_log10']:+.1f} per tenfold company size, industry effects; region none"
        )
    if "deal_history_model" in found:
        slips = found["deal_history_model"]["slips_per_deal"]
        lines["deal_history_model"] = (
            f"expected close dates slip {slips['lost']:.1f} times per lost deal, "
            f"{slips['won']:.1f} per won one; amounts shrink, lost ones more"
        )
    if "forecast_call_habits" in found:
        factors = list(found["forecast_call_habits"]["values"].values())
        if factors:
            low = sum(f < 0.9 for f in factors)
            high = sum(f > 1.1 for f in factors)
            lines["forecast_call_habits"] = (
                f"{len(factors)} payees call each Monday: {low} sandbag (x~0.8), "
                f"{high} over-call (x~1.2)"
            )
    if "ticket_bottleneck" in found:
        b = found["ticket_bottleneck"]
        waits = b["median_wait_hours"]
        others = max(v for k, v in waits.items() if k != b["step"])
        lines["ticket_bottleneck"] = (
            f"tickets wait longest before '{b['step']}' (median {waits[b['step']]:.0f} h; "
            f"no other step over {others:.0f} h)"
        )
    return lines
