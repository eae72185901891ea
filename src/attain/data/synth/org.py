"""The organisation: teams, territories, people and stores, with effective-dated history.

People are kept per person while generating (skill, hire date, and the changes of team or
manager that happen to them) and become one `people` row per version at the end.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from attain.data.synth import _arrow as arr
from attain.data.synth.names import CITIES, person_names
from attain.data.synth.spec import EPOCH, SynthSpec, day_number, rng_for

REGIONS = ("NA", "EMEA", "UK")
REGION_CURRENCY = {"NA": "USD", "EMEA": "EUR", "UK": "GBP"}
REGION_WEIGHT = np.array([0.5, 0.3, 0.2])
NEVER = 10**6
"""A day number far in the future: no move, never left."""

B2B_RAMP_MONTHS = 6
B2C_RAMP_MONTHS = 3


def ramp(months_since_hire: np.ndarray, ramp_months: int) -> np.ndarray:
    """Productivity of a new hire: a straight climb to full productivity over `ramp_months`."""
    m = np.asarray(months_since_hire, dtype=np.float64)
    return np.clip((m + 1.0) / (ramp_months + 1.0), 0.0, 1.0)


@dataclass
class Org:
    """Everyone and every unit, as parallel lists indexed by person / team / territory / store."""

    person: list[str] = field(default_factory=list)
    name: list[str] = field(default_factory=list)
    role: list[str] = field(default_factory=list)
    team: list[int] = field(default_factory=list)
    manager: list[int] = field(default_factory=list)
    changes: list[list[tuple[int, int, int]]] = field(default_factory=list)
    """Per person, later versions as (from day, team, manager), in date order."""
    territory: list[int] = field(default_factory=list)
    currency: list[str] = field(default_factory=list)
    hired: list[int] = field(default_factory=list)
    left: list[int] = field(default_factory=list)
    skill: list[float] = field(default_factory=list)

    team_id: list[str] = field(default_factory=list)
    team_name: list[str] = field(default_factory=list)
    team_parent: list[int] = field(default_factory=list)
    team_business: list[str | None] = field(default_factory=list)

    territory_id: list[str] = field(default_factory=list)
    territory_name: list[str] = field(default_factory=list)
    territory_region: list[str] = field(default_factory=list)
    territory_potential: list[float] = field(default_factory=list)
    """True annual potential in USD: what an average, fully ramped seller would sell there."""

    store_id: list[str] = field(default_factory=list)
    store_name: list[str] = field(default_factory=list)
    store_territory: list[int] = field(default_factory=list)
    store_manager: list[int] = field(default_factory=list)
    store_team: list[int] = field(default_factory=list)

    manager_changes: list[dict[str, str]] = field(default_factory=list)
    reps: list[int] = field(default_factory=list)
    """B2B account executives (person indexes)."""
    support_agents: list[int] = field(default_factory=list)
    associates: list[int] = field(default_factory=list)
    associate_store: list[int] = field(default_factory=list)
    associate_store_after: list[int] = field(default_factory=list)

    def add_team(self, team_id: str, name: str, parent: int, business: str | None) -> int:
        self.team_id.append(team_id)
        self.team_name.append(name)
        self.team_parent.append(parent)
        self.team_business.append(business)
        return len(self.team_id) - 1

    def add_territory(self, territory_id: str, name: str, region: str, potential: float) -> int:
        self.territory_id.append(territory_id)
        self.territory_name.append(name)
        self.territory_region.append(region)
        self.territory_potential.append(potential)
        return len(self.territory_id) - 1

    def add_person(
        self,
        name: str,
        role: str,
        team: int,
        manager: int,
        currency: str,
        hired: int,
        territory: int = -1,
        skill: float = 1.0,
    ) -> int:
        self.person.append(f"E{len(self.person) + 1:05d}")
        self.name.append(name)
        self.role.append(role)
        self.team.append(team)
        self.manager.append(manager)
        self.changes.append([])
        self.territory.append(territory)
        self.currency.append(currency)
        self.hired.append(hired)
        self.left.append(NEVER)
        self.skill.append(skill)
        return len(self.person) - 1

    def move(self, who: int, day: int, team: int, manager: int) -> None:
        """`who` joins `team` under `manager` from `day`: a second version of their row."""
        self.changes[who] = sorted([*self.changes[who], (day, team, manager)])

    def version_on(self, who: int, day: int) -> tuple[int, int]:
        """(team, manager) of `who` on `day`."""
        team, manager = self.team[who], self.manager[who]
        for start, t, m in self.changes[who]:
            if start <= day:
                team, manager = t, m
        return team, manager

    def first_move(self, who: int) -> int:
        return self.changes[who][0][0] if self.changes[who] else NEVER


def _split(count: int, weights: np.ndarray) -> list[int]:
    """`count` units over regions by weight, at least one each when there are enough."""
    raw = np.floor(weights * count).astype(int)
    if count >= len(weights):
        raw = np.maximum(raw, 1)
    while raw.sum() < count:
        raw[int(np.argmax(weights * count - raw))] += 1
    while raw.sum() > count:
        raw[int(np.argmax(raw))] -= 1
    return [int(x) for x in raw]


def _hire_days(
    rng: np.random.Generator, count: int, spec: SynthSpec, new_share: float
) -> np.ndarray:
    """Most sellers were hired before the history starts; `new_share` join during it."""
    start, end = day_number(spec.start), day_number(spec.end)
    tenured = start - rng.integers(200, 2900, count)
    joining = rng.integers(start + 15, max(start + 16, end - 120), count)
    return np.where(rng.random(count) < new_share, joining, tenured)


def _skills(rng: np.random.Generator, count: int, sigma: float) -> np.ndarray:
    """Unequal skill, geometric mean 1: the best sellers sell several times the weakest."""
    raw = rng.lognormal(0.0, sigma, count)
    return raw / np.exp(np.log(raw).mean()) if count else raw


def build_org(spec: SynthSpec) -> Org:
    rng = rng_for(spec.seed, "org")
    org = Org()
    leaders = org.add_team("leadership", "Leadership", -1, None)
    long_ago = day_number(spec.start) - 3650
    cro = org.add_person(person_names(rng, 1)[0], "cro", leaders, -1, "USD", long_ago)
    # One stream per business line: adding to one never reshuffles the other.
    if spec.b2b_reps:
        _build_sales(org, spec, rng_for(spec.seed, "org-b2b"), cro)
    if spec.b2c_associates:
        _build_retail(org, spec, rng_for(spec.seed, "org-b2c"), cro)
    return org


def _build_sales(org: Org, spec: SynthSpec, rng: np.random.Generator, cro: int) -> None:
    n = spec.b2b_reps
    sales = org.add_team("sales", "Sales", -1, "b2b")
    long_ago = day_number(spec.start) - 3000
    vp = org.add_person(person_names(rng, 1)[0], "vp_sales", sales, cro, "USD", long_ago)
    n_teams = max(1, round(n / 8))
    teams_by_region: dict[str, list[tuple[int, int]]] = {}
    for region, k_teams in zip(REGIONS, _split(n_teams, REGION_WEIGHT), strict=True):
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
    hired = _hire_days(rng, n, spec, new_share=0.22)
    skill = _skills(rng, n, 0.35)
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
        person_names(rng, n_agents), _hire_days(rng, n_agents, spec, 0.15), strict=True
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


def _build_retail(org: Org, spec: SynthSpec, rng: np.random.Generator, cro: int) -> None:
    n = spec.b2c_associates
    retail = org.add_team("retail", "Retail", -1, "b2c")
    long_ago = day_number(spec.start) - 3000
    vp = org.add_person(person_names(rng, 1)[0], "vp_retail", retail, cro, "USD", long_ago)
    n_stores = max(1, math.ceil(n / 12))
    n_districts = max(1, math.ceil(n_stores / 8))
    store_regions = np.repeat(REGIONS, _split(n_stores, REGION_WEIGHT))
    districts: dict[str, list[tuple[int, int]]] = {}
    for region, k_d in zip(REGIONS, _split(n_districts, REGION_WEIGHT), strict=True):
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
    hired = _hire_days(rng, n, spec, new_share=0.3)
    skill = _skills(rng, n, 0.3)
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


def people_table(org: Org) -> pa.Table:
    """One row per version of each person: a move closes one row and opens the next."""
    cols: dict[str, list[object]] = {
        k: []
        for k in (
            "id",
            "valid_from",
            "valid_to",
            "name",
            "email",
            "role",
            "manager",
            "team",
            "territory",
            "currency",
            "hired",
        )
    }
    epoch = dt.date(1970, 1, 1)

    def add(i: int, start: int, stop: int, team: int, manager: int) -> None:
        first, last = org.name[i].lower().split(" ", 1)
        cols["id"].append(org.person[i])
        cols["valid_from"].append(epoch + dt.timedelta(days=start))
        cols["valid_to"].append(None if stop >= NEVER else epoch + dt.timedelta(days=stop))
        cols["name"].append(org.name[i])
        cols["email"].append(f"{first}.{last}.{org.person[i].lower()}@demo.example")
        cols["role"].append(org.role[i])
        cols["manager"].append(org.person[manager] if manager >= 0 else None)
        cols["team"].append(org.team_id[team] if team >= 0 else None)
        cols["territory"].append(
            org.territory_id[org.territory[i]] if org.territory[i] >= 0 else None
        )
        cols["currency"].append(org.currency[i])
        cols["hired"].append(epoch + dt.timedelta(days=org.hired[i]))

    for i in range(len(org.person)):
        versions = [(org.hired[i], org.team[i], org.manager[i]), *org.changes[i]]
        for k, (start, team, manager) in enumerate(versions):
            stop = versions[k + 1][0] - 1 if k + 1 < len(versions) else org.left[i]
            add(i, start, stop, team, manager)
    return pa.table(
        {
            k: pa.array(v, pa.date32() if k in ("valid_from", "valid_to", "hired") else pa.string())
            for k, v in cols.items()
        }
    )


def teams_table(org: Org) -> pa.Table:
    return pa.table(
        {
            "id": pa.array(org.team_id, pa.string()),
            "name": pa.array(org.team_name, pa.string()),
            "parent": arr.pick(org.team_id, np.array(org.team_parent)),
            "business": pa.array(org.team_business, pa.string()),
        }
    )


def territories_table(org: Org) -> pa.Table:
    return pa.table(
        {
            "id": pa.array(org.territory_id, pa.string()),
            "name": pa.array(org.territory_name, pa.string()),
            "region": pa.array(org.territory_region, pa.string()),
        }
    )


def stores_table(org: Org) -> pa.Table:
    return pa.table(
        {
            "id": pa.array(org.store_id, pa.string()),
            "name": pa.array(org.store_name, pa.string()),
            "region": pa.array([org.territory_region[t] for t in org.store_territory], pa.string()),
            "territory": arr.pick(org.territory_id, np.array(org.store_territory, dtype=np.int64)),
            "manager": arr.pick(org.person, np.array(org.store_manager, dtype=np.int64)),
        }
    )
