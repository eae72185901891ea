"""The organisation while it is generated: people, teams, territories and stores.

People are kept per person (skill, hire date, and the changes of team or manager that happen
to them) and become one `people` row per version at the end (see `org_tables.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from attain.data.synth.spec import SynthSpec, day_number

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


def split_by_weight(count: int, weights: np.ndarray) -> list[int]:
    """`count` units over regions by weight, at least one each when there are enough."""
    raw = np.floor(weights * count).astype(int)
    if count >= len(weights):
        raw = np.maximum(raw, 1)
    while raw.sum() < count:
        raw[int(np.argmax(weights * count - raw))] += 1
    while raw.sum() > count:
        raw[int(np.argmax(raw))] -= 1
    return [int(x) for x in raw]


def hire_days(
    rng: np.random.Generator, count: int, spec: SynthSpec, new_share: float
) -> np.ndarray:
    """Most sellers were hired before the history starts; `new_share` join during it."""
    start, end = day_number(spec.start), day_number(spec.end)
    tenured = start - rng.integers(200, 2900, count)
    joining = rng.integers(start + 15, max(start + 16, end - 120), count)
    return np.where(rng.random(count) < new_share, joining, tenured)


def skills(rng: np.random.Generator, count: int, sigma: float) -> np.ndarray:
    """Unequal skill, geometric mean 1: the best sellers sell several times the weakest."""
    raw = rng.lognormal(0.0, sigma, count)
    return raw / np.exp(np.log(raw).mean()) if count else raw
