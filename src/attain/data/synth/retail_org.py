"""The retail organisation: districts, stores with their managers, and store associates.

Retail turns over: some associates leave, a few move to another store in their district.
"""

from __future__ import annotations

import math

import numpy as np

from attain.data.synth.names import CITIES, person_names
from attain.data.synth.org import (
    REGION_CURRENCY,
    REGION_WEIGHT,
    REGIONS,
    Org,
    hire_days,
    skills,
    split_by_weight,
)
from attain.data.synth.spec import SynthSpec, day_number


def build_retail(org: Org, spec: SynthSpec, rng: np.random.Generator, cro: int) -> None:
    n = spec.b2c_associates
    retail = org.add_team("retail", "Retail", -1, "b2c")
    long_ago = day_number(spec.start) - 3000
    vp = org.add_person(person_names(rng, 1)[0], "vp_retail", retail, cro, "USD", long_ago)
    n_stores = max(1, math.ceil(n / 12))
    n_districts = max(1, math.ceil(n_stores / 8))
    store_regions = np.repeat(REGIONS, split_by_weight(n_stores, REGION_WEIGHT))
    districts: dict[str, list[tuple[int, int]]] = {}
    for region, k_d in zip(REGIONS, split_by_weight(n_districts, REGION_WEIGHT), strict=True):
        if not (store_regions == region).any():
            continue
        for k in range(max(1, k_d)):
            team = org.add_team(
                f"retail-{region.lower()}-{k + 1}", f"{region} District {k + 1}", retail, "b2c"
            )
            boss = org.add_person(
                person_names(rng, 1)[0],
                "district_manager",
                team,
                vp,
                REGION_CURRENCY[region],
                long_ago + int(rng.integers(0, 1500)),
            )
            districts.setdefault(region, []).append((team, boss))
    traffic = rng.lognormal(0.0, 0.45, n_stores)
    for s in range(n_stores):
        region = str(store_regions[s])
        d_team, d_boss = districts[region][s % len(districts[region])]
        city = CITIES[int(rng.integers(0, len(CITIES)))]
        sid = f"S{s + 1:04d}"
        territory = org.add_territory(
            f"ST-{region}-{s + 1:04d}", f"{city} catchment {s + 1}", region, float(traffic[s])
        )
        team = org.add_team(f"store-{s + 1:04d}", f"{city} store {s + 1}", d_team, "b2c")
        boss = org.add_person(
            person_names(rng, 1)[0],
            "store_manager",
            team,
            d_boss,
            REGION_CURRENCY[region],
            long_ago + int(rng.integers(0, 2500)),
            territory,
        )
        org.store_id.append(sid)
        org.store_name.append(f"{city} store {s + 1}")
        org.store_territory.append(territory)
        org.store_manager.append(boss)
        org.store_team.append(team)
    hired = hire_days(rng, n, spec, new_share=0.3)
    skill = skills(rng, n, 0.3)
    names = person_names(rng, n)
    start, end = day_number(spec.start), day_number(spec.end)
    for j in range(n):
        s = j % n_stores
        who = org.add_person(
            names[j],
            "store_associate",
            org.store_team[s],
            org.store_manager[s],
            org.currency[org.store_manager[s]],
            int(hired[j]),
            org.store_territory[s],
            float(skill[j]),
        )
        org.associates.append(who)
        org.associate_store.append(s)
        org.associate_store_after.append(s)
        # Retail turnover: some leave; a few move to another store in the same district.
        earliest = max(start, org.hired[who]) + 60
        if earliest < end - 60 and rng.random() < 0.1:
            org.left[who] = int(rng.integers(earliest, end - 30))
        elif earliest < end - 60 and rng.random() < 0.06:
            district = org.team_parent[org.store_team[s]]
            mates = [
                t
                for t in range(n_stores)
                if t != s and org.team_parent[org.store_team[t]] == district
            ]
            if mates:
                t = mates[int(rng.integers(0, len(mates)))]
                org.move(
                    who,
                    int(rng.integers(earliest, end - 30)),
                    org.store_team[t],
                    org.store_manager[t],
                )
                org.associate_store_after[-1] = t
