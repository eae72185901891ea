"""The plan language's typed model: what a plan may say, validated before anything runs.

Expressions stay text here; `attain.comp.language.parser` turns them into syntax trees and
`attain.comp.language.check` types them against the tables.
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from attain.comp.limits import (
    MAX_COMPONENTS,
    MAX_CREDIT_RULES,
    MAX_DAYS,
    MAX_MEASURES,
    MAX_MULTIPLIER,
    MAX_TIERS,
    excerpt,
    number_problem,
)


def _multiplier(what: str, value: Decimal) -> None:
    if value.is_finite() and abs(value) >= MAX_MULTIPLIER:
        raise ValueError(f"{what} must be below {MAX_MULTIPLIER} (got {excerpt(str(value), 24)})")


Period = Literal["week", "month", "quarter", "year"]
Expression = str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _places(self) -> _Strict:
        """The engine carries 12 decimal places and 38 digits; a number with more places would
        be rounded silently, one with more digits would overflow (`attain.comp.limits`)."""
        for name, value in self:
            values = value if isinstance(value, tuple) else (value,)
            flat = [x for v in values for x in (v if isinstance(v, tuple) else (v,))]
            for v in flat:
                if isinstance(v, Decimal) and (problem := number_problem(v)) is not None:
                    raise ValueError(f"`{name}` {problem} ({excerpt(str(v), 24)})")
        return self


def _text(value: object) -> object:
    """Expressions written as bare numbers or booleans in YAML are still expressions."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    return value


class Splits(_Strict):
    """Credit a row once per split row (`key` equals the source row's id), value × share."""

    from_: str = Field(alias="from")
    key: str
    payee: str
    share: str


class Clawback(_Strict):
    """Reverse a credit when `date` is set within `within_days` days after the credit date."""

    date: str
    within_days: int = Field(ge=0, le=MAX_DAYS)


class Hold(_Strict):
    """Earned now, paid once the source row's `until` date is set (released in its period)."""

    until: str


class CreditRule(_Strict):
    """Which rows of `from` count for whom, when, at what value."""

    id: str = "credit"
    from_: str = Field(alias="from")
    where: Expression | None = None
    to: Expression
    value: Expression
    date: str
    currency: str | None = None
    splits: Splits | None = None
    clawback: Clawback | None = None
    hold: Hold | None = None

    coerce_expressions = field_validator("where", "to", "value", mode="before")(_text)


class Measure(_Strict):
    """An aggregate of a payee's credits over a window: a sum or a count."""

    sum: Expression | None = None
    count: bool | None = None
    where: Expression | None = None
    credit: str | None = None

    coerce_expressions = field_validator("sum", "where", mode="before")(_text)

    @model_validator(mode="after")
    def _one_aggregate(self) -> Measure:
        if (self.sum is None) == (not self.count):
            raise ValueError("a measure needs exactly one of `sum: <expression>` or `count: true`")
        return self


class Tier(_Strict):
    """A band starting at `from` (inclusive), paid at `rate`."""

    from_: Decimal = Field(alias="from")
    rate: Decimal

    @model_validator(mode="after")
    def _not_negative(self) -> Tier:
        if self.from_ < 0:
            raise ValueError(f"tier `from` must not be negative (got {self.from_})")
        if self.rate < 0:
            raise ValueError(f"tier rate must not be negative (got {self.rate})")
        _multiplier("a tier rate", self.rate)
        return self


