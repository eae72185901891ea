"""Warnings for plans that silently pay nothing: a credit rule matching no row, a filter
comparing a column with a string it never holds (a stage filter in lower case on data whose
stages are capitalised).

Such a plan is valid and its run succeeds, so nothing else would tell its author. Each warning
names the plan, the rule or measure, and the values the column does hold. It is cheap: one
`LIMIT 1` query per rule and per string a filter compares with (each stops at the first row
found); only when something matches nothing, one more for the column's commonest values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import ibis
import ibis.expr.datatypes as dt

from attain.comp.engine.credit import resolver, with_managers
from attain.comp.engine.tables import reading, table
from attain.comp.language import ast
from attain.comp.language.compile import CompiledPlan, CompiledRule, compile_plans
from attain.comp.language.model import Plan
from attain.comp.language.to_ibis import compile_expression

SHOWN = 10
"""How many of a column's values a warning lists (the commonest first)."""


def compared_strings(node: ast.Node | None) -> dict[str, set[str]]:
    """Column -> the string literals a filter compares it with (`==`, `!=`, `in`)."""
    out: dict[str, set[str]] = {}
    if node is None:
        return out
    for n in ast.walk(node):
        if isinstance(n, ast.Binary) and n.op in ("==", "!="):
            for a, b in ((n.left, n.right), (n.right, n.left)):
                if isinstance(a, ast.Name) and isinstance(b, ast.String):
                    out.setdefault(a.name, set()).add(b.value)
        elif isinstance(n, ast.In) and isinstance(n.operand, ast.Name):
            found = {i.value for i in n.items if isinstance(i, ast.String)}
            if found:
                out.setdefault(n.operand.name, set()).update(found)
    return out


def _quoted(values: Iterable[str]) -> str:
    return ", ".join(f'"{v}"' for v in values)


def _held(tables: list[ibis.Table], column: str, wanted: set[str]) -> tuple[set[str], list[str]]:
    """Which of `wanted` the column holds in any of `tables` (one `LIMIT 1` query each, which
    stops at the first row found), and, only when one is missing, its commonest values."""
    present: set[str] = set()
    for value in sorted(wanted):
        for t in tables:
            c = t[column].cast(dt.string)
            if t.filter(c == value).limit(1).count().execute() > 0:
                present.add(value)
                break
    if present == wanted:
        return present, []
    counts: dict[str, int] = {}
    for t in tables:
        c = t[column].cast(dt.string)
        top = (
            t.filter(c.notnull())
            .group_by(v=c)
            .aggregate(n=c.count())
            .order_by([ibis.desc("n"), "v"])
            .limit(SHOWN + 1)
        )
        for r in top.to_pyarrow().to_pylist():
            counts[r["v"]] = counts.get(r["v"], 0) + int(r["n"])
    return present, sorted(counts, key=lambda v: (-counts[v], v))


def _holds(column: str, common: list[str]) -> str:
    if not common:
        return f"{column} is always empty"
    more = ", ..." if len(common) > SHOWN else ""
    return f"{column} holds {_quoted(common[:SHOWN])}{more}"


def _rule_warnings(con: ibis.BaseBackend, cp: CompiledPlan, cr: CompiledRule) -> list[str]:
    rule = cr.rule
    place = f"plan {cp.plan.id}, credit rule {rule.id}"
    src = table(con, rule.from_)
    never: list[str] = []
    for column, wanted in sorted(compared_strings(cr.where).items()):
        if column not in src.columns:
            continue
        present, common = _held([src], column, wanted)
        missing = sorted(wanted - present)
        if missing:
            never.append(f"{column} never holds {_quoted(missing)}; {_holds(column, common)}")
    t, managers = with_managers(con, cr, src)
    if cr.where is not None:
        t = t.filter(compile_expression(cr.where, resolver(t, managers)).fill_null(False))
    if t.limit(1).count().execute() == 0:
        what = rule.where if rule.where is not None else f"table {rule.from_}"
        reasons = "; ".join(n.split("; ", 1)[1] for n in never) or (
            f"table {rule.from_} has no rows" if rule.where is None else ""
        )
        return [f"{place}: {what} matches no row" + (f"; {reasons}" if reasons else "")]
    return [f"{place}, where: {n}" for n in never]


def _measure_warnings(con: ibis.BaseBackend, cp: CompiledPlan) -> list[str]:
    out = []
    for name, cm in cp.measures.items():
        rules = [r for r in cp.rules if cm.measure.credit in (None, r.rule.id)]
        for column, wanted in sorted(compared_strings(cm.where).items()):
            sources = [table(con, r.rule.from_) for r in rules]
            sources = [s for s in sources if column in s.columns]
            if not sources:
                continue
            present, common = _held(sources, column, wanted)
            missing = sorted(wanted - present)
            if missing:
                out.append(
                    f"plan {cp.plan.id}, measure {name}, where: {column} never holds "
                    f"{_quoted(missing)}; {_holds(column, common)}"
                )
    return out


def plan_warnings(con: ibis.BaseBackend, cp: CompiledPlan) -> list[str]:
    """What in `cp` matches nothing on `con`'s tables, in words (empty when all is well)."""
    out: list[str] = []
    for cr in cp.rules:
        out += _rule_warnings(con, cp, cr)
    return out + _measure_warnings(con, cp)


def warnings_of(con: ibis.BaseBackend, plans: Sequence[Plan]) -> tuple[str, ...]:
    """`plan_warnings` of every plan, without calculating (for a span with no credit at all)."""
    with reading(con) as catalog:
        return tuple(w for cp in compile_plans(plans, catalog) for w in plan_warnings(con, cp))
