"""YAML that keeps numbers exact: floats become `Decimal`, ints stay `int`, dates `date`.

PyYAML's safe loader would turn `0.10` into a binary float; money must never pass through one.
Errors name the file and line. A plan is bounded before anything expands it (`attain.comp.limits`):
its size, its nesting, and no anchors or aliases at all.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from attain.comp.errors import PlanError
from attain.comp.limits import MAX_INTEGER_DIGITS, MAX_NESTING, MAX_PLAN_BYTES, excerpt


def _refuse(mark: Any, message: str) -> PlanError:
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return PlanError(f"line {line}, column {col}: {message}", line=line, col=col)


class DecimalLoader(yaml.SafeLoader):
    """SafeLoader whose float scalars are `Decimal` (exactly as written), refusing anchors,
    aliases and deep nesting while it composes (before any structure is built)."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            raise _refuse(event.start_mark, "aliases (*name) are not allowed in a plan")
        if getattr(event, "anchor", None) is not None:
            raise _refuse(event.start_mark, "anchors (&name) are not allowed in a plan")
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                raise _refuse(event.start_mark, f"nested more than {MAX_NESTING} levels deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")  # type: ignore[arg-type]
    try:
        return Decimal(text)
    except InvalidOperation:  # .inf, .nan: not money
        mark = node.start_mark
        raise PlanError(
            f"line {mark.line + 1}: not a finite number: {excerpt(text, 24)}",
            line=mark.line + 1,
            col=mark.column + 1,
        ) from None


def _int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    if sum(c.isdigit() for c in text) > MAX_INTEGER_DIGITS:
        raise _refuse(
            node.start_mark,
            f"a number has more than {MAX_INTEGER_DIGITS} digits: {excerpt(text, 24)}",
        )
    assert isinstance(node, yaml.ScalarNode)
    return int(yaml.SafeLoader.construct_yaml_int(loader, node))


DecimalLoader.add_constructor("tag:yaml.org,2002:float", _decimal)
DecimalLoader.add_constructor("tag:yaml.org,2002:int", _int)


def compose_yaml(text: str) -> yaml.Node | None:
    """The YAML nodes of a plan text, under the same bounds as `load_yaml`."""
    return yaml.compose(text, Loader=DecimalLoader)


def load_yaml(source: str | Path, name: str | None = None) -> Any:
    """Parse YAML text or a file; a syntax error is a `PlanError` naming the file and line."""
    if isinstance(source, Path):
        name = name or str(source)
        text = source.read_text(encoding="utf-8")
    else:
        text = source
    label = name or "<plan text>"
    size = len(text.encode("utf-8"))
    if size > MAX_PLAN_BYTES:
        raise PlanError(
            f"{label}: a plan is at most {MAX_PLAN_BYTES:,} bytes (this one is {size:,})",
            line=1,
            col=1,
        )
    try:
        return yaml.load(text, Loader=DecimalLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown line"
        raise PlanError(
            f"{label}: malformed YAML at {line}: {excerpt(exc.problem or exc, 200)}",
            line=mark.line + 1 if mark else None,
            col=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise PlanError(f"{label}: malformed YAML: {excerpt(exc, 200)}") from None
    except PlanError as exc:
        raise PlanError(f"{label}: {exc}", line=exc.line, col=exc.col) from None
