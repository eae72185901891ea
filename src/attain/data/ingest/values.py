"""Turning a column of text into the values the store keeps, a whole batch at a time.

Each parser returns the store-ready values (null where the input is blank or bad) and, for every
kind of bad input, a mask of the rows that have it with a reason a user can act on. The values
are exact text for money, dates and date-times (what SQLite keeps, and what PostgreSQL casts
exactly); money never passes through a binary float.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from attain.data.ingest.currencies import currency_codes
from attain.data.ingest.target import MONEY_SCALE, TargetColumn
from attain.data.ranges import AMOUNT_WHOLE_DIGITS, FIRST_DAY, LAST_DAY
from attain.data.work_hours import CLOCK, FORMATS, WORKDAYS, timezone_names

MONEY_INTEGER_DIGITS = AMOUNT_WHOLE_DIGITS
"""Whole digits of an amount the engine pays exactly (`attain.data.ranges`)."""

PLAIN_DECIMAL = r"^[+-]?(\d+(\.\d*)?|\.\d+)$"
FLOAT_NOTATION = r"(?i)^[+-]?((\d+(\.\d*)?|\.\d+)e[+-]?\d+|nan|inf|infinity)$"
WHOLE_NUMBER = r"^[+-]?\d+$"
ISO_DATE = r"^\d{4}-\d{1,2}-\d{1,2}$"
ISO_DATETIME = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?$"

Reason = str
"""A reason with `{value}` where the offending value goes."""


@dataclass(frozen=True)
class Formats:
    """How the file writes dates and date-times (ISO unless told otherwise)."""

    date: str | None = None
    datetime: str | None = None


@dataclass
class Parsed:
    """A column's store-ready values and the rows whose input was bad, by reason."""

    values: pa.Array
    problems: list[tuple[pa.Array, Reason]] = field(default_factory=list)


def _flag(mask: pa.Array) -> pa.Array:
    return pc.fill_null(mask, False)


def _blank_unless(mask: pa.Array, values: pa.Array) -> pa.Array:
    return pc.if_else(_flag(mask), values, pa.nulls(len(values), values.type))


def parse_column(raw: pa.Array, column: TargetColumn, formats: Formats) -> Parsed:
    """`raw` (trimmed text, null when blank) as the values `column` stores."""
    if column.kind == "integer":
        return parse_integers(raw, column.int_range)
    if column.kind == "money":
        return parse_money(raw)
    if column.kind == "date":
        return parse_dates(raw, formats.date)
    if column.kind == "datetime":
        return parse_datetimes(raw, formats.datetime)
    if column.currency:
        return parse_currencies(raw)
    if column.format is not None:
        return parse_formatted(raw, column.format, column.max_length)
    return parse_text(raw, column.max_length)


def parse_text(raw: pa.Array, max_length: int | None) -> Parsed:
    parsed = Parsed(raw)
    nul = _flag(pc.match_substring(raw, "\x00"))
    parsed.problems.append((nul, "{value} holds a NUL character, which no store keeps in text"))
    if max_length is not None:
        too_long = _flag(pc.greater(pc.utf8_length(raw), max_length))
        parsed.problems.append((too_long, f"{{value}} is longer than {max_length} characters"))
    return parsed


def parse_currencies(raw: pa.Array) -> Parsed:
    codes = pc.utf8_upper(raw)
    known = pc.is_in(codes, value_set=currency_codes())
    bad = _flag(pc.and_(pc.is_valid(codes), pc.invert(known)))
    reason = "{value} is not an ISO 4217 currency code (such as USD, EUR, GBP)"
    return Parsed(_blank_unless(pc.invert(bad), codes), [(bad, reason)])


def parse_formatted(raw: pa.Array, format_name: str, max_length: int | None) -> Parsed:
    """Text that must follow a work-calendar format: a timezone, weekdays or a time of day."""
    if format_name == "timezone":
        good = pc.is_in(raw, value_set=timezone_names())
    else:
        good = pc.match_substring_regex(raw, {"workdays": WORKDAYS, "clock": CLOCK}[format_name])
    bad = _flag(pc.and_(pc.is_valid(raw), pc.invert(good)))
    parsed = parse_text(_blank_unless(pc.invert(bad), raw), max_length)
    parsed.problems.append((bad, FORMATS[format_name]))
    return parsed


def parse_integers(raw: pa.Array, int_range: tuple[int, int]) -> Parsed:
    shaped = _flag(pc.match_substring_regex(raw, WHOLE_NUMBER))
    digits = pc.utf8_length(pc.replace_substring_regex(raw, r"^[+-]", ""))
    fits = pc.and_(shaped, _flag(pc.less_equal(digits, 18)))
    unsigned = pc.replace_substring_regex(raw, r"^\+", "")
    numbers = pc.cast(_blank_unless(fits, unsigned), pa.int64())
    low, high = int_range
    in_range = _flag(pc.and_(pc.greater_equal(numbers, low), pc.less_equal(numbers, high)))
    not_whole = pc.and_(pc.is_valid(raw), pc.invert(shaped))
    out_of_range = pc.and_(shaped, pc.invert(in_range))
    return Parsed(
        _blank_unless(in_range, numbers),
        [
            (not_whole, "{value} is not a whole number"),
            (out_of_range, f"{{value}} is out of range ({low:,} to {high:,})"),
        ],
    )


