"""Generated bad plans: always one `PlanError` that says where, never another exception."""

from __future__ import annotations

import itertools
import keyword
import string
from decimal import Decimal

import pytest
from comp_helpers import plan_text
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from attain.comp import PlanError, compile_plans, load_plans

SCHEMA = {
    "deals": {"id": "string", "owner": "string", "amount": "number", "stage": "string",
              "close_date": "date", "currency": "string", "type": "string"},
    "people": {"id": "string", "manager": "string"},
}  # fmt: skip
WORDS = {"and", "or", "not", "in", "is", "null", "true", "false"}
QUICK = settings(max_examples=60, deadline=None, derandomize=True)

names = st.text(string.ascii_lowercase + "_", min_size=1, max_size=10).filter(
    lambda s: s not in SCHEMA["deals"] and s not in WORDS and not keyword.iskeyword(s)
)


def compile_text(text: str) -> None:
    compile_plans(load_plans(text), SCHEMA)


def _value(expression: str) -> str:
    return plan_text(**{"value: amount": f"value: '{expression}'"})


@QUICK
@given(name=names, before=st.sampled_from(["", "amount + ", "abs(amount) * ", "if(true, 1, "]))
def test_unknown_column_anywhere(name: str, before: str) -> None:
    expression = before + name + (")" if before.startswith("if") else "")
    with pytest.raises(PlanError) as info:
        compile_text(_value(expression))
    msg = str(info.value)
    assert "plan ae, credit rule owner, value" in msg
    assert f"unknown column `{name}`" in msg
    assert f"at column {len(before) + 1} of `{expression}`" in msg
    assert "\n" + " " * (4 + len(before)) + "^" * len(name) in msg


@QUICK
@given(name=names)
def test_unknown_function_anywhere(name: str) -> None:
    assume(name not in {"min", "max", "abs", "round", "if", "days", "attainment", "manager_of"})
    with pytest.raises(PlanError, match=rf"unknown function `{name}` at column 10"):
        compile_text(_value(f"amount + {name}(amount)"))


@QUICK
@given(text=st.text(alphabet=string.printable.replace("'", "").replace("\\", ""), max_size=30))
def test_any_expression_text_compiles_or_is_a_plan_error(text: str) -> None:
    try:
        compile_text(plan_text(**{"where: 'stage == \"closed_won\"'": f"where: '{text}'"}))
    except PlanError as exc:
        assert str(exc).startswith("plan ae, credit rule owner, where") or "YAML" in str(exc)


@QUICK
@given(froms=st.lists(st.integers(-5, 5), min_size=2, max_size=4))
def test_tiers_out_of_order_or_negative(froms: list[int]) -> None:
    ok = all(b > a for a, b in itertools.pairwise(froms)) and froms[0] >= 0
    tiers = ", ".join(f"{{from: {f}, rate: 0.1}}" for f in froms)
    text = plan_text(**{"rate: 0.10}": f"tiers: [{tiers}]}}"})
    if ok:
        compile_text(text)
    else:
        with pytest.raises(PlanError, match="plan ae, component commission"):
            compile_text(text)


@QUICK
@given(text=st.text(max_size=60))
def test_any_yaml_loads_or_is_a_plan_error(text: str) -> None:
    try:
        plans = load_plans(text)
    except PlanError:
        return
    for plan in plans:  # anything that loads is a valid plan, with exact numbers
        for c in plan.components:
            assert c.rate is None or isinstance(c.rate, Decimal)


@QUICK
@given(kind=st.sampled_from(["number", "date"]), op=st.sampled_from(["==", "<", ">=", "!="]))
def test_wrong_type_comparisons(kind: str, op: str) -> None:
    other = {"number": "5", "date": "close_date"}[kind]
    with pytest.raises(PlanError, match=r"wrong type: cannot compare `stage` \(a string\)"):
        compile_text(
            plan_text(**{"where: 'stage == \"closed_won\"'": f"where: 'stage {op} {other}'"})
        )
