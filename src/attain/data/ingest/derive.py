"""Columns a file lacks, computed from the columns it has: a small, closed set of derivations.

A mapping's `derive` section gives each derived table column one of:

- a plain value: a constant (`currency: GBP`);
- `{column: Name}`: a file column as it is;
- `{from: Name, values: {a: b, ...}, default: x}`: a file column's values looked up (exact, or
  with `ignore_case: true`); a value not listed becomes `default` (blank without one);
- `{multiply: [A, B]}`: the exact decimal product of two or three columns (`Quantity * UnitPrice`);
- `{number_within: Name}` (or a list of names): the row's position, 1, 2, 3..., among the rows
  with the same values of those columns, in file order;
- `{join: [A, {number_within: A}], with: "-"}`: parts joined by a separator.

Inside `multiply`, `join` and `number_within` a name is a file column. Nothing is evaluated as
code; each derivation is vectorised over a batch, and bad inputs are reported on their row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from attain.data.ingest.problems import SpecError
from attain.data.ingest.target import MONEY_SCALE
from attain.data.ingest.values import PLAIN_DECIMAL, canonical_decimal, decimal_parts

FACTOR = pa.decimal256(24, MONEY_SCALE)
MAX_FACTORS = 3
KINDS = ("column", "from", "multiply", "number_within", "join")


@dataclass
class Derived:
    """A derived column's text for a batch, and the rows whose inputs were bad."""

    values: pa.Array
    problems: list[tuple[pa.Array, str, str]] = field(default_factory=list)
    """(mask, file column, reason with {value})."""


NumberText = Callable[[pa.Array], tuple[pa.Array, pa.Array, str]]
"""Numbers as the store reads them, the rows written against the file's convention, and why."""


@dataclass
class Inputs:
    """A batch's file columns (trimmed text, null when blank) by file column name, how the file
    writes numbers, and what derivations remember between the batches of one import."""

    by_name: dict[str, pa.Array]
    count: int
    numbers: NumberText
    memory: dict[int, dict[tuple[Any, ...], int]]

    def column(self, name: str) -> pa.Array:
        return self.by_name[name]

    def rows(self) -> int:
        return self.count


class Derivation(Protocol):
    """One derived column: the file columns it reads, and its values for a batch."""

    def columns(self) -> list[str]:
        """The file columns it reads."""
        ...

    def evaluate(self, inputs: Inputs) -> Derived: ...


@dataclass(frozen=True)
class Constant:
    """The same value on every row (`currency: GBP`)."""

    value: str

    def columns(self) -> list[str]:
        return []

    def evaluate(self, inputs: Inputs) -> Derived:
        return Derived(pa.array([self.value] * inputs.rows(), pa.string()))


@dataclass(frozen=True)
class Copy:
    """A file column as it is, for a second table column from one file column."""

    name: str

    def columns(self) -> list[str]:
        return [self.name]

    def evaluate(self, inputs: Inputs) -> Derived:
        return Derived(inputs.column(self.name))


@dataclass(frozen=True)
class Lookup:
    """A file column's values looked up, so a country names its desk."""

    name: str
    values: tuple[tuple[str, str | None], ...]
    default: str | None = None
    ignore_case: bool = False

    def columns(self) -> list[str]:
        return [self.name]

    def evaluate(self, inputs: Inputs) -> Derived:
        text = inputs.column(self.name)
        found, replaced = lookup(text, self.values, self.ignore_case)
        default = pa.scalar(self.default, pa.string())
        return Derived(pc.if_else(found, replaced, default))


def lookup(
    text: pa.Array, values: tuple[tuple[str, str | None], ...], ignore_case: bool
) -> tuple[pa.Array, pa.Array]:
    """Which rows' values are listed, and what each listed value becomes."""
    keys = [old.lower() if ignore_case else old for old, _ in values]
    compared = pc.utf8_lower(text) if ignore_case else text
    index = pc.index_in(compared, value_set=pa.array(keys, pa.string()))
    found = pc.fill_null(pc.is_valid(index), False)
    replaced = pa.array([new for _, new in values], pa.string()).take(index)
    return found, replaced


@dataclass(frozen=True)
class Multiply:
    """The exact product of decimal columns (`Quantity * UnitPrice`), in Arrow decimals."""

    names: tuple[str, ...]
    label: str

    def columns(self) -> list[str]:
        return list(self.names)

    def evaluate(self, inputs: Inputs) -> Derived:
        problems: list[tuple[pa.Array, str, str]] = []
        product: pa.Array | None = None
        for name in self.names:
            text, misread, why = inputs.numbers(inputs.column(name))
            problems.append((misread, name, why))
            plain = pc.fill_null(pc.match_substring_regex(text, PLAIN_DECIMAL), False)
            parts = decimal_parts(pc.if_else(plain, text, pa.scalar(None, pa.string())))
            fits = pc.and_(
                pc.fill_null(pc.less_equal(parts.places, MONEY_SCALE), False),
                pc.fill_null(pc.less_equal(parts.whole_digits, 24 - MONEY_SCALE), False),
            )
            usable = pc.and_(plain, fits)
            bad = pc.and_(pc.is_valid(text), pc.invert(usable))
            problems.append(
                (bad, name, f"{{value}} is not a plain decimal number, so {self.label} is blank")
            )
            factor = pc.cast(
                pc.if_else(usable, parts.canonical, pa.scalar(None, pa.string())), FACTOR
            )
            product = factor if product is None else pc.multiply(product, factor)
        assert product is not None
        return Derived(canonical_decimal(_plain_text(pc.cast(product, pa.string()))), problems)


