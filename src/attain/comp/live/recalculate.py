"""Live recalculation: when deals or orders change, pay again only the payees they touch.

The payees touched are those the changed rows credit (owner, seller, split payees) and everyone
above them in the hierarchy (roll-ups and overrides credit managers). Only the rows that can
credit those payees are read (their own and their reports' rows), the engine runs with the
assignments of those payees only, and the lines it returns are kept as live lines laid over the
published run from the changed row's period on. The next published run replaces them all.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import duckdb
import ibis
import pyarrow as pa
from sqlalchemy import Engine, delete, insert, select

from attain import clock
from attain.comp.engine import calculate
from attain.comp.engine.periods import period_of
from attain.comp.language import Assignment, Plan, load_plans
from attain.comp.live.schema import LiveLine, LivePayee
from attain.comp.runs.inputs import store_assignments, store_tables_read
from attain.comp.runs.published import shown_run
from attain.comp.runs.schema import CompRun
from attain.data.columnar import column_types
from attain.data.schema import Base, Deal, DealSplit, Order
from attain.hierarchy import all_links, closure
from attain.pay.periods import parse_period

log = logging.getLogger(__name__)

SOURCES: dict[str, tuple[Any, tuple[str, ...], str]] = {
    "deals": (Deal, ("owner",), "close_date"),
    "orders": (Order, ("seller",), "date"),
}
"""Tables whose changes are recalculated live: the columns naming who is credited, and the date."""

CHUNK = 500


@dataclass
class LiveResult:
    """What a live recalculation did: for whom, from which day, how many lines, how long."""

    payees: list[str]
    since: dt.date | None
    lines: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def run_plans(run: CompRun) -> list[Plan]:
    """The plans a run used, from the texts it recorded."""
    plans: list[Plan] = []
    seen: set[str] = set()
    for v in json.loads(run.plans):
        if v["id"] in seen:
            continue
        for plan in load_plans(v["text"]):
            if plan.id == v["id"] and plan.id not in seen:
                plans.append(plan)
                seen.add(plan.id)
    return plans


def chunks(items: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def touched(engine: Engine, table: str, ids: list[str]) -> tuple[set[str], dt.date | None]:
    """The people credited by these rows (and their splits), and the earliest date among them."""
    model, people_cols, date_col = SOURCES[table]
    payees: set[str] = set()
    dates: list[dt.date] = []
    with engine.connect() as conn:
        for some in chunks(ids):
            cols = [getattr(model, c) for c in (*people_cols, date_col)]
            for row in conn.execute(select(*cols).where(model.id.in_(some))).all():
                payees.update(p for p in row[:-1] if p)
                if row[-1] is not None:
                    dates.append(row[-1])
            if table == "deals":
                payees.update(
                    conn.execute(select(DealSplit.payee).where(DealSplit.deal.in_(some)))
                    .scalars()
                    .all()
                )
    return payees, min(dates) if dates else None


def _rows_arrow(engine: Engine, table: str, where: Any | None) -> pa.Table:
    types = column_types(engine, table)
    model = Base.metadata.tables[table]
    query = select(*[model.c[c] for c in types])
    if where is not None:
        query = query.where(where)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return pa.table(
        {
            c: pa.array([None if r[i] is None else str(r[i]) for r in rows], pa.string())
            for i, c in enumerate(types)
        }
    )


def _load(engine: Engine, con: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> None:
    types = column_types(engine, table)
    con.register("_live_load", data)
    casts = ", ".join(f'CAST("{c}" AS {t}) AS "{c}"' for c, t in types.items())
    con.execute(f'CREATE OR REPLACE TABLE "{table}" AS SELECT {casts} FROM _live_load')
    con.unregister("_live_load")


def _people_columns(table: str) -> list[str]:
    model = Base.metadata.tables.get(table)
    if model is None:
        return []
    return [c.name for c in model.columns if c.info.get("ref") == "people.id"]


def _load_for(
    engine: Engine,
    con: duckdb.DuckDBPyConnection,
    tables: list[str],
    wide: set[str],
    payees: set[str],
) -> None:
    """The rows that can credit `payees`: their own and their reports' (`wide`), whole small tables."""
    wide_list = sorted(wide)
    split_deals: set[str] = set()
    if "deal_splits" in tables:
        with engine.connect() as conn:
            for some in chunks(sorted(payees)):
                split_deals.update(
                    conn.execute(select(DealSplit.deal).where(DealSplit.payee.in_(some)))
                    .scalars()
                    .all()
                )
    loaded_deals: set[str] = set()
    for table in tables:
        if table in ("people", "fx_rates", "deal_splits") or table not in Base.metadata.tables:
            continue
        model = Base.metadata.tables[table]
        cols = _people_columns(table) or (["payee"] if table == "quotas" else [])
        if table == "quotas":
            cols = ["payee"]
        if not cols:
            _load(engine, con, table, _rows_arrow(engine, table, None))
            continue
        parts = []
        for some in chunks(wide_list if table != "quotas" else sorted(payees)):
            cond: Any = None
            for c in cols:
                term = model.c[c].in_(some)
                cond = term if cond is None else cond | term
            parts.append(_rows_arrow(engine, table, cond))
        if table == "deals" and split_deals:
            for some in chunks(sorted(split_deals)):
                parts.append(_rows_arrow(engine, table, model.c.id.in_(some)))
        data = (
            pa.concat_tables(parts)
            if parts
            else _rows_arrow(engine, table, model.c[cols[0]].in_([]))
        )
        if table == "deals":
            con.register("_d", data)
            data = con.sql("SELECT DISTINCT * FROM _d").to_arrow_table()
            con.unregister("_d")
            loaded_deals = set(data.column("id").to_pylist())
        _load(engine, con, table, data)
    if "deal_splits" in tables:
        model = Base.metadata.tables["deal_splits"]
        parts = [
            _rows_arrow(engine, "deal_splits", model.c.deal.in_(some))
            for some in chunks(sorted(loaded_deals))
        ] or [_rows_arrow(engine, "deal_splits", model.c.deal.in_([]))]
        _load(engine, con, "deal_splits", pa.concat_tables(parts))
    for table in ("people", "fx_rates"):
        if table in tables:
            _load(engine, con, table, _rows_arrow(engine, table, None))


