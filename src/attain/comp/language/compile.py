"""Compile: validated plans + the tables' schemas -> typed, parsed plans ready for the engine.

Every expression is parsed and type-checked here, before any data is read, so a misspelt
column or a wrong type fails fast with the plan, the rule or component and the position.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TypeVar, cast

from attain.comp.errors import PlanError, where
from attain.comp.language import ast
from attain.comp.language.model import Component, CreditRule, Measure, Plan
from attain.comp.language.parser import parse_expression
from attain.comp.language.scope import BOOL, DATE, NUMBER, STRING, Scope
from attain.comp.language.typecheck import check

T = TypeVar("T")

Schemas = Mapping[str, Mapping[str, str]]
"""Table name -> column name -> plan-language type (`number`, `string`, `date`, `bool`)."""

CREDIT_FIELDS = {"payee": STRING, "date": DATE, "value": NUMBER, "rule": STRING}
"""What every credit carries besides its source row's columns (these win over same names)."""


@dataclass(frozen=True)
class CompiledRule:
    rule: CreditRule
    where: ast.Node | None
    to: ast.Node
    value: ast.Node
    columns: Mapping[str, str]  # the source table's columns and types
    place: str


@dataclass(frozen=True)
class CompiledMeasure:
    name: str
    measure: Measure
    sum: ast.Node | None
    where: ast.Node | None
    place: str


@dataclass(frozen=True)
class CompiledComponent:
    component: Component
    gate: ast.Node | None
    attainment_of: frozenset[str]  # measures whose quota this component needs
    place: str


@dataclass(frozen=True)
class CompiledPlan:
    plan: Plan
    rules: tuple[CompiledRule, ...]
    credit_columns: Mapping[str, str]  # what measures may name
    measures: Mapping[str, CompiledMeasure]
    components: tuple[CompiledComponent, ...]


@dataclass(frozen=True)
class CompiledPlans:
    """Plans parsed and checked against one set of table schemas."""

    plans: tuple[CompiledPlan, ...]
    schemas: Schemas

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.plans)


