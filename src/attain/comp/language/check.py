"""Check a plan's YAML text: every error it holds, each at its line and column.

A plan author fixes a plan in one pass only when every error is shown at once: YAML structure,
keys and values (the model), and every expression (syntax, unknown columns, measures and
functions, types). Each error carries a path in the plan (`credits`, 0, `value`) and, inside an
expression, a column; here they become a line and column of the text, from the YAML nodes.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from attain.comp.errors import PlanError
from attain.comp.language.compile import Found, Schemas, compile_plan
from attain.comp.language.load import plan_errors
from attain.comp.language.model import Plan
from attain.comp.yaml_loader import compose_yaml, load_yaml


@dataclass(frozen=True, order=True)
class Problem:
    """One error of a plan's text at a line and column (both 1-based), in one line of words."""

    line: int
    column: int
    message: str

    def at(self, name: str) -> str:
        """`file:line:column: message`, as compilers write it."""
        return f"{name}:{self.line}:{self.column}: {self.message}"


def _one_line(exc: PlanError) -> str:
    """The error's first line, with its hint (a caret drawing is left to the line/column)."""
    first, *rest = str(exc).split("\n")
    hints = [r.strip().removeprefix("hint: ") for r in rest if r.strip().startswith("hint:")]
    return first + "".join(f" ({h})" for h in hints)


_STANDING = {"id": "plan", "currency": "XXX", "period": "month"}
"""Values that stand in for a wrong top-level field, so the rest of the plan is still checked."""


def _pruned(raw: dict[str, Any], errors: Sequence[PlanError]) -> dict[str, Any] | None:
    """`raw` without what the model refused (an unknown key, a wrong draw; a wrong component
    made a bonus of 0, a wrong measure a plain count, a wrong top-level field stood in for), so that its
    expressions can still be checked; None when nothing sound is left to check."""
    out = copy.deepcopy(raw)
    drop: set[int] = set()
    for e in errors:
        path = e.path or ()
        if "unknown key" in str(e) and path:
            node: Any = out
            for part in path[:-1]:
                if isinstance(node, dict):
                    node = node.get(part)
                elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                    node = node[part]
            if isinstance(node, dict):
                node.pop(path[-1], None)
                continue
        if path[:1] == ("components",) and len(path) > 1 and isinstance(path[1], int):
            drop.add(path[1])
        elif path[:1] == ("measures",) and len(path) > 1 and isinstance(out.get("measures"), dict):
            out["measures"][path[1]] = {"count": True}
        elif path[:1] == ("draw",):
            out.pop("draw", None)
        elif len(path) == 1 and path[0] in _STANDING:
            out[str(path[0])] = _STANDING[str(path[0])]
        else:
            return None
    if drop and isinstance(out.get("components"), list):  # stand-ins keep later positions
        parts = out["components"]
        out["components"] = [
            {"id": f" {i}", "amount": 0} if i in drop else c for i, c in enumerate(parts)
        ]
    return out


def _locate(root: yaml.Node, exc: PlanError) -> tuple[int, int]:
    """Line and column of the error's place: the value at its path (the key, for an unknown
    key), the deepest part of the path present, and within an expression its column."""
    node, key_node = root, None
    for part in exc.path or ():
        if isinstance(node, yaml.MappingNode):
            hit = next(((k, v) for k, v in node.value if k.value == str(part)), None)
            if hit is None:
                break
            key_node, node = hit
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            key_node, node = None, node.value[part]
        else:
            break
    else:
        if "unknown key" in str(exc) and key_node is not None:
            node = key_node
        elif isinstance(node, yaml.MappingNode):  # a rule about the whole item: the key it names
            words = str(exc).split(": ", 1)[-1]
            for k, _v in node.value:
                if isinstance(k.value, str) and re.search(rf"\b{re.escape(k.value)}\b", words):
                    node = k
                    break
    mark = node.start_mark
    line, column = mark.line + 1, mark.column + 1
    if exc.column and isinstance(node, yaml.ScalarNode) and mark.line == node.end_mark.line:
        column += exc.column - 1 + (1 if node.style in ("'", '"') else 0)
    return line, column


def _plans(data: Any, root: yaml.Node) -> list[tuple[Any, yaml.Node]]:
    """Each plan's data with its node: one plan, a list of plans, or a mapping with `plans:`."""
    if isinstance(data, dict) and "plans" in data and isinstance(root, yaml.MappingNode):
        root = next(v for k, v in root.value if k.value == "plans")
        data = data["plans"]
    if isinstance(data, list) and isinstance(root, yaml.SequenceNode):
        return list(zip(data, root.value, strict=True))
    return [(data, root)]


def check_text(
    text: str, schemas: Schemas | Callable[[list[Plan]], Schemas], name: str | None = None
) -> list[Problem]:
    """Every problem of a plan text, in the order of the text; empty when it compiles.

    `schemas` are the tables' column types, or a function giving them for the plans read (so
    a store is asked only about the tables the plans name)."""
    try:
        data = load_yaml(text, name)
        root = compose_yaml(text)
    except PlanError as exc:
        return [Problem(exc.line or 1, exc.col or 1, _one_line(exc))]
    if data is None or root is None:
        return [Problem(1, 1, f"{name or 'plan text'}: empty; expected a plan")]
    found: list[tuple[PlanError, yaml.Node]] = []
    valid: list[tuple[Plan, yaml.Node]] = []
    for raw, node in _plans(data, root):
        plan, errors = plan_errors(raw, name)
        found += [(e, node) for e in errors]
        if plan is None and isinstance(raw, dict):  # check what the model did not refuse
            pruned = _pruned(raw, errors)
            plan = plan_errors(pruned, name)[0] if pruned is not None else None
        if plan is not None:
            valid.append((plan, node))
    ids = [p.id for p, _ in valid]
    for plan, node in valid:
        if ids.count(plan.id) > 1:
            found.append((PlanError(f"plan {plan.id}: defined twice", path=("id",)), node))
    if valid:
        tables = schemas([p for p, _ in valid]) if callable(schemas) else schemas
        for plan, node in valid:
            kept: list[PlanError] = []
            compile_plan(plan, tables, Found(kept))
            found += [(e, node) for e in kept]
    return sorted({Problem(*_locate(node, e), _one_line(e)) for e, node in found})


def problems_text(problems: Sequence[Problem], name: str) -> str:
    """The problems as `file:line:column: message` lines."""
    return "\n".join(p.at(name) for p in problems)