def load_rows_of(
    engine: Engine, con: duckdb.DuckDBPyConnection, tables: list[str], payees: set[str]
) -> None:
    """The rows that can credit `payees` (theirs and their reports', at any depth) into `con`."""
    _up, down = all_links(engine)
    _load_for(engine, con, tables, closure(payees, down), payees)


def _earliest_live(engine: Engine, payees: set[str], run_id: str) -> dt.date | None:
    """The first day of the earliest period these payees already have live lines from: a new
    recalculation starts there too, so an earlier change is not dropped by a later one."""
    starts: list[dt.date] = []
    with engine.connect() as conn:
        for some in chunks(sorted(payees)):
            for key in conn.execute(
                select(LivePayee.period_from).where(
                    LivePayee.payee.in_(some), LivePayee.base_run == run_id
                )
            ).scalars():
                starts.append(parse_period(key).start)
    return min(starts) if starts else None


def recalculate(
    engine: Engine,
    payees: set[str],
    since: dt.date | None,
    until: dt.date | None = None,
    run: CompRun | None = None,
) -> LiveResult:
    """Pay `payees` again from the period holding `since` (at the earliest, and by default, the
    published run's first day) to `until` (default: today, or the run's last day when later)
    over the published run."""
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    run = run or shown_run(engine)
    if run is None or not payees:
        return LiveResult(sorted(payees), since)
    plans = run_plans(run)
    assignments: list[Assignment] = [
        a for a in store_assignments(engine, {p.id for p in plans}) if a.payee in payees
    ]
    plans = [p for p in plans if any(a.plan == p.id for a in assignments)]
    if not plans:
        return LiveResult(sorted(payees), since)
    # Live lines lay over the published run: none before its first day (a change dated earlier
    # is paid by the next run that spans it), and none dropped by a later, later-dated change.
    since = max(since or run.span_from, run.span_from)
    since = min(since, _earliest_live(engine, payees, run.id) or since)
    # Live lines replace the published ones from `since`'s period on, so they reach at least as
    # far as the published run does (and to today, when the run ends earlier).
    until = max(until or clock.today(), run.span_to, since)
    _up, down = all_links(engine)
    wide = closure(payees, down)
    raw = duckdb.connect()
    try:
        _load_for(engine, raw, store_tables_read(engine, plans), wide, payees)
        seconds["read"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        con = ibis.duckdb.from_connection(raw)
        # A draw's balance runs from the first period calculated, as in the published run: a
        # plan with a draw is calculated from the run's first day (lines kept from `since` on).
        start = run.span_from if any(p.draw is not None for p in plans) else since
        result = calculate(con, plans, assignments, start, until)
        # read the lines while the connection is open (a result may read them lazily)
        rows = [r for r in result.line_rows.to_pylist() if r["payee"] in payees]
        seconds["calculate"] = time.perf_counter() - t0
    finally:
        raw.close()
    t0 = time.perf_counter()
    starts = {p.id: period_of(since, p.period).key for p in plans}
    now = clock.now()
    with engine.begin() as conn:
        for plan in plans:
            who = sorted({a.payee for a in assignments if a.plan == plan.id})
            for some in chunks(who):
                conn.execute(
                    delete(LiveLine).where(LiveLine.plan == plan.id, LiveLine.payee.in_(some))
                )
                conn.execute(
                    delete(LivePayee).where(LivePayee.plan == plan.id, LivePayee.payee.in_(some))
                )
            if who:
                conn.execute(
                    insert(LivePayee),
                    [
                        {
                            "payee": p,
                            "plan": plan.id,
                            "period_from": starts[plan.id],
                            "base_run": run.id,
                            "computed_at": now,
                        }
                        for p in who
                    ],
                )
        kept = [
            {
                "payee": r["payee"],
                "plan": r["plan"],
                "period": r["period"],
                "component": r["component"],
                "amount": Decimal(r["amount"]),
                "trace": _with_credits(r["trace"], r["credit_ids"]),
            }
            for r in rows
            if r["period"] >= starts[r["plan"]]
        ]
        if kept:
            conn.execute(insert(LiveLine), kept)
    seconds["store"] = time.perf_counter() - t0
    return LiveResult(sorted(payees), since, len(kept), seconds)


def _with_credits(trace: str, credit_ids: list[str] | None) -> str:
    if not credit_ids:
        return trace
    # The engine collects ids in no order, a credit possibly twice: stored sorted, once each.
    return trace[:-1] + ',"credit_ids":' + json.dumps(sorted(set(credit_ids))) + "}"


def rows_changed(
    engine: Engine,
    table: str,
    ids: list[str],
    before: tuple[set[str], dt.date | None] | None = None,
) -> LiveResult:
    """Recalculate whoever the changed rows of `table` credit (and credited `before` the change,
    when an owner or date moved), and everyone above them."""
    if table not in SOURCES or not ids:
        return LiveResult([], None)
    t0 = time.perf_counter()
    credited, since = touched(engine, table, ids)
    if before is not None:
        credited |= before[0]
        dates = [d for d in (since, before[1]) if d is not None]
        since = min(dates) if dates else None
    if since is None:
        return LiveResult(sorted(credited), None)
    up, _down = all_links(engine)
    payees = closure(credited, up)
    found = time.perf_counter() - t0
    result = recalculate(engine, payees, since)
    result.seconds = {"find payees": found, **result.seconds}
    return result


def in_background(work: Callable[[], object], what: str) -> threading.Thread:
    """Run a live recalculation in a background thread (after an import of many rows); a
    failure is logged and leaves the published run shown."""

    def run() -> None:
        try:
            work()
        except Exception:
            log.exception("live recalculation after %s failed", what)

    thread = threading.Thread(target=run, name="attain-live", daemon=True)
    thread.start()
    return thread


def rows_changed_later(engine: Engine, table: str, ids: list[str]) -> threading.Thread:
    """`rows_changed` in a background thread."""
    return in_background(lambda: rows_changed(engine, table, ids), f"{table} changed")
