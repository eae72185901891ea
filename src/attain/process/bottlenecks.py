"""Bottlenecks: where cases wait, ranked by the total time the waiting adds.

The log's typical wait is the median wait of all its transitions. A transition adds, each time a
case takes it, the part of its wait above that typical wait; its `time_added_s` is the sum over
every time it was taken. A step that waits a little longer than usual on every case outranks
one that waits very long on a handful, and a step no slower than usual adds nothing.

With `by="activity"` the unit is the wait before an activity, whatever the case came from (the
tickets' "wait before resolved" is then one bottleneck, not one per preceding step).

When cases have amounts, each bottleneck also carries the value waiting there: `value` (the
amounts of the cases that went through it) and `value_days` (each wait in days times its case's
amount: a 10,000 USD deal stuck for 3 days is 30,000 USD-days), and `rank="value"` ranks by it.

>>> bottlenecks(log, limit=1)[0].target  # doctest: +SKIP
'investigating'
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Literal

import ibis
from ibis import _

from attain.process.discovery import Waiting, waits
from attain.process.log import EventLog

if TYPE_CHECKING:
    from attain.process.calendar import WorkCalendar

Unit = Literal["transition", "activity"]
Rank = Literal["time", "value"]
CENT = Decimal("0.01")
DAY_S = 86_400


@dataclass(frozen=True)
class Bottleneck:
    """One place cases wait: a transition (source -> target) or, by activity, the wait before
    `target` (source None)."""

    source: str | None
    target: str
    events: int
    cases: int
    wait_median_s: float
    wait_mean_s: float
    wait_total_s: float
    time_added_s: float
    """Sum over each time taken of max(0, wait - typical_wait_s)."""
    typical_wait_s: float
    """The median wait over all the log's transitions (the same for every bottleneck)."""
    value: Decimal | None
    """Sum of the amounts of the cases that waited here, in `currency`; None without amounts."""
    value_days: Decimal | None
    """Sum of (days waited x case amount), in currency-days; None without amounts."""
    currency: str | None
    waiting: str
    """"elapsed" (calendar time) or "business" (working time by the case's calendar)."""


def case_waits(
    log: EventLog,
    *,
    waiting: Waiting = "elapsed",
    calendars: dict[str, WorkCalendar] | None = None,
) -> ibis.Table:
    """The log's transitions with `wait_s` on the chosen clock, and each case's amount and
    owner joined on."""
    pairs = waits(log, waiting=waiting, calendars=calendars)
    cases = log.cases.select("case_id", "amount", "owner")
    return pairs.left_join(cases, "case_id").select(pairs, "amount", "owner")


def bottlenecks(
    log: EventLog,
    *,
    waiting: Waiting = "elapsed",
    calendars: dict[str, WorkCalendar] | None = None,
    limit: int | None = 20,
    by: Unit = "transition",
    rank: Rank = "time",
) -> list[Bottleneck]:
    """The places cases wait, the most time added first (or the most value-days, by value)."""
    if by not in ("transition", "activity"):
        raise ValueError(f"bottlenecks are ranked by transition or activity, not {by!r}")
    if rank not in ("time", "value"):
        raise ValueError(f"bottlenecks are ranked by time or value, not {rank!r}")
    t = case_waits(log, waiting=waiting, calendars=calendars)
    typical = t.wait_s.median().execute()
    if typical is None or typical != typical:
        return []
    typical = float(typical)
    keys = ["source", "target"] if by == "transition" else ["target"]
    timed = t.mutate(
        excess_s=ibis.greatest(t.wait_s - typical, 0.0),
        amount_days=(t.amount * (t.wait_s / DAY_S).cast("decimal(18, 6)")).cast("decimal(38, 6)"),
    )
    # Per case first (one row per case and place), so cases and their value count once.
    per_case = timed.group_by([*keys, "case_id"]).aggregate(
        events=_.count(),
        wait_total_s=_.wait_s.sum(),
        time_added_s=_.excess_s.sum(),
        value_days=_.amount_days.sum(),
        amount=_.amount.max(),
    )
    totals = per_case.group_by(keys).aggregate(
        events=_.events.sum(),
        cases=_.count(),
        wait_total_s=_.wait_total_s.sum(),
        time_added_s=_.time_added_s.sum(),
        value_days=_.value_days.sum(),
        value=_.amount.sum(),
    )
    medians = timed.group_by(keys).aggregate(wait_median_s=_.wait_s.median())
    table = totals.join(medians, keys).select(totals, "wait_median_s")
    order = ["time_added_s"] if rank == "time" else ["value_days", "time_added_s"]
    table = table.order_by([*(ibis.desc(c) for c in order), *keys])
    if limit is not None:
        table = table.limit(limit)
    money = log.currency is not None
    return [
        Bottleneck(
            source=r.get("source"),
            target=r["target"],
            events=int(r["events"]),
            cases=int(r["cases"]),
            wait_median_s=float(r["wait_median_s"]),
            wait_mean_s=float(r["wait_total_s"]) / int(r["events"]),
            wait_total_s=float(r["wait_total_s"]),
            time_added_s=float(r["time_added_s"]),
            typical_wait_s=typical,
            value=_cents(r["value"]) if money else None,
            value_days=_cents(r["value_days"]) if money else None,
            currency=log.currency,
            waiting=waiting,
        )
        for r in table.to_pyarrow().to_pylist()
    ]


def cases_of_bottleneck(
    log: EventLog,
    b: Bottleneck,
    *,
    limit: int = 200,
    calendars: dict[str, WorkCalendar] | None = None,
) -> list[dict[str, Any]]:
    """The cases behind a bottleneck, the longest wait first: case_id, source, wait_s,
    source_at, target_at, amount, owner (one row per time a case waited there)."""
    t = case_waits(log, waiting=b.waiting, calendars=calendars)  # type: ignore[arg-type]
    found = t.filter(t.target == b.target)
    if b.source is not None:
        found = found.filter(found.source == b.source)
    found = (
        found.select("case_id", "source", "wait_s", "source_at", "target_at", "amount", "owner")
        .order_by([ibis.desc("wait_s"), "case_id", "source_at"])
        .limit(limit)
    )
    rows: list[dict[str, Any]] = found.to_pyarrow().to_pylist()
    for r in rows:
        r["amount"] = _cents(r["amount"]) if r["amount"] is not None else None
    return rows


def _cents(amount: Any) -> Decimal | None:
    """A money total to cents (half away from zero); 0 when no case had an amount."""
    if amount is None:
        return Decimal("0.00")
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
