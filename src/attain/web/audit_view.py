"""An audit entry as a person reads it: the fields that changed, each value in words.

The log keeps before and after as JSON (attain.audit); this turns them into short lines
("status: open → prepared"), with a long list summarised ("200 periods: 2024-01 … 2026-11") and
the whole of it kept for the page to show one click away.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from attain.pay.periods import kind_of, parse_period

PERIOD = re.compile(r"^\d{4}(-(Q[1-4]|W\d{2}|\d{2}))?$")
HASH = re.compile(r"^[0-9a-f]{32,}$")
KINDS = ("month", "quarter", "week", "year")
SHORT_LIST = 4
LONG_TEXT = 80
NOTHING = "—"


@dataclass(frozen=True)
class Shown:
    """A value in a few words; `full` holds the whole value (one item a line) when shortened."""

    text: str
    full: tuple[str, ...] = ()


@dataclass(frozen=True)
class Change:
    """One field: its value before and after (None when the field was not there)."""

    field: str
    before: Shown | None
    after: Shown | None


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"{n} {word}"
    return f"{n} {word[:-1]}ies" if word.endswith("y") else f"{n} {word}s"


def _scalar(value: Any) -> str:
    if value is None or value == "":
        return NOTHING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str) and HASH.match(value):
        return value[:12] + "…"
    return str(value)


def _periods(names: list[str]) -> Shown:
    """Periods in time order, kind by kind: "15 periods: 11 months 2026-01 … 2026-11; 4 ..."."""
    by_kind: dict[str, list[str]] = {}
    for name in names:
        by_kind.setdefault(kind_of(name), []).append(name)
    parts, full = [], []
    for kind in KINDS:
        mine = sorted(by_kind.get(kind, []), key=lambda n: parse_period(n).start)
        if not mine:
            continue
        full += mine
        span = mine[0] if len(mine) == 1 else f"{mine[0]} … {mine[-1]}"
        parts.append(span if len(by_kind) == 1 else f"{_plural(len(mine), kind)} {span}")
    head = f"{_plural(len(names), 'period')}: {'; '.join(parts)}"
    return Shown(head, tuple(full)) if len(names) > SHORT_LIST else Shown(", ".join(full))


def _one_line(value: Any) -> str:
    """A value inside a list or mapping, on one line."""
    if isinstance(value, dict):
        return ", ".join(f"{_label(k)} {_one_line(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_one_line(v) for v in value) or NOTHING
    return _scalar(value)


def shown(value: Any) -> Shown:
    """`value` in words: lists and mappings counted and summarised when long, text shortened."""
    if isinstance(value, list):
        items = [_one_line(v) for v in value]
        if not items:
            return Shown("none")
        if all(isinstance(v, str) and PERIOD.match(v) for v in value):
            return _periods(list(value))
        if len(items) <= SHORT_LIST and all(len(i) <= 24 for i in items):
            return Shown(", ".join(items))
        return Shown(f"{_plural(len(items), 'item')}: {items[0]} … {items[-1]}", tuple(items))
    if isinstance(value, dict):
        items = [f"{_label(k)}: {_one_line(v)}" for k, v in value.items()]
        inline = "; ".join(items)
        if len(inline) <= LONG_TEXT:
            return Shown(inline or "none")
        return Shown(f"{_plural(len(items), 'entry')}", tuple(items))
    text = _scalar(value)
    if "\n" in text or len(text) > LONG_TEXT:
        lines = tuple(text.splitlines())
        return Shown(f"{lines[0][:40]}… ({_plural(len(lines), 'line')})", lines)
    return Shown(text)


def _label(key: Any) -> str:
    return str(key).replace("_", " ")


def _as_fields(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    return {"value": value}


def changes(before: Any, after: Any) -> list[Change]:
    """The fields that differ between `before` and `after`, in the order they were written."""
    old, new = _as_fields(before), _as_fields(after)
    keys = list(old) + [k for k in new if k not in old]
    out = []
    for key in keys:
        if (
            key in old
            and key in new
            and json.dumps(old[key], sort_keys=True, default=str)
            == (json.dumps(new[key], sort_keys=True, default=str))
        ):
            continue
        out.append(
            Change(
                _label(key),
                shown(old[key]) if key in old else None,
                shown(new[key]) if key in new else None,
            )
        )
    return out
