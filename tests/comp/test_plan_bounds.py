"""Plans that would take the service down are refused by the checker, quickly and briefly.

Each test guards a way a crafted plan text crashed or stalled the service: an alias bomb, a plan
too large or too deep, numbers the engine cannot hold, `round` to absurd places.
"""

from __future__ import annotations

import itertools

import ibis
import pytest
from comp_helpers import TABLES, load_tables

from attain.comp.engine import schemas_of
from attain.comp.errors import PlanError
from attain.comp.language import load_plans
from attain.comp.language.check import Problem, check_text

MAX_PLAN_BYTES = 1_000_000

PLAN = """id: ae
currency: USD
period: quarter
credits:
  - {id: owner, from: deals, to: owner, value: amount, date: close_date}
measures:
  bookings: {sum: value}
components:
  - {id: commission, measure: bookings, rate: 0.10}
"""


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict[str, str]]:
    con = ibis.duckdb.connect()
    load_tables(con, TABLES)
    return {t: dict(c) for t, c in schemas_of(con).items()}


def _bomb() -> str:
    """Nine levels of nine aliases: a few hundred bytes, hundreds of millions of items."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefgh"
    for before, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{before}"] * 9) + "]")
    lines.append("plans: [*h]")
    return "\n".join(lines)


def _one(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


def test_an_alias_bomb_is_refused_with_a_short_error(schemas: dict) -> None:  # type: ignore[type-arg]
    """Guards: the bomb expanded into an error message of hundreds of megabytes."""
    bomb = _bomb()
    assert len(bomb) < 410
    problem = _one(check_text(bomb, schemas))
    assert (problem.line, problem.column) == (1, 4)
    assert "anchors (&name) are not allowed" in problem.message
    assert len(problem.message) < 200
    with pytest.raises(PlanError) as raised:
        load_plans(bomb)
    assert len(str(raised.value)) < 200


def test_an_alias_alone_is_refused(schemas: dict) -> None:  # type: ignore[type-arg]
    problem = _one(check_text(PLAN + "title: *nowhere\n", schemas))
    assert problem.line == 10 and "aliases" in problem.message


def test_a_plan_over_the_size_limit_is_refused_before_parsing(schemas: dict) -> None:  # type: ignore[type-arg]
    text = PLAN + "title: '" + "x" * MAX_PLAN_BYTES + "'\n"
    problem = _one(check_text(text, schemas))
    assert f"at most {MAX_PLAN_BYTES:,} bytes" in problem.message
    assert len(problem.message) < 200


def test_deep_nesting_is_refused(schemas: dict) -> None:  # type: ignore[type-arg]
    problem = _one(check_text(PLAN + "title: " + "[" * 5000 + "]" * 5000 + "\n", schemas))
    assert "nested more than" in problem.message


def test_a_non_mapping_plan_is_shown_as_a_short_excerpt(schemas: dict) -> None:  # type: ignore[type-arg]
    problem = _one(check_text("plans:\n  - [" + ", ".join(["lol"] * 10_000) + "]\n", schemas))
    assert "a plan is a mapping" in problem.message and len(problem.message) < 200


@pytest.mark.parametrize(
    ("rate", "words"),
    [
        ("1e999999999", "digits before the point"),
        ("9" * 5000, "digits"),
        ("9" * 5000 + ".5", "digits before the point"),
        ("2000000", "below 1000000"),
    ],
)
def test_a_rate_the_engine_cannot_hold_is_refused_at_its_line(
    schemas: dict,  # type: ignore[type-arg]
    rate: str,
    words: str,
) -> None:
    """Guards: such rates passed the check and crashed the simulation (or the save)."""
    problem = _one(check_text(PLAN.replace("rate: 0.10", f"rate: {rate}"), schemas))
    assert problem.line == 9 and words in problem.message
    assert len(problem.message) < 300


def test_a_huge_number_in_an_expression_is_refused_at_its_column(schemas: dict) -> None:  # type: ignore[type-arg]
    text = PLAN.replace("value: amount", "value: amount * " + "9" * 1000)
    problem = _one(check_text(text, schemas))
    assert problem.line == 5 and "digits before the point" in problem.message


@pytest.mark.parametrize("places", ["99999999999999999999", "13", "1.5"])
def test_round_to_absurd_places_is_refused(schemas: dict, places: str) -> None:  # type: ignore[type-arg]
    """Guards: `round(x, 99999999999999999999)` passed the check and crashed the simulation."""
    assert check_text(PLAN.replace("value: amount", "value: 'round(amount, 2)'"), schemas) == []
    text = PLAN.replace("value: amount", f"value: 'round(amount, {places})'")
    problem = _one(check_text(text, schemas))
    assert problem.line == 5 and "`round` takes 0 to 12 places" in problem.message
