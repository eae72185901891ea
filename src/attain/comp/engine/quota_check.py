"""A missing or zero quota where attainment is needed is an error, never a silent zero.

Each component's rows carry the quotas its attainments divide by (`_quota:<measure>`), so the
check reads what the calculation fetched anyway instead of asking the backend a second time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyarrow as pa
import pyarrow.compute as pc

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
