"""Types plan expressions against their scope before anything runs; errors say where."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from attain.comp.errors import PlanError, caret
from attain.comp.language import ast
from attain.comp.language.scope import BOOL, DATE, INTERVAL, NULL, NUMBER, STRING, Scope
from attain.comp.limits import MAX_ROUND_PLACES, number_problem

FUNCTIONS = ("min", "max", "abs", "round", "if", "days", "attainment", "manager_of")


def _hint(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"\n  hint: did you mean `{close[0]}`?" if close else ""


def fail(scope: Scope, text: str, node: ast.Node, message: str, hint: str = "") -> PlanError:
    """A `PlanError` at `node`: place, message, column, the expression with a caret, a hint."""
    return PlanError(
        f"{scope.place}: {message} at column {node.col} of `{text}`\n"
        f"{caret(text, node.col, node.end_col)}{hint}",
        column=node.col,
    )


def check(node: ast.Node, text: str, scope: Scope, want: str | None = None) -> str:
    """The type of `node`; raises `PlanError` when a name, function or type is wrong."""
    got = _type(node, text, scope)
    if want is not None and got not in (want, NULL):
        raise fail(scope, text, node, f"wrong type: expected {_a(want)}, got {_a(got)}")
    return got


def _a(kind: str) -> str:
    return {NUMBER: "a number", STRING: "a string", DATE: "a date", BOOL: "a condition"}.get(
        kind, kind
    )


def _type(node: ast.Node, text: str, scope: Scope) -> str:
    if isinstance(node, ast.Number):
        problem = number_problem(node.value)
        if problem is not None:
            raise fail(scope, text, node, problem.removeprefix("has "))
        return NUMBER
    if isinstance(node, ast.String):
        return STRING
    if isinstance(node, ast.Boolean):
        return BOOL
    if isinstance(node, ast.Null):
        return NULL
    if isinstance(node, ast.Name):
        if node.name not in scope.names:
            hint = _hint(node.name, scope.names)
            if not hint and scope.names:
                hint = (
                    f"\n  hint: known {scope.noun}s{scope.within}: {', '.join(sorted(scope.names))}"
                )
            raise fail(scope, text, node, f"unknown {scope.noun} `{node.name}`{scope.within}", hint)
        return scope.names[node.name]
    if isinstance(node, ast.Unary):
        inner = _type(node.operand, text, scope)
        want = BOOL if node.op == "not" else NUMBER
        if inner not in (want, NULL):
            raise fail(
                scope, text, node, f"wrong type: `{node.op}` needs {_a(want)}, got {_a(inner)}"
            )
        return want
    if isinstance(node, ast.Binary):
        return _binary(node, text, scope)
    if isinstance(node, ast.In):
        kind = _type(node.operand, text, scope)
        for item in node.items:
            other = _type(item, text, scope)
            if NULL not in (kind, other) and other != kind:
                raise fail(
                    scope, text, item, f"wrong type: {_a(other)} in a list compared with {_a(kind)}"
                )
        return BOOL
    if isinstance(node, ast.IsNull):
        _type(node.operand, text, scope)
        return BOOL
    if isinstance(node, ast.Call):
        return _call(node, text, scope)
    raise fail(scope, text, node, "cannot read this expression")


def _binary(node: ast.Binary, text: str, scope: Scope) -> str:
    left = _type(node.left, text, scope)
    right = _type(node.right, text, scope)
    op = node.op
    if op in ("and", "or"):
        for side, kind in ((node.left, left), (node.right, right)):
            if kind not in (BOOL, NULL):
                raise fail(
                    scope, text, side, f"wrong type: `{op}` needs conditions, got {_a(kind)}"
                )
        return BOOL
    if op in ("+", "-", "*", "/"):
        if op == "-" and left == DATE and right == DATE:
            return INTERVAL
        for side, kind in ((node.left, left), (node.right, right)):
            if kind not in (NUMBER, NULL):
                raise fail(scope, text, side, f"wrong type: `{op}` needs numbers, got {_a(kind)}")
        return NUMBER
    # comparisons
    if NULL in (left, right):
        return BOOL
    if left != right:
        lhs = text[node.left.col - 1 : node.left.end_col - 1]
        rhs = text[node.right.col - 1 : node.right.end_col - 1]
        raise fail(
            scope,
            text,
            node,
            f"wrong type: cannot compare `{lhs}` ({_a(left)}) with `{rhs}` ({_a(right)}) using `{op}`",
        )
    if op not in ("==", "!=") and left not in (NUMBER, DATE, STRING):
        raise fail(scope, text, node, f"wrong type: `{op}` cannot order {_a(left)}")
    return BOOL


def _call(node: ast.Call, text: str, scope: Scope) -> str:
    name, args = node.name, node.args

    def arity(low: int, high: int | None = None) -> None:
        high = low if high is None else high
        if not low <= len(args) <= high:
            count = str(low) if low == high else f"{low} to {high}"
            raise fail(scope, text, node, f"`{name}` takes {count} arguments, got {len(args)}")

    if name not in FUNCTIONS:
        at_name = ast.Name(node.col, node.col + len(name), name)
        hint = _hint(name, FUNCTIONS) or f"\n  hint: functions are {', '.join(FUNCTIONS)}"
        raise fail(scope, text, at_name, f"unknown function `{name}`", hint)
    if name == "attainment":
        arity(1)
        arg = args[0]
        if not scope.measures:
            raise fail(scope, text, node, "`attainment` is only known in gates over measures")
        if not isinstance(arg, ast.Name) or arg.name not in scope.measures:
            label = arg.name if isinstance(arg, ast.Name) else text[arg.col - 1 : arg.end_col - 1]
            raise fail(scope, text, arg, f"unknown measure `{label}`", _hint(label, scope.measures))
        return NUMBER
    if name == "manager_of":
        arity(1)
        if not scope.has_people:
            raise fail(
                scope, text, node, "`manager_of` needs a table `people` with a `manager` column"
            )
        check(args[0], text, scope, STRING)
        return STRING
    if name == "days":
        arity(1)
        if _type(args[0], text, scope) != INTERVAL:
            raise fail(scope, text, args[0], "wrong type: `days` takes a difference of two dates")
        return NUMBER
    if name == "if":
        arity(3)
        check(args[0], text, scope, BOOL)
        a, b = _type(args[1], text, scope), _type(args[2], text, scope)
        if NULL not in (a, b) and a != b:
            raise fail(scope, text, node, f"wrong type: `if` branches give {_a(a)} and {_a(b)}")
        return b if a == NULL else a
    if name in ("min", "max"):
        arity(2, 99)
    elif name == "abs":
        arity(1)
    elif name == "round":
        arity(1, 2)
        if len(args) == 2 and not isinstance(args[1], ast.Number):
            raise fail(scope, text, args[1], "`round` takes a literal number of places")
        if len(args) == 2:
            places = args[1].value  # type: ignore[attr-defined]
            if places != places.to_integral_value() or not 0 <= places <= MAX_ROUND_PLACES:
                raise fail(
                    scope,
                    text,
                    args[1],
                    f"`round` takes 0 to {MAX_ROUND_PLACES} places",
                )
    for arg in args:
        check(arg, text, scope, NUMBER)
    return NUMBER