def _hint(word: str, options: Sequence[str] | Mapping[str, object]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _table(schemas: Schemas, name: str, place: str) -> Mapping[str, str]:
    if name in getattr(schemas, "refused", ()):
        raise PlanError(
            f"{place}: a plan may not read table `{name}` "
            "(plans read the revenue data model and imported tables only)"
        )
    if name not in schemas:
        raise PlanError(f"{place}: unknown table `{name}`{_hint(name, schemas)}")
    return schemas[name]


def _column(
    columns: Mapping[str, str], name: str, kinds: tuple[str, ...], place: str, table: str
) -> None:
    if name not in columns:
        raise PlanError(
            f"{place}: unknown column `{name}` in table `{table}`{_hint(name, columns)}"
        )
    if columns[name] not in (*kinds, "null"):
        raise PlanError(
            f"{place}: column `{table}.{name}` holds {columns[name]} values, expected {' or '.join(kinds)}"
        )


def _expr(text: str, scope: Scope, want: str) -> ast.Node:
    node = parse_expression(text, scope.place)
    check(node, text, scope, want)
    return node


Path = tuple[str | int, ...]


class Found:
    """Errors found so far: raised at the first one, or (`collect`) kept to report them all."""

    def __init__(self, collect: list[PlanError] | None = None) -> None:
        self.kept = collect

    def attempt(self, path: Path, check: Callable[[], T]) -> T | None:
        """`check()`, or None after a `PlanError` placed at `path` (when collecting)."""
        try:
            return check()
        except PlanError as exc:
            if exc.path is None:
                exc.path = path
            if self.kept is None:
                raise
            self.kept.append(exc)
            return None


def compile_rule(
    plan: Plan, rule: CreditRule, schemas: Schemas, found: Found | None = None, index: int = 0
) -> CompiledRule | None:
    """Check one credit rule against its source table (and splits, fx_rates, people).

    None when its source table is unknown (nothing else about it can be checked then)."""
    found = found or Found()
    at: Path = ("credits", index)
    place = where(plan.id, f"credit rule {rule.id}")
    columns = found.attempt((*at, "from"), lambda: _table(schemas, rule.from_, place))
    if columns is None:
        return None
    source = columns
    found.attempt(
        (*at, "date"), lambda: _column(source, rule.date, (DATE,), f"{place}, date", rule.from_)
    )
    people = schemas.get("people", {})
    has_people = "id" in people and "manager" in people

    def expr(field: str, text: str | None, want: str) -> ast.Node | None:
        if text is None:
            return None
        scope = Scope(
            where(plan.id, f"credit rule {rule.id}", field),
            "column",
            dict(source),
            within=f" in table {rule.from_}",
            has_people=has_people,
        )
        return found.attempt((*at, field), lambda: _expr(text, scope, want))

    where_ = expr("where", rule.where, BOOL)
    to = expr("to", rule.to, STRING)
    value = expr("value", rule.value, NUMBER)

    def currency() -> None:
        assert rule.currency is not None
        _column(source, rule.currency, (STRING,), f"{place}, currency", rule.from_)
        fx = _table(schemas, "fx_rates", f"{place}, currency")
        _column(fx, "currency", (STRING,), f"{place}, currency", "fx_rates")
        _column(fx, "month", (STRING,), f"{place}, currency", "fx_rates")
        _column(fx, "rate", (NUMBER,), f"{place}, currency", "fx_rates")

    def splits() -> None:
        assert rule.splits is not None
        s = rule.splits
        sp = f"{place}, splits"
        _column(source, "id", (STRING, NUMBER), sp, rule.from_)
        split_cols = _table(schemas, s.from_, sp)
        _column(split_cols, s.key, (STRING, NUMBER), sp, s.from_)
        _column(split_cols, s.payee, (STRING,), sp, s.from_)
        _column(split_cols, s.share, (NUMBER,), sp, s.from_)

    if rule.currency is not None:
        found.attempt((*at, "currency"), currency)
    if rule.splits is not None:
        found.attempt((*at, "splits"), splits)
    if rule.clawback is not None:
        claw = rule.clawback.date
        found.attempt(
            (*at, "clawback", "date"),
            lambda: _column(source, claw, (DATE,), f"{place}, clawback", rule.from_),
        )
    if rule.hold is not None:
        until = rule.hold.until
        found.attempt(
            (*at, "hold", "until"),
            lambda: _column(source, until, (DATE,), f"{place}, hold", rule.from_),
        )
    # After an error (only when collecting) a node may be missing: the result is never run then.
    return CompiledRule(rule, where_, cast(ast.Node, to), cast(ast.Node, value), source, place)


def _credit_columns(rules: Sequence[CompiledRule]) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in rules:
        for name, kind in r.columns.items():
            out[name] = kind if out.get(name, kind) == kind else STRING
    out.update(CREDIT_FIELDS)
    return out


def _measure_credit_rule(plan: Plan, name: str, m: Measure) -> None:
    rule_ids = [r.id for r in plan.credits]
    if m.credit is not None and m.credit not in rule_ids:
        raise PlanError(
            f"{where(plan.id, f'measure {name}')}: unknown credit rule `{m.credit}`"
            f"{_hint(m.credit, rule_ids)} (rules: {', '.join(rule_ids)})"
        )


def _component_measure(plan: Plan, c: Component) -> None:
    if c.measure is not None and c.measure not in plan.measures:
        known = ", ".join(plan.measures) or "none"
        raise PlanError(
            f"{where(plan.id, f'component {c.id}')}, measure: unknown measure `{c.measure}`"
            f"{_hint(c.measure, plan.measures)} (measures of plan {plan.id}: {known})"
        )


def _quota_columns(schemas: Schemas, place: str) -> None:
    quotas = _table(schemas, "quotas", f"{place} needs attainment, so")
    for col, kind in (
        ("payee", STRING),
        ("measure", STRING),
        ("period", STRING),
        ("amount", NUMBER),
    ):
        _column(quotas, col, (kind, NUMBER) if col == "period" else (kind,), place, "quotas")


def compile_plan(plan: Plan, schemas: Schemas, found: Found | None = None) -> CompiledPlan:
    """Parse and type-check every expression of `plan` against `schemas`.

    With a collecting `found`, every error is kept there and checking goes on (the result is
    then only good for reporting them)."""
    found = found or Found()
    compiled = [compile_rule(plan, r, schemas, found, i) for i, r in enumerate(plan.credits)]
    rules = tuple(r for r in compiled if r is not None)
    credit_columns = _credit_columns(rules)
    measures: dict[str, CompiledMeasure] = {}
    for name, m in plan.measures.items():
        place = where(plan.id, f"measure {name}")
        found.attempt(("measures", name, "credit"), partial(_measure_credit_rule, plan, name, m))

        def expr(field: str, text: str | None, want: str, name: str = name) -> ast.Node | None:
            if text is None:
                return None
            scope = Scope(where(plan.id, f"measure {name}", field), "credit column", credit_columns)
            return found.attempt(("measures", name, field), lambda: _expr(text, scope, want))

        sum_ = expr("sum", m.sum, NUMBER)
        where_ = expr("where", m.where, BOOL)
        measures[name] = CompiledMeasure(name, m, sum_, where_, place)

    components = []
    measure_types = dict.fromkeys(plan.measures, NUMBER)
    for i, c in enumerate(plan.components):
        place = where(plan.id, f"component {c.id}")
        found.attempt(("components", i, "measure"), partial(_component_measure, plan, c))
        needs: set[str] = set()
        if c.measure is not None and (
            c.curve is not None or (c.tiers is not None and c.tier_basis == "attainment")
        ):
            needs.add(c.measure)
        gate = None
        if c.gate is not None:
            gate_scope = Scope(
                where(plan.id, f"component {c.id}", "gate"),
                "measure",
                measure_types,
                measures=frozenset(plan.measures),
            )
            gate = found.attempt(
                ("components", i, "gate"), partial(_expr, c.gate, gate_scope, BOOL)
            )
            for node in ast.walk(gate) if gate is not None else ():
                if isinstance(node, ast.Call) and node.name == "attainment":
                    needs.add(node.args[0].name)  # type: ignore[attr-defined]
        if needs:
            found.attempt(("components", i), partial(_quota_columns, schemas, place))
        components.append(CompiledComponent(c, gate, frozenset(needs), place))
    return CompiledPlan(plan, rules, credit_columns, measures, tuple(components))


def compile_plans(
    plans: Sequence[Plan] | CompiledPlans, schemas: Schemas, found: Found | None = None
) -> CompiledPlans:
    """Check `plans` against `schemas` (table -> column -> type); see `schemas_of(con)`.

    >>> compile_plans(load_plans(text), {"deals": {"id": "string", ...}})  # doctest: +SKIP
    """
    if isinstance(plans, CompiledPlans):
        plans = [p.plan for p in plans.plans]
    ids = [p.id for p in plans]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise PlanError(f"plan ids must be unique (repeated: {', '.join(dup)})")
    return CompiledPlans(tuple(compile_plan(p, schemas, found) for p in plans), schemas)