class Component(_Strict):
    """One part of pay: exactly one of `rate`, `tiers`, `curve` (with `target`), `amount`."""

    id: str
    measure: str | None = None
    rate: Decimal | None = None
    tiers: tuple[Tier, ...] | None = Field(default=None, max_length=MAX_TIERS)
    tier_basis: Literal["amount", "attainment"] = "amount"
    tier_mode: Literal["marginal", "retroactive"] = "marginal"
    window: Literal["period", "year"] = "period"
    target: Decimal | None = None
    curve: tuple[tuple[Decimal, Decimal], ...] | None = Field(default=None, max_length=MAX_TIERS)
    amount: Decimal | None = None
    gate: Expression | None = None
    cap: Decimal | None = None

    coerce_expressions = field_validator("gate", mode="before")(_text)

    @property
    def kind(self) -> Literal["rate", "tiers", "curve", "bonus"]:
        if self.rate is not None:
            return "rate"
        if self.tiers is not None:
            return "tiers"
        if self.curve is not None:
            return "curve"
        return "bonus"

    @model_validator(mode="after")
    def _one_kind(self) -> Component:
        kinds = [k for k in ("rate", "tiers", "curve", "amount") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(
                "a component needs exactly one of `rate`, `tiers`, `curve` or `amount`"
                + (f" (got {', '.join(kinds)})" if kinds else "")
            )
        if self.rate is not None:
            _multiplier("`rate`", self.rate)
        for x, y in self.curve or ():
            _multiplier("a curve point", x)
            _multiplier("a curve point", y)
        if kinds[0] != "amount" and not self.measure:
            raise ValueError(f"a `{kinds[0]}` component needs `measure`")
        if self.tiers is not None:
            if not self.tiers:
                raise ValueError("`tiers` must list at least one tier")
            froms = [t.from_ for t in self.tiers]
            if any(b <= a for a, b in itertools.pairwise(froms)):
                raise ValueError(
                    "tiers must be sorted by `from`, strictly increasing (got "
                    + ", ".join(str(f) for f in froms)
                    + ")"
                )
        if self.curve is not None:
            if self.target is None:
                raise ValueError("a `curve` component needs `target`")
            xs = [x for x, _ in self.curve]
            if not xs or any(b <= a for a, b in itertools.pairwise(xs)) or xs[0] < 0:
                raise ValueError("curve points must start at attainment >= 0 and strictly increase")
        elif self.target is not None:
            raise ValueError("`target` only goes with `curve`")
        if self.cap is not None and self.cap < 0:
            raise ValueError(f"`cap` must not be negative (got {self.cap})")
        return self


class Draw(_Strict):
    """A guaranteed minimum per period; recoverable draws are paid back from later excess."""

    amount: Decimal = Field(ge=0)
    recoverable: bool = True


class Plan(_Strict):
    """A compensation plan: credit rules, measures, components and an optional draw."""

    id: str
    currency: str = Field(min_length=3, max_length=3)
    period: Period
    credits: tuple[CreditRule, ...] = Field(min_length=1, max_length=MAX_CREDIT_RULES)
    measures: dict[str, Measure] = Field(default_factory=dict, max_length=MAX_MEASURES)
    components: tuple[Component, ...] = Field(min_length=1, max_length=MAX_COMPONENTS)
    draw: Draw | None = None
    title: str | None = None

    @model_validator(mode="after")
    def _unique_ids(self) -> Plan:
        for what, ids in (
            ("credit rule", [r.id for r in self.credits]),
            ("component", [c.id for c in self.components]),
        ):
            dup = sorted({i for i in ids if ids.count(i) > 1})
            if dup:
                raise ValueError(f"{what} ids must be unique (repeated: {', '.join(dup)})")
        if "draw" in {c.id for c in self.components}:
            raise ValueError("`draw` is reserved for the draw line; name the component otherwise")
        return self

    def measure_in_money(self, measure: str | None) -> bool:
        """Whether a measure is money in the plan currency: it sums the credits' `value`; a count
        or a sum of units is not (shown without a currency, its quota takes none)."""
        m = self.measures.get(measure) if measure else None
        return m is not None and m.sum is not None and m.sum.strip() == "value"


class Assignment(_Strict):
    """A payee on a plan from one date to another, both inclusive; `to` may be open."""

    payee: str
    plan: str
    from_: date = Field(alias="from")
    to: date | None = None
