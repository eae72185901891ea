"""The B2B sales organisation: regional teams of account executives, and support.

Some reps move to another team mid-history, and one sales manager leaves so that a whole team
gets a new manager: the hierarchy changes that crediting must follow by date.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from attain.data.synth.names import person_names
from attain.data.synth.org import (
    REGION_CURRENCY,
    REGION_WEIGHT,
    REGIONS,
    Org,
    hire_days,
    skills,
    split_by_weight,
)
from attain.data.synth.spec import EPOCH, SynthSpec, day_number


def build_sales(org: Org, spec: SynthSpec, rng: np.random.Generator, cro: int) -> None:
    n = spec.b2b_reps
    sales = org.add_team("sales", "Sales", -1, "b2b")
    long_ago = day_number(spec.start) - 3000
    vp = org.add_person(person_names(rng, 1)[0], "vp_sales", sales, cro, "USD", long_ago)
    n_teams = max(1, round(n / 8))
    teams_by_region: dict[str, list[tuple[int, int]]] = {}
    for region, k_teams in zip(REGIONS, split_by_weight(n_teams, REGION_WEIGHT), strict=True):
        for k in range(k_teams):
            team = org.add_team(
                f"sales-{region.lower()}-{k + 1}", f"{region} Sales {k + 1}", sales, "b2b"
            )
            boss = org.add_person(
                person_names(rng, 1)[0],
                "sales_manager",
                team,
                vp,
                REGION_CURRENCY[region],
                long_ago + int(rng.integers(0, 1500)),
            )
            teams_by_region.setdefault(region, []).append((team, boss))
    slots = [(r, t) for r in REGIONS for t in teams_by_region.get(r, [])]
    hired = hire_days(rng, n, spec, new_share=0.22)
    skill = skills(rng, n, 0.35)
    names = person_names(rng, n)
    # Markets differ: a territory's potential is set later from its accounts (see accounts.py).
    for j in range(n):
        region, (team, boss) = slots[j % len(slots)]
        territory = org.add_territory(
            f"T-{region}-{j + 1:03d}", f"{region} territory {j + 1}", region, 0.0
        )
        who = org.add_person(
            names[j],
            "account_executive",
            team,
            boss,
            REGION_CURRENCY[region],
            int(hired[j]),
            territory,
            float(skill[j]),
        )
        org.reps.append(who)
    _reorganise(org, spec, rng, org.reps, teams_by_region, share=0.12)
    _replace_a_manager(org, spec, rng, [t for ts in teams_by_region.values() for t in ts])
    support = org.add_team("support", "Customer Support", sales, "b2b")
    head = org.add_person(person_names(rng, 1)[0], "support_manager", support, cro, "USD", long_ago)
    n_agents = max(2, n // 5)
    for name, day in zip(
        person_names(rng, n_agents), hire_days(rng, n_agents, spec, 0.15), strict=True
    ):
        org.support_agents.append(
            org.add_person(name, "support_agent", support, head, "USD", int(day))
        )


def _reorganise(
    org: Org,
    spec: SynthSpec,
    rng: np.random.Generator,
    people: list[int],
    teams_by_region: dict[str, list[tuple[int, int]]],
    share: float,
) -> None:
    """Some sellers move to another team (and manager) in their region mid-history."""
    start, end = day_number(spec.start), day_number(spec.end)
    for who in people:
        region = org.territory_region[org.territory[who]]
        options = [t for t in teams_by_region[region] if t[0] != org.team[who]]
        earliest = max(start, org.hired[who]) + 60
        if not options or earliest >= end - 60 or rng.random() >= share:
            continue
        team, boss = options[int(rng.integers(0, len(options)))]
        org.move(who, int(rng.integers(earliest, end - 60)), team, boss)


def _replace_a_manager(
    org: Org, spec: SynthSpec, rng: np.random.Generator, teams: list[tuple[int, int]]
) -> None:
    """Mid-history one sales manager leaves and a new one takes the team: everyone in it then
    reports to someone else (a hierarchy change that roll-up credit must follow by date)."""
    start, end = day_number(spec.start), day_number(spec.end)
    if end - start < 240:
        return
    team, old = teams[int(rng.integers(0, len(teams)))]
    day = int(rng.integers(start + 120, end - 90))
    new = org.add_person(
        person_names(rng, 1)[0], "sales_manager", team, org.manager[old], org.currency[old], day
    )
    org.left[old] = day - 1
    for who in org.reps:
        org.changes[who] = [
            (d, t, new if (t == team and m == old and d >= day) else m)
            for d, t, m in org.changes[who]
        ]
        if org.hired[who] < day and org.version_on(who, day)[0] == team:
            org.move(who, day, team, new)
        elif org.hired[who] >= day and org.team[who] == team:
            org.manager[who] = new
    org.manager_changes.append(
        {
            "team": org.team_id[team],
            "day": str(EPOCH + dt.timedelta(days=day)),
            "leaves": org.person[old],
            "takes_over": org.person[new],
        }
    )
