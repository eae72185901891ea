"""Traces as JSON: built column-wise in DuckDB for many lines, parsed back for a few.

A trace is kept as one JSON object per line (the `LineTrace` fields that apply, money as decimal
strings, `credit_ids` kept apart as a list column). Building it with SQL over the component's
Arrow rows costs milliseconds for a hundred thousand lines, where one Python object per line
costs seconds; `trace_from_json` turns it back into a `LineTrace` when a line is looked at.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from attain.comp.engine.trace import LineTrace, TierSlice
from attain.comp.language.compile import CompiledComponent

_DECIMALS = {
    "measure_value",
    "quota",
    "quota_amount",
    "quota_rate",
    "attainment",
    "rate",
    "target",
    "curve_multiple",
    "bonus",
    "earned",
    "cap",
    "paid_before",
    "draw_amount",
    "draw_earnings",
    "draw_balance_before",
    "draw_balance_after",
}


def _plain(value: Any) -> Any:
    """JSON-ready: Decimal and dates as strings (money stays exact), tuples as lists."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def trace_json(trace: LineTrace, *, credit_ids: bool = True) -> str:
    """A trace as JSON, without the fields that do not apply to the line (Python, one line)."""
    data = {
        k: v
        for k, v in dataclasses.asdict(trace).items()
        if v not in (None, (), []) and (credit_ids or k != "credit_ids")
    }
    return json.dumps(_plain(data), separators=(",", ":"))


def _lit(value: Any) -> str:
    """A JSON text literal as a SQL string literal."""
    text = json.dumps(_plain(value), separators=(",", ":"))
    return "'" + text.replace("'", "''") + "'"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _dec(column: str) -> str:
    """A decimal column as a JSON string, NULL when NULL."""
    return f"to_json(CAST({_q(column)} AS VARCHAR))"


def _field(key: str, json_sql: str) -> str:
    """`"key":<value>`, NULL (skipped by concat_ws) when the value is NULL."""
    return f"({_lit(key)[:-1]}:' || {json_sql})"


def trace_sql(cc: CompiledComponent, columns: Sequence[str]) -> str:
    """A DuckDB expression for the trace JSON of a component's rows (see `pay.component_table`).

    The keys and their order are those of `LineTrace` (as `trace_json` writes them), less
    `credit_ids`; NULL values and empty lists are left out.
    """
    c = cc.component
    have = set(columns)
    parts: list[str] = [_field("kind", _lit(c.kind)), _field("window", _lit(c.window))]
    if c.measure is not None:
        parts.append(_field("measure", _lit(c.measure)))
    parts += [_field("measure_value", _dec("measure")), _field("quota", _dec("quota"))]
    if "quota_currency" in have:
        parts.append(_field("quota_amount", _dec("quota_amount")))
        parts.append(_field("quota_currency", f"to_json({_q('quota_currency')})"))
        parts.append(_field("quota_rate", _dec("quota_rate")))
        parts.append(_field("quota_rate_month", f"to_json({_q('quota_rate_month')})"))
    parts.append(_field("attainment", _dec("attainment")))
    if c.rate is not None:
        parts.append(_field("rate", _lit(c.rate)))
    if c.tiers is not None:
        parts.append(_field("tier_mode", _lit(c.tier_mode)))
        slices = []
        for i, t in enumerate(c.tiers):
            quantity = _dec(f"tier_quantity_{i}") if f"tier_quantity_{i}" in have else None
            amount = _dec(f"tier_pay_{i}") if f"tier_pay_{i}" in have else None
            slices.append(
                "'{' || concat_ws(',', "
                + ", ".join(
                    [
                        _field("index", _lit(i)),
                        _field("from_", _lit(t.from_)),
                        f"'\"lower\":' || coalesce({_dec(f'tier_lower_{i}')}, 'null')",
                        _field("rate", _lit(t.rate)),
                        f"'\"quantity\":' || coalesce({quantity or 'NULL'}, 'null')",
                        f"'\"amount\":' || coalesce({amount or 'NULL'}, 'null')",
                    ]
                )
                + ") || '}'"
            )
        parts.append(_field("tiers", "'[' || " + " || ',' || ".join(slices) + " || ']'"))
    if "tier_reached" in have:
        parts.append(_field("tier_reached", 'CAST("tier_reached" AS VARCHAR)'))
    if c.target is not None:
        parts.append(_field("target", _lit(c.target)))
    if "curve_multiple" in have:
        parts.append(_field("curve_multiple", _dec("curve_multiple")))
    if c.amount is not None:
        parts.append(_field("bonus", _lit(c.amount)))
    parts.append(_field("earned", _dec("earned")))
    if c.gate is not None:
        parts.append(_field("gate", _lit(c.gate)))
    parts.append(_field("gate_passed", "CASE WHEN \"gate\" THEN 'true' ELSE 'false' END"))
    inputs = [name for name in columns if name.startswith("gate_input:")]
    if inputs:
        pairs = [
            f"'[' || {_lit(n.removeprefix('gate_input:'))} || ',' || coalesce({_dec(n)}, 'null')"
            " || ']'"
            for n in inputs
        ]
        parts.append(_field("gate_inputs", "'[' || " + " || ',' || ".join(pairs) + " || ']'"))
    if c.cap is not None:
        parts.append(_field("cap", _lit(c.cap)))
        applied = 'coalesce("capped" < "earned", false)'
        parts.append(_field("cap_applied", f"CASE WHEN {applied} THEN 'true' ELSE 'false' END"))
    else:
        parts.append(_field("cap_applied", "'false'"))
    parts.append(_field("paid_before", _dec("paid_before")))
    return "'{' || concat_ws(',', " + ", ".join(parts) + ") || '}'"


def trace_from_json(text: str, credit_ids: Sequence[str] | None = None) -> LineTrace:
    """The `LineTrace` a trace JSON was written from (with the line's credit ids)."""
    data: dict[str, Any] = json.loads(text)
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in _DECIMALS:
            out[key] = None if value is None else Decimal(value)
        elif key == "tiers":
            out[key] = tuple(
                TierSlice(
                    index=int(s["index"]),
                    from_=Decimal(s["from_"]),
                    lower=Decimal(s["lower"]),
                    rate=Decimal(s["rate"]),
                    quantity=None if s.get("quantity") is None else Decimal(s["quantity"]),
                    amount=None if s.get("amount") is None else Decimal(s["amount"]),
                )
                for s in value
            )
        elif key == "gate_inputs":
            out[key] = tuple((k, None if v is None else Decimal(v)) for k, v in value)
        elif key == "credit_ids":
            out[key] = tuple(value)
        else:
            out[key] = value
    if credit_ids:
        out["credit_ids"] = tuple(credit_ids)
    return LineTrace(**out)
