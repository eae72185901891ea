"""A missing or zero quota where attainment is needed is an error, never a silent zero.

Each component's rows carry the quotas its attainments divide by (`_quota:<measure>`), so the
check reads what the calculation fetched anyway instead of asking the backend a second time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from attain.comp.engine.measure import in_money
from attain.comp.errors import PlanError
from attain.comp.language.compile import CompiledPlan

QUOTA_CHECK = "_quota:"
"""Prefix of the quota columns a component's rows carry for this check."""


def check_quotas(
    cp: CompiledPlan,
    needs: Mapping[str, Mapping[str, Sequence[str]]],
    fetched: Sequence[pa.Table],
) -> None:
    """Raise for the first (window, measure) whose quota is missing or zero on some payee-period.

    `needs` is window -> measure -> ids of the components that need its attainment; `fetched`
    holds each component's rows, in the plan's component order. Up to five payee-periods are
    named, earliest first.
    """
    rows_of = {cc.component.id: rows for cc, rows in zip(cp.components, fetched, strict=True)}
    for w in ("period", "year"):
        for m, components in sorted(needs.get(w, {}).items()):
            rows = rows_of[components[0]]
            if f"{QUOTA_CHECK}{m}:currency" in rows.column_names:
                _check_currency(cp, m, w, components, rows)
            quota = rows.column(f"{QUOTA_CHECK}{m}")
            bad = rows.filter(pc.or_kleene(pc.is_null(quota), pc.equal(quota, 0)))
            if not bad.num_rows:
                continue
            key = "period" if w == "period" else "year"
            found = (
                pa.table(
                    {
                        "payee": bad.column("payee"),
                        "key": bad.column(key),
                        "quota": bad.column(f"{QUOTA_CHECK}{m}"),
                        "seq": bad.column("seq"),
                    }
                )
                .group_by(["payee", "key", "quota", "seq"], use_threads=False)
                .aggregate([])
                .sort_by([("seq", "ascending"), ("payee", "ascending")])
                .slice(0, 5)
                .to_pylist()
            )
            first = found[0]
            problem = "no quota" if first["quota"] is None else "a quota of zero"
            others = "".join(f"; payee {b['payee']}, period {b['key']}" for b in found[1:])
            raise PlanError(
                f"plan {cp.plan.id}, component {', '.join(components)}: {problem} for payee "
                f"{first['payee']}, measure {m}, period {first['key']} (table quotas; "
                f"attainment({m}) needs it){others}"
            )


def _check_currency(
    cp: CompiledPlan, m: str, w: str, components: Sequence[str], rows: pa.Table
) -> None:
    """A quota in another currency needs a rate for its month; a count or unit quota has none."""
    currency = rows.column(f"{QUOTA_CHECK}{m}:currency")
    money = in_money(cp.measures[m])
    if money:
        foreign = pc.and_(pc.is_valid(currency), pc.not_equal(currency, cp.plan.currency))
        bad = rows.filter(pc.and_(foreign, pc.is_null(rows.column(f"{QUOTA_CHECK}{m}:rate"))))
    else:
        bad = rows.filter(pc.is_valid(currency))
    if not bad.num_rows:
        return
    first = bad.sort_by([("seq", "ascending"), ("payee", "ascending")]).slice(0, 1).to_pylist()[0]
    key = first["period"] if w == "period" else first["year"]
    code = first[f"{QUOTA_CHECK}{m}:currency"]
    place = f"plan {cp.plan.id}, component {', '.join(components)}"
    whose = f"payee {first['payee']}, measure {m}, period {key}"
    if money:
        raise PlanError(
            f"{place}: no FX rate for {code} into {cp.plan.currency} in month "
            f"{first[f'{QUOTA_CHECK}{m}:month']} (table fx_rates), needed by the quota of {whose}"
        )
    raise PlanError(
        f"{place}: the quota of {whose} is in {code}, but measure {m} is a count or a sum of "
        f"units (it does not sum `value`): a count or unit quota has no currency (table quotas)"
    )
