"""The public surface of `attain.comp`, and what a calculation returns."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from comp_helpers import Run, plan_text

import attain.comp
from attain.comp.errors import PlanError


def test_public_names() -> None:
    assert sorted(attain.comp.__all__) == sorted(
        [
            "Assignment", "CompiledPlans", "Credit", "LineTrace", "PayoutLine", "Plan",
            "PlanError", "Result", "TierSlice", "calculate", "compile_plans", "credit_span",
            "load_plans", "schemas_of",
        ]
    )  # fmt: skip
    for name in attain.comp.__all__:
        assert getattr(attain.comp, name).__doc__


def test_plan_numbers_are_decimal_never_float() -> None:
    (plan,) = attain.comp.load_plans(plan_text())
    assert plan.components[0].rate == Decimal("0.10")
    assert isinstance(plan.components[0].rate, Decimal)


def test_result_lines_credits_and_trace(run: Run) -> None:
    text = plan_text(**{"period: quarter": "period: month"})
    result = run(text)
    lines = {(ln.payee, ln.period, ln.component): ln.amount for ln in result.lines}
    assert lines == {
        ("ana", "2027-01", "commission"): Decimal("7000.00"),
        ("ben", "2027-02", "commission"): Decimal("4000.00"),
    }
    (ana,) = [ln for ln in result.lines if ln.payee == "ana"]
    assert ana.trace.credit_ids == ("owner:d1:ana",)
    assert ana.trace.measure_value == Decimal(70000)
    credit = next(c for c in result.credits if c.credit_id == "owner:d1:ana")
    assert (credit.source_table, credit.source_id, credit.rule, credit.date) == (
        "deals", "d1", "owner", date(2027, 1, 14),
    )  # fmt: skip
    table = result.lines_table()
    assert table.column("amount").type.scale == 2
    assert result.credits_table().num_rows == 2


def test_compile_plans_checks_against_a_schema_without_data() -> None:
    plans = attain.comp.load_plans(plan_text())
    schema = {
        "deals": {"id": "string", "owner": "string", "amount": "number", "stage": "string",
                  "close_date": "date"},
    }  # fmt: skip
    compiled = attain.comp.compile_plans(plans, schema)
    assert [cp.plan.id for cp in compiled.plans] == ["ae"]


def _store_schemas() -> dict[str, dict[str, str]]:
    """The store's data model as plan-language types (what runs over the store will see)."""
    import sqlalchemy as sa

    from attain.data.schema import Base

    def kind(t: object) -> str:
        if isinstance(t, sa.Date | sa.DateTime):
            return "date"
        if isinstance(t, sa.Integer | sa.Numeric) or type(t).__name__ == "Money":
            return "number"
        return "bool" if isinstance(t, sa.Boolean) else "string"

    return {n: {c.name: kind(c.type) for c in t.columns} for n, t in Base.metadata.tables.items()}


TEMPLATES = sorted((Path(attain.comp.__file__).parent / "templates").glob("*.yaml"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.stem)
def test_templates_compile_against_the_store_model(path: Path) -> None:
    compiled = attain.comp.compile_plans(attain.comp.load_plans(path), _store_schemas())
    assert len(compiled.plans) == 1


def test_a_fixed_payee_is_a_string_expression(run: Run) -> None:
    text = plan_text(**{"to: owner": """to: '"ivy"'"""})
    result = run(text, payees=("ivy",))
    assert {(ln.payee, ln.amount) for ln in result.lines} == {("ivy", Decimal("11000.00"))}


@pytest.mark.parametrize("written", ['"ivy"', "ivy"])
def test_a_bare_name_in_to_is_a_column_even_when_yaml_quotes_it(run: Run, written: str) -> None:
    text = plan_text(**{"to: owner": f"to: {written}"})
    with pytest.raises(PlanError, match=r"plan ae, credit rule owner, to.*unknown column `ivy`"):
        run(text, payees=("ivy",))


def test_a_later_start_still_pays_only_the_year_to_date_increment() -> None:
    from attain.comp.cases import arrow_tables, duckdb_backend, load_case
    from attain.comp.language import Assignment

    case = load_case(
        Path(__file__).resolve().parents[2] / "cases/comp/03-year-window-retroactive.yaml"
    )
    plans = attain.comp.load_plans(case.plans)
    assignments = [Assignment.model_validate(a) for a in case.assignments]
    with duckdb_backend() as connect:
        con = connect(arrow_tables(case))
        result = attain.comp.calculate(con, plans, assignments, date(2027, 3, 1), date(2027, 3, 31))
        result.materialise()  # credits are read from the connection, which closes below
    (line,) = result.lines
    assert (line.period, line.amount) == ("2027-03", Decimal("4300.00"))
    assert line.trace.paid_before == Decimal("4500.00")
    assert set(line.trace.credit_ids) <= {c.credit_id for c in result.credits}


def test_credits_and_ids_are_read_lazily_and_survive_materialise() -> None:
    """Credits and credit ids come from the connection on first use; `materialise()` keeps them."""
    import ibis
    from comp_helpers import TABLES, load_tables

    con = ibis.duckdb.connect()
    load_tables(con, TABLES)
    plans = attain.comp.load_plans(plan_text(**{"period: quarter": "period: month"}))
    assignments = [
        {"payee": p, "plan": plans[0].id, "from": date(2027, 1, 1), "to": None}
        for p in ("ana", "ben")
    ]
    lazy = attain.comp.calculate(con, plans, assignments, date(2027, 1, 1), date(2027, 3, 31))
    kept = attain.comp.calculate(con, plans, assignments, date(2027, 1, 1), date(2027, 3, 31))
    assert lazy.credit_count == 2 and lazy.line_count == 2
    kept.materialise()
    con.disconnect()
    assert [ln.trace.credit_ids for ln in kept.lines] == [("owner:d1:ana",), ("owner:d2:ben",)]
    assert kept.credit_count == len(kept.credits) == 2
    assert kept.total() == lazy.total()