MONEY_PARTS = r"^(?P<sign>[+-]?)0*(?P<whole>\d*?)(?:\.(?P<fraction>\d*?)0*)?$"
"""A plain decimal split so that leading and trailing zeros fall outside the parts."""


@dataclass(frozen=True)
class DecimalParts:
    canonical: pa.Array
    whole_digits: pa.Array
    places: pa.Array


def decimal_parts(plain: pa.Array) -> DecimalParts:
    """Plain decimals written the one way the store keeps them (`+010.50` -> `10.5`,
    `-0.0` -> `0`), with their count of whole digits and of decimal places."""
    parts = pc.extract_regex(plain, MONEY_PARTS)
    sign, whole, fraction = (pc.struct_field(parts, [i]) for i in range(3))
    whole = pc.if_else(pc.equal(whole, ""), "0", whole)
    body = pc.if_else(
        pc.equal(fraction, ""), whole, pc.binary_join_element_wise(whole, fraction, ".")
    )
    negative = _flag(pc.and_(pc.equal(sign, "-"), pc.not_equal(body, "0")))
    canonical = pc.if_else(negative, pc.binary_join_element_wise("-", body, ""), body)
    return DecimalParts(canonical, pc.utf8_length(whole), pc.utf8_length(fraction))


def canonical_decimal(plain: pa.Array) -> pa.Array:
    """Plain decimals written the one way the store keeps them: `+010.50` -> `10.5`, `-0` -> `0`."""
    return decimal_parts(plain).canonical


def parse_money(raw: pa.Array) -> Parsed:
    plain = _flag(pc.match_substring_regex(raw, PLAIN_DECIMAL))
    parts = decimal_parts(_blank_unless(plain, raw))
    too_precise = _flag(pc.greater(parts.places, MONEY_SCALE))
    too_large = _flag(pc.greater(parts.whole_digits, MONEY_INTEGER_DIGITS))
    good = pc.and_(plain, pc.invert(pc.or_(too_precise, too_large)))
    parsed = Parsed(_blank_unless(good, parts.canonical))
    other = pc.and_(pc.is_valid(raw), pc.invert(plain))
    if pc.any(other).as_py():
        floating = _flag(pc.match_substring_regex(raw, FLOAT_NOTATION))
        not_decimal = pc.and_(other, pc.invert(floating))
        parsed.problems += [
            (
                floating,
                "{value} is floating-point notation, which cannot hold money exactly; "
                "write a plain decimal such as 1000 or 1234.50",
            ),
            (
                not_decimal,
                "{value} is not a plain decimal amount (digits and an optional '.', "
                "no currency signs or thousands separators)",
            ),
        ]
    parsed.problems += [
        (too_precise, f"{{value}} has more than {MONEY_SCALE} decimal places"),
        (too_large, f"{{value}} is too large (at most {MONEY_INTEGER_DIGITS} whole digits)"),
    ]
    return parsed


def _loose(text: pa.Array) -> pa.Array:
    """Text compared without leading zeros or case, so `3/1/2017` matches `03/01/2017`."""
    return pc.utf8_lower(pc.replace_substring_regex(text, r"(^|\D)0+(\d)", r"\1\2"))


def _strptime(raw: pa.Array, fmt: str, unit: str = "s") -> pa.Array:
    """Parsed with `fmt`, null unless the value is a real calendar date written that way.

    Arrow rolls impossible dates over (Feb 30 -> Mar 2); writing the result back and comparing
    catches them.
    """
    parsed = pc.strptime(raw, format=fmt, unit=unit, error_is_null=True)
    again = pc.strftime(parsed, format=fmt)
    same = _flag(pc.equal(_loose(again), _loose(raw)))
    year = pc.year(parsed)
    plausible = _flag(pc.and_(pc.greater_equal(year, 1000), pc.less_equal(year, 9999)))
    return _blank_unless(pc.and_(same, plausible), parsed)


STRICT_ISO_DATE = r"^[1-9]\d{3}-\d{2}-\d{2}$"


def _strict_iso_dates(raw: pa.Array) -> pa.Array:
    """The values already written YYYY-MM-DD (as the store keeps them) that are real dates.

    The common case, checked by one cast; a batch with an impossible date (Feb 30) falls back to
    the slower path, which finds which.
    """
    strict = _blank_unless(pc.match_substring_regex(raw, STRICT_ISO_DATE), raw)
    try:
        pc.cast(strict, pa.date32())
    except pa.ArrowInvalid:
        return pa.nulls(len(raw), pa.string())
    return strict


