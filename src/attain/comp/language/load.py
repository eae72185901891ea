"""Plans from YAML text or files into validated `Plan` models; errors name plan and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from attain.comp.errors import PlanError
from attain.comp.language.model import Plan
from attain.comp.limits import excerpt
from attain.comp.yaml_loader import load_yaml


def _place(raw: Any, loc: tuple[Any, ...]) -> str:
    """`component commission, tiers` from a Pydantic error location, using the raw ids."""
    parts: list[str] = []
    node = raw
    i = 0
    while i < len(loc):
        key = loc[i]
        if key in ("components", "credits") and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            items = node.get(key) if isinstance(node, dict) else None
            item = items[loc[i + 1]] if isinstance(items, list) and loc[i + 1] < len(items) else {}
            label = "component" if key == "components" else "credit rule"
            default = "credit" if key == "credits" else f"#{loc[i + 1] + 1}"
            parts.append(
                f"{label} {item.get('id', default) if isinstance(item, dict) else default}"
            )
            node = item
            i += 2
            continue
        if key == "measures" and i + 1 < len(loc):
            parts.append(f"measure {loc[i + 1]}")
            node = node.get(key, {}).get(loc[i + 1], {}) if isinstance(node, dict) else {}
            i += 2
            continue
        parts.append(str(key))
        node = node.get(key) if isinstance(node, dict) else None
        i += 1
    return ", ".join(p for p in parts if not p.isdigit() and p not in ("function-after",))


def plan_errors(raw: Any, source: str | None = None) -> tuple[Plan | None, list[PlanError]]:
    """The plan in a parsed YAML mapping, or every error in it, each with its `path`."""
    plan_id = raw.get("id") if isinstance(raw, dict) else None
    label = f"plan {plan_id}" if plan_id else f"a plan{f' in {source}' if source else ''}"
    if not isinstance(raw, dict):
        message = f"{label}: a plan is a mapping (id, currency, period, ...), got {excerpt(raw)}"
        return None, [PlanError(message, path=())]
    try:
        return Plan.model_validate(raw), []
    except ValidationError as exc:
        out = []
        errors = exc.errors()
        deeper = {tuple(e["loc"][:1]) for e in errors if len(e["loc"]) > 1}
        for err in errors:
            loc = tuple(err["loc"])
            if err["type"] == "too_short" and loc in deeper:
                continue  # a list that lost an invalid item: the item's own error says why
            place = _place(raw, loc)
            msg = str(err["msg"]).removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = f"unknown key `{err['loc'][-1]}`"
            elif err["type"] == "missing":
                msg = f"missing `{err['loc'][-1]}`"
            path = tuple(k for k in loc if isinstance(k, str | int) and k != "function-after")
            out.append(PlanError(f"{label}{', ' + place if place else ''}: {msg}", path=path))
        return None, out


def plan_from_dict(raw: Any, source: str | None = None) -> Plan:
    """One `Plan` from a parsed YAML mapping; a `PlanError` names the plan and the field."""
    plan, errors = plan_errors(raw, source)
    if plan is None:
        raise PlanError("\n".join(str(e) for e in errors))
    return plan


def load_plans(source: str | Path | list[Any] | dict[str, Any]) -> list[Plan]:
    """Plans from a YAML file (a `Path`, or a `str` ending in .yaml), YAML text, or parsed data.

    A file may hold one plan, a list of plans, or a mapping with a `plans:` list.

    >>> [p.id for p in load_plans("id: ae\\ncurrency: USD\\nperiod: month\\n...")]  # doctest: +SKIP
    ['ae']
    """
    name = None
    if isinstance(source, str) and "\n" not in source and source.endswith((".yaml", ".yml")):
        source = Path(source)  # a file name, not YAML text
    if isinstance(source, Path):
        name = str(source)
        data = load_yaml(source)
    elif isinstance(source, str):
        data = load_yaml(source)
    else:
        data = source
    if isinstance(data, dict) and "plans" in data:
        data = data["plans"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise PlanError(f"{name or 'plan text'}: expected a plan or a list of plans")
    return [plan_from_dict(item, name) for item in data]