def _plain_text(text: pa.Array) -> pa.Array:
    """Arrow writes some decimals in exponent form (`0E-12`); those are written out plainly."""
    exponent = pc.fill_null(pc.match_substring(text, "E"), False)
    if not pc.any(exponent).as_py():
        return text
    plain = [format(Decimal(v), "f") if v is not None and "E" in v else v for v in text.to_pylist()]
    return pa.array(plain, pa.string())


@dataclass(frozen=True)
class NumberWithin:
    """Row numbers within groups, counted across the batches of one import."""

    names: tuple[str, ...]

    def columns(self) -> list[str]:
        return list(self.names)

    def evaluate(self, inputs: Inputs) -> Derived:
        """Vectorised: a stable sort by group gives each row its rank within the batch, and the
        counts remembered from earlier batches are added on."""
        parts = [inputs.column(n) for n in self.names]
        present = pc.is_valid(parts[0])
        for part in parts[1:]:
            present = pc.and_(present, pc.is_valid(part))
        key = parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, "\x1f")
        encoded = pc.dictionary_encode(key)
        codes = pc.fill_null(encoded.indices, -1).to_numpy().astype(np.int64)
        names = encoded.dictionary.to_pylist()
        counts = inputs.memory.setdefault(id(self), {})
        before = np.array([counts.get((n,), 0) for n in names] + [0], np.int64)  # [-1]: blank
        order = np.argsort(codes, kind="stable")
        ordered = codes[order]
        positions = np.arange(len(codes))
        starts = np.ones(len(codes), bool)
        starts[1:] = ordered[1:] != ordered[:-1]
        first = np.maximum.accumulate(np.where(starts, positions, 0))
        rank = np.empty(len(codes), np.int64)
        rank[order] = positions - first + 1
        numbers = rank + before[codes]
        seen = np.bincount(codes[codes >= 0], minlength=len(names))
        for n, extra in zip(names, seen.tolist(), strict=True):
            counts[(n,)] = counts.get((n,), 0) + extra
        text = pc.cast(pa.array(numbers, pa.int64()), pa.string())
        return Derived(pc.if_else(present, text, pa.scalar(None, pa.string())))


@dataclass(frozen=True)
class Join:
    """Parts joined by a separator, such as an invoice and its line number."""

    parts: tuple[Derivation, ...]
    separator: str

    def columns(self) -> list[str]:
        return [c for p in self.parts for c in p.columns()]

    def evaluate(self, inputs: Inputs) -> Derived:
        done = [p.evaluate(inputs) for p in self.parts]
        joined = pc.binary_join_element_wise(*[d.values for d in done], self.separator)
        return Derived(joined, [p for d in done for p in d.problems])


def parse_derivation(raw: Any, label: str) -> Derivation:
    """A derivation from its YAML form (scalars as text); `label` says where it is."""
    if isinstance(raw, str):
        return Constant(raw)
    if not isinstance(raw, dict) or not raw:
        raise SpecError(f"{label}: write a value, or one of {', '.join(KINDS)}")
    kind = next((k for k in KINDS if k in raw), None)
    if kind is None:
        raise SpecError(
            f"{label}: unknown derivation {', '.join(map(repr, raw))} (one of {', '.join(KINDS)})"
        )
    allowed = {
        "column": {"column"},
        "from": {"from", "values", "default", "ignore_case"},
        "multiply": {"multiply"},
        "number_within": {"number_within"},
        "join": {"join", "with"},
    }[kind]
    extra = [k for k in raw if k not in allowed]
    if extra:
        raise SpecError(f"{label}: {kind} takes {', '.join(sorted(allowed))}, not {extra[0]!r}")
    value = raw[kind]
    if kind == "column":
        return Copy(_name(value, label))
    if kind == "from":
        values = raw.get("values") or {}
        if not isinstance(values, dict):
            raise SpecError(f"{label}: values are lines of 'file value: table value'")
        ignore_case = str(raw.get("ignore_case", "false")).lower() in ("true", "yes")
        return Lookup(
            _name(value, label),
            tuple((str(k), None if v is None else str(v)) for k, v in values.items()),
            None if raw.get("default") is None else str(raw["default"]),
            ignore_case,
        )
    if kind == "multiply":
        names = tuple(_name(v, label) for v in _list(value, label))
        if not 2 <= len(names) <= MAX_FACTORS:
            raise SpecError(f"{label}: multiply takes 2 or 3 columns, not {len(names)}")
        return Multiply(names, label.rsplit(" ", 1)[-1])
    if kind == "number_within":
        return NumberWithin(tuple(_name(v, label) for v in _list(value, label)))
    parts = tuple(
        parse_derivation(p, label) if isinstance(p, dict) else Copy(_name(p, label))
        for p in _list(value, label)
    )
    if len(parts) < 2:
        raise SpecError(f"{label}: join takes at least two parts")
    return Join(parts, "" if raw.get("with") is None else str(raw["with"]))


def _list(value: Any, label: str) -> list[Any]:
    items = value if isinstance(value, list) else [value]
    if not items:
        raise SpecError(f"{label}: name at least one file column")
    return items


def _name(value: Any, label: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SpecError(f"{label}: {value!r} is not a file column name")
    return value
