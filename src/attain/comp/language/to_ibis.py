"""Typed expressions compiled into Ibis values (never `eval`): one compiler for every backend.

Numbers are DECIMAL. Division is the one place a ratio is unavoidable; its result is carried as
DECIMAL(38, 12) (see `attain.comp.decimals`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.datatypes as dt

from attain.comp.decimals import exact, number
from attain.comp.language import ast


@dataclass(frozen=True)
class Resolver:
    """How names, `attainment(m)` and `manager_of(x)` calls become Ibis values here."""

    name: Callable[[str], Any]
    attainment: Callable[[str], Any] | None = None
    manager: Callable[[ast.Call], Any] | None = None


def compile_expression(node: ast.Node, resolve: Resolver) -> Any:
    """The Ibis value of a checked expression."""

    def c(n: ast.Node) -> Any:
        return compile_expression(n, resolve)

    if isinstance(node, ast.Number):
        return number(node.value)
    if isinstance(node, ast.String):
        return ibis.literal(node.value, type=dt.string)
    if isinstance(node, ast.Boolean):
        return ibis.literal(node.value, type=dt.boolean)
    if isinstance(node, ast.Null):
        return ibis.null()
    if isinstance(node, ast.Name):
        return resolve.name(node.name)
    if isinstance(node, ast.Unary):
        inner = c(node.operand)
        return ~inner if node.op == "not" else -inner
    if isinstance(node, ast.Binary):
        left, right = c(node.left), c(node.right)
        op = node.op
        if op == "and":
            return left & right
        if op == "or":
            return left | right
        if op == "+":
            return left + right
        if op == "-":
            return left - right
        if op == "*":
            return left * right
        if op == "/":
            return exact(left / right)
        return {
            "==": lambda: left == right,
            "!=": lambda: left != right,
            "<": lambda: left < right,
            "<=": lambda: left <= right,
            ">": lambda: left > right,
            ">=": lambda: left >= right,
        }[op]()
    if isinstance(node, ast.In):
        value = c(node.operand)
        found = value.isin([c(i) for i in node.items])
        return ~found if node.negated else found
    if isinstance(node, ast.IsNull):
        value = c(node.operand)
        return value.notnull() if node.negated else value.isnull()
    if isinstance(node, ast.Call):
        return _call(node, resolve)
    raise TypeError(f"cannot compile {node!r}")


def _call(node: ast.Call, resolve: Resolver) -> Any:
    args = node.args
    name = node.name
    if name == "attainment":
        assert resolve.attainment is not None and isinstance(args[0], ast.Name)
        return resolve.attainment(args[0].name)
    if name == "manager_of":
        assert resolve.manager is not None
        return resolve.manager(node)
    if name == "days":
        diff = args[0]
        assert isinstance(diff, ast.Binary)
        later = compile_expression(diff.left, resolve)
        earlier = compile_expression(diff.right, resolve)
        return later.delta(earlier, unit="day")
    values = [compile_expression(a, resolve) for a in args]
    if name == "if":
        return ibis.ifelse(values[0], values[1], values[2])
    if name == "min":
        return ibis.least(*values)
    if name == "max":
        return ibis.greatest(*values)
    if name == "abs":
        return values[0].abs()
    if name == "round":
        places = int(args[1].value) if len(args) == 2 else 0  # type: ignore[attr-defined]
        return values[0].round(places)
    raise TypeError(f"unknown function {name}")
