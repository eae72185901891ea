"""What an expression may name: columns (credit rules, measures) or measures (gates)."""

from __future__ import annotations

from dataclasses import dataclass, field

NUMBER, STRING, DATE, BOOL, NULL, INTERVAL = "number", "string", "date", "bool", "null", "interval"


def type_of(dtype: object) -> str:
    """The plan language's type of an Ibis data type."""
    d = dtype  # ibis.expr.datatypes.DataType
    if d.is_numeric():  # type: ignore[attr-defined]
        return NUMBER
    if d.is_string():  # type: ignore[attr-defined]
        return STRING
    if d.is_date() or d.is_timestamp():  # type: ignore[attr-defined]
        return DATE
    if d.is_boolean():  # type: ignore[attr-defined]
        return BOOL
    if d.is_null():  # type: ignore[attr-defined]
        return NULL
    return str(d)


@dataclass(frozen=True)
class Scope:
    """Names an expression may use, with their types, and which functions apply here.

    `place` says where the expression stands (`plan ae, credit rule owner, value`), `noun` what
    its names are (`column`, `measure`) and `within` where they live (` in table deals`).
    """

    place: str
    noun: str
    names: dict[str, str]
    within: str = ""
    measures: frozenset[str] = field(default_factory=frozenset)  # for attainment(m)
    has_people: bool = False  # manager_of(x) needs table people with a manager column
