"""Variants: the distinct paths cases take, each with how many cases take it, how long they take
and what they are worth.

A case's path is its activities in `(at, position)` order, built in the database as an array;
cases are grouped by it there too. Throughput time is first event to last event.

>>> import pyarrow as pa, datetime as dt
>>> from attain.process.log import from_arrow
>>> log = from_arrow("demo", pa.table({"case_id": ["c1", "c1"], "activity": ["Open", "Close"],
...     "at": [dt.datetime(2026, 1, 5, 9), dt.datetime(2026, 1, 5, 10)]}))
>>> variants(log).variants[0].activities
('Open', 'Close')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import pyarrow as pa

from attain.process.cases import case_paths, case_summary
from attain.process.log import AMOUNT, EventLog
from attain.process.transitions import seconds_between


@dataclass(frozen=True)
class Variant:
    """One path through the process and the cases that take it."""

    activities: tuple[str, ...]
    cases: int
    share: float
    """Of all the log's cases (0..1)."""
    throughput_median_s: float
    throughput_mean_s: float
    value: Decimal | None
    """Sum of its cases' amounts, in the log's currency; None when the log has no amounts."""


@dataclass(frozen=True)
class VariantSet:
    """A log's variants, most frequent first (`variants` may be cut to a limit)."""

    log: str
    total_cases: int
    total_variants: int
    variants: tuple[Variant, ...]
    currency: str | None


def activity_codes(log: EventLog) -> dict[str, int]:
    """Each activity's number, in name order (paths are grouped as lists of these small
    numbers, a third cheaper than lists of names): one scan for the few distinct names."""
    names = log.events.select("activity").distinct().to_pyarrow().column(0).to_pylist()
    return {name: code for code, name in enumerate(sorted(names))}


def _coded(log: EventLog, codes: dict[str, int]) -> ibis.Table:
    """The events with their activity's `code`, joined from a small table of the codes."""
    table = ibis.memtable(
        pa.table(
            {
                "activity": pa.array(list(codes), pa.string()),
                "code": pa.array(codes.values(), pa.int32()),
            }
        )
    )
    return log.events.join(table, "activity")


def _case_rows(log: EventLog, codes: dict[str, int]) -> ibis.Table:
    """case_id, path (activity codes), throughput_s and amount per case: one aggregation over
    the events (and a join of the amounts, for logs that have them). Its ordered array is
    nearly all of the variants' time, and still the cheapest exact path measured: strings of
    the codes, lists of names and a windowed step number all cost more."""
    e = _coded(log, codes)
    by_case = e.group_by("case_id").aggregate(
        path=e.code.collect(order_by=[e.at, e.position]),
        first_at=e.at.min(),
        last_at=e.at.max(),
    )
    throughput = seconds_between(by_case.first_at, by_case.last_at)
    if log.currency is None:
        return by_case.select("case_id", "path", throughput_s=throughput, amount=ibis.null(AMOUNT))
    joined = by_case.left_join(log.cases.select("case_id", "amount"), "case_id")
    return joined.select(
        "case_id",
        "path",
        throughput_s=seconds_between(joined.first_at, joined.last_at),
        amount=joined.amount,
    )


def variants(log: EventLog, *, limit: int | None = None) -> VariantSet:
    """The log's variants, most cases first (ties by path), at most `limit` of them."""
    codes = activity_codes(log)
    rows = _case_rows(log, codes)
    grouped = rows.group_by("path").aggregate(
        cases=rows.count(),
        throughput_median_s=rows.throughput_s.median(),
        throughput_mean_s=rows.throughput_s.mean(),
        value=rows.amount.sum(),
    )
    ranked = grouped.mutate(
        total_cases=grouped.cases.sum().over(), total_variants=grouped.cases.count().over()
    ).order_by(ibis.desc("cases"), "path")
    if limit is not None:
        ranked = ranked.limit(limit)
    found = ranked.to_pyarrow().to_pylist()
    name_of = {code: name for name, code in codes.items()}
    for r in found:
        r["path"] = [name_of[c] for c in r["path"]]
    if found:
        total_cases, total_variants = int(found[0]["total_cases"]), int(found[0]["total_variants"])
    else:
        total_cases = total_variants = 0
    found.sort(key=lambda r: (-r["cases"], r["path"]))
    return VariantSet(
        log=log.name,
        total_cases=total_cases,
        total_variants=total_variants,
        variants=tuple(_variant(r, total_cases, log.currency) for r in found),
        currency=log.currency,
    )


def _variant(row: dict[str, Any], total_cases: int, currency: str | None) -> Variant:
    value = row["value"]
    return Variant(
        activities=tuple(row["path"]),
        cases=int(row["cases"]),
        share=int(row["cases"]) / total_cases if total_cases else 0.0,
        throughput_median_s=float(row["throughput_median_s"]),
        throughput_mean_s=float(row["throughput_mean_s"]),
        value=None if currency is None else (value if value is not None else Decimal(0)),
    )


def variant_cases(log: EventLog, activities: Sequence[str]) -> ibis.Table:
    """The ids (`case_id`) of the cases whose path is exactly `activities`."""
    paths = case_paths(log)
    wanted = ibis.literal(list(activities), type=dt.Array(dt.string))
    return paths.filter(paths.path == wanted).select("case_id")


def cases_of_variant(
    log: EventLog, activities: Sequence[str], *, limit: int = 200
) -> list[dict[str, Any]]:
    """The cases that take a variant, slowest first: case_id, throughput_s, first_at, last_at,
    amount, owner."""
    summary = case_summary(log).semi_join(variant_cases(log, activities), "case_id")
    joined = summary.left_join(log.cases.select("case_id", "amount", "owner"), "case_id")
    out = joined.select(
        case_id=joined.case_id,
        throughput_s=joined.throughput_s,
        first_at=joined.first_at,
        last_at=joined.last_at,
        amount=joined.amount,
        owner=joined.owner,
    ).order_by(ibis.desc("throughput_s"), "case_id")
    return out.limit(limit).to_pyarrow().to_pylist()  # type: ignore[no-any-return]