def _other_dates(raw: pa.Array, fmt: str | None) -> pa.Array:
    iso = _blank_unless(pc.match_substring_regex(raw, ISO_DATE), raw)
    parsed = _strptime(iso, "%Y-%m-%d")
    if fmt:
        parsed = pc.coalesce(_strptime(raw, fmt), parsed)
    return pc.cast(pc.cast(parsed, pa.date32()), pa.string())


def parse_dates(raw: pa.Array, fmt: str | None) -> Parsed:
    dates = _strict_iso_dates(raw)
    rest = pc.and_(pc.is_valid(raw), pc.is_null(dates))
    if pc.any(rest).as_py():
        dates = pc.coalesce(dates, _other_dates(_blank_unless(rest, raw), fmt))
    bad = pc.and_(pc.is_valid(raw), pc.is_null(dates))
    outside = _flag(
        pc.or_(pc.less(dates, FIRST_DAY.isoformat()), pc.greater(dates, LAST_DAY.isoformat()))
    )
    dates = _blank_unless(pc.invert(outside), dates)
    if fmt:
        reason = f"{{value}} is not a date written as {fmt} (from --date-format) or YYYY-MM-DD"
    else:
        reason = (
            "{value} is not a date written YYYY-MM-DD (for other layouts use --date-format, "
            "e.g. %m/%d/%Y)"
        )
    span = f"{{value}} is outside the days attain pays ({FIRST_DAY} to {LAST_DAY})"
    return Parsed(dates, [(bad, reason), (outside, span)])


def _iso_timestamps(iso: pa.Array) -> pa.Array:
    try:
        return pc.cast(iso, pa.timestamp("us"))
    except pa.ArrowInvalid:
        return pa.array([_one_iso_timestamp(v) for v in iso.to_pylist()], pa.timestamp("us"))


def _one_iso_timestamp(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def parse_datetimes(raw: pa.Array, fmt: str | None) -> Parsed:
    iso = _blank_unless(pc.match_substring_regex(raw, ISO_DATETIME), raw)
    stamps = _iso_timestamps(iso)
    if fmt:
        stamps = pc.coalesce(_strptime(raw, fmt, unit="us"), stamps)
    text = pc.strftime(stamps, format="%Y-%m-%d %H:%M:%S")
    bad = pc.and_(pc.is_valid(raw), pc.is_null(text))
    layout = f"{fmt} (from --datetime-format) or " if fmt else ""
    reason = f"{{value}} is not a date and time written {layout}YYYY-MM-DD HH:MM[:SS]"
    return Parsed(text, [(bad, reason)])


def looks_like(kind: str, values: pa.Array, date_format: str | None = None) -> bool:
    """Whether every non-blank value reads as `kind`; used to infer a new table's columns."""
    present = values.filter(pc.is_valid(values))
    if len(present) == 0:
        return False
    if kind == "integer":
        fine = pc.match_substring_regex(present, WHOLE_NUMBER)
        fine = pc.and_(fine, pc.invert(pc.match_substring_regex(present, r"^[+-]?0\d")))
        fine = pc.and_(fine, pc.less_equal(pc.utf8_length(present), 18))
    elif kind == "decimal":
        fine = pc.match_substring_regex(present, PLAIN_DECIMAL)
        fine = pc.and_(fine, pc.invert(pc.match_substring_regex(present, r"^[+-]?0\d")))
        parts = decimal_parts(_blank_unless(fine, present))
        fine = pc.and_(fine, pc.less_equal(parts.places, MONEY_SCALE))
        fine = pc.and_(fine, pc.less_equal(parts.whole_digits, MONEY_INTEGER_DIGITS))
    elif kind == "date":
        fine = pc.is_valid(parse_dates(present, date_format).values)
    elif kind == "datetime":
        fine = pc.is_valid(parse_datetimes(present, None).values)
    else:
        return True
    return bool(pc.all(_flag(fine)).as_py())


def trim(raw: pa.Array) -> pa.Array:
    """Values without surrounding spaces; blank becomes null (nothing written)."""
    trimmed = pc.utf8_trim_whitespace(raw)
    return pc.if_else(pc.equal(trimmed, ""), pa.nulls(len(trimmed), pa.string()), trimmed)


_VALUE = re.compile(r"\{value\}")


SHOWN_VALUE_LENGTH = 60


def reason_for(template: Reason, value: object) -> str:
    """A reason with the offending value put in, quoted (cut short when it is long)."""
    if isinstance(value, str) and len(value) > SHOWN_VALUE_LENGTH:
        value = value[: SHOWN_VALUE_LENGTH - 3] + "..."
    return _VALUE.sub(lambda _: repr(value), template)
