"""Roll-ups through an effective-dated hierarchy: `manager_of` nested up to three levels.

Each level is read as of the credit's date; a plain Python reading of the people rows on that
date is the reference, on DuckDB and on PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from backends import Backend
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attain.comp import calculate, load_plans
from attain.comp.cases import Case
from attain.comp.decimals import to_cents
from attain.hierarchy import in_force

PEOPLE = ("ana", "bo", "cy", "di", "ed", "fay")
Q1 = (date(2027, 1, 1), date(2027, 3, 31))
CHANGES = (date(2027, 2, 1), date(2027, 3, 1))
"""Days a person may change manager (the new row is in force from that day)."""


def _plan(levels: int) -> str:
    to = "owner"
    for _ in range(levels):
        to = f"manager_of({to})"
    return f"""
id: up{levels}
currency: USD
period: month
credits:
  - {{id: roll, from: deals, to: '{to}', value: amount, date: close_date}}
measures:
  team: {{sum: value}}
components:
  - {{id: override, measure: team, rate: 0.01}}
"""


@st.composite
def hierarchies(draw: st.DrawFn) -> list[dict[str, object]]:
    """People rows: each person has one to three consecutive versions, each with a manager
    (or none) among the others."""
    rows: list[dict[str, object]] = []
    for person in PEOPLE:
        cuts = sorted(draw(st.sets(st.sampled_from(CHANGES), max_size=2)))
        bounds: list[date | None] = [None, *cuts]
        for i, start in enumerate(bounds):
            nxt = bounds[i + 1] if i + 1 < len(bounds) else None
            manager = draw(
                st.one_of(st.none(), st.sampled_from([p for p in PEOPLE if p != person]))
            )
            rows.append(
                {
                    "id": person,
                    "manager": manager,
                    "valid_from": start,
                    "valid_to": nxt - timedelta(days=1) if nxt else None,
                }
            )
    return rows


deals_strategy = st.lists(
    st.tuples(
        st.sampled_from(PEOPLE),
        st.integers(0, 89).map(lambda d: Q1[0] + timedelta(days=d)),
        st.decimals(min_value=1, max_value=50000, places=2),
    ),
    min_size=1,
    max_size=8,
)


def _manager_on(people: list[dict[str, object]], person: str | None, day: date) -> str | None:
    """The reference is the hierarchy module's rule, so the engine and the Python walk agree."""
    versions = [(r["id"], r["manager"], r["valid_from"], r["valid_to"]) for r in people]
    tree = in_force(versions, day)  # type: ignore[arg-type]
    return next((m for m, reports in tree.items() if person in reports), None)


def _expected(
    people: list[dict[str, object]], deals: list[tuple[str, date, Decimal]], levels: int
) -> dict[tuple[str, str], Decimal]:
    team: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for owner, day, amount in deals:
        payee: str | None = owner
        for _ in range(levels):
            payee = _manager_on(people, payee, day)
        if payee is not None:
            team[(payee, f"{day:%Y-%m}")] += amount
    out = {k: to_cents(v * Decimal("0.01")) for k, v in team.items()}
    return {k: v for k, v in out.items() if v != 0}


def _case(people: list[dict[str, object]], deals: list[tuple[str, date, Decimal]]) -> Case:
    tables = {
        "people": people,
        "deals": [
            {"id": f"d{i}", "owner": o, "amount": a, "close_date": d}
            for i, (o, d, a) in enumerate(deals)
        ],
    }
    return Case("rollup", "", tables, [], [], (), None)


def _paid(backend: Backend, case: Case, levels: int) -> dict[tuple[str, str], Decimal]:
    plans = load_plans(_plan(levels))
    assignments = [{"payee": p, "plan": plans[0].id, "from": Q1[0], "to": None} for p in PEOPLE]
    result = calculate(backend.load(case.tables), plans, assignments, *Q1)
    return {(ln.payee, ln.period): ln.amount for ln in result.lines}


@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(people=hierarchies(), deals=deals_strategy, levels=st.integers(1, 3))
def test_nested_manager_of_reads_each_level_on_the_credit_date(
    backend: Backend,
    people: list[dict[str, object]],
    deals: list[tuple[str, date, Decimal]],
    levels: int,
) -> None:
    assert _paid(backend, _case(people, deals), levels) == _expected(people, deals, levels)
