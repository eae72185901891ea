"""YAML that keeps numbers exact: floats become `Decimal`, ints stay `int`, dates `date`.

PyYAML's safe loader would turn `0.10` into a binary float; money must never pass through one.
Errors name the file and line.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from attain.comp.errors import PlanError


class DecimalLoader(yaml.SafeLoader):
    """SafeLoader whose float scalars are `Decimal` (exactly as written)."""


def _decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")  # type: ignore[arg-type]
    try:
        return Decimal(text)
    except InvalidOperation:  # .inf, .nan: not money
        mark = node.start_mark
        raise PlanError(
            f"line {mark.line + 1}: not a finite number: {text}",
            line=mark.line + 1,
            col=mark.column + 1,
        ) from None


DecimalLoader.add_constructor("tag:yaml.org,2002:float", _decimal)


def load_yaml(source: str | Path, name: str | None = None) -> Any:
    """Parse YAML text or a file; a syntax error is a `PlanError` naming the file and line."""
    if isinstance(source, Path):
        name = name or str(source)
        text = source.read_text(encoding="utf-8")
    else:
        text = source
    label = name or "<plan text>"
    try:
        return yaml.load(text, Loader=DecimalLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown line"
        raise PlanError(
            f"{label}: malformed YAML at {line}: {exc.problem or exc}",
            line=mark.line + 1 if mark else None,
            col=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise PlanError(f"{label}: malformed YAML: {exc}") from None
