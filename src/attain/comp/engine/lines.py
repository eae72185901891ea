"""Lines: each component's rows become payout lines (amount, credit ids, trace), column-wise.

The backend returns one Arrow row per payee-period and component; an in-process DuckDB turns
those into lines (zero lines dropped) without a Python object per row. The rows keep every
figure of the trace; the trace's JSON text is written from them when the lines are first read
(`trace_texts`), as the credit ids are, so a calculation that only needs amounts does not pay
for formatting a hundred thousand traces. Only what carries state across periods (capped year
windows, draws) runs in Python, over payee-periods, never over credits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import duckdb
import pyarrow as pa

from attain.comp.engine.result import LINES_SCHEMA, MONEY_ARROW
from attain.comp.engine.scratch import scratch
from attain.comp.engine.settle import capped_year_increments, draws
from attain.comp.engine.trace import LineTrace
from attain.comp.engine.trace_json import trace_json, trace_sql
from attain.comp.language.compile import CompiledComponent
from attain.comp.language.model import Draw

ORDER_COLUMNS = ("seq", "component_index")
TRACE_KEYS = ("_trace_block", "_trace_row")
"""Where a line's trace figures are: which component's rows (`TraceSource`), which row."""
PAID_SCHEMA = LINES_SCHEMA.append(pa.field("_trace_block", pa.int64())).append(
    pa.field("_trace_row", pa.int64())
)
BLOCK_SCHEMA = PAID_SCHEMA.append(pa.field("seq", pa.int64())).append(
    pa.field("component_index", pa.int64())
)


@dataclass(frozen=True)
class TraceSource:
    """A component's rows from the backend: the figures its lines' traces are written from."""

    cc: CompiledComponent
    rows: pa.Table


def local() -> duckdb.DuckDBPyConnection:
    """A private in-process DuckDB connection for shaping Arrow results (whatever the backend)."""
    return scratch()


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _settle_capped_year(rows: pa.Table, cc: CompiledComponent) -> pa.Table:
    """Amount and paid-before of a capped year window, per payee over its periods."""
    keys = rows.select(["payee", "year", "seq", "gate", "earned"]).to_pylist()
    for i, r in enumerate(keys):
        r["_row"] = i
    amount: list[Decimal | None] = [None] * rows.num_rows
    before: list[Decimal | None] = [None] * rows.num_rows
    for row, paid, paid_before in capped_year_increments(keys, cc.component):
        amount[row["_row"]] = paid
        before[row["_row"]] = paid_before
    i_amount = rows.schema.get_field_index("amount")
    rows = rows.set_column(i_amount, "amount", pa.array(amount, MONEY_ARROW))
    i_before = rows.schema.get_field_index("paid_before")
    return rows.set_column(i_before, "paid_before", pa.array(before, MONEY_ARROW))


def component_lines(
    con: duckdb.DuckDBPyConnection,
    rows: pa.Table,
    plan_id: str,
    cc: CompiledComponent,
    index: int,
    first: int,
    traces: list[TraceSource],
) -> pa.Table:
    """A component's lines from periods `seq >= first` (zero amounts kept: draws count them).

    The rows are added to `traces`; each line points at its row there."""
    if cc.component.window == "year" and cc.component.cap is not None:
        rows = _settle_capped_year(rows, cc)
    # Credit ids are not collected here (the list aggregation over every credit is the
    # dearest part of a calculation): `Result` asks for them when a caller does.
    rows = rows.drop_columns(["credit_ids"])
    block = len(traces)
    traces.append(TraceSource(cc, rows))
    con.register("_rows", rows.append_column("_i", _at(rows)))
    try:
        sql = f"""SELECT payee, {_sql_text(plan_id)} AS plan, period,
                  {_sql_text(cc.component.id)} AS component,
                  CAST(amount AS DECIMAL(38, 2)) AS amount, NULL::VARCHAR[] AS credit_ids,
                  NULL::VARCHAR AS trace, {block}::BIGINT AS _trace_block, _i AS _trace_row,
                  CAST(seq AS BIGINT) AS seq, {index}::BIGINT AS component_index
                  FROM _rows WHERE seq >= {first}"""
        out = con.sql(sql).to_arrow_table()
    finally:
        con.unregister("_rows")
    return out.cast(BLOCK_SCHEMA)


def _at(table: pa.Table) -> pa.Array:
    """Row positions 0..n-1 (joins keep order by them, never by scan order)."""
    return pa.array(range(table.num_rows), pa.int64())


def trace_texts(lines: pa.Table, sources: Sequence[TraceSource]) -> pa.ChunkedArray:
    """Each line's trace JSON, in the lines' order: written from its component's row, column-wise
    in DuckDB (see `trace_sql`); lines that already have one (draws) keep it."""
    kept = lines.column("trace")
    if not sources:
        return kept
    con = scratch()
    try:
        con.register("_lines", lines.select(["trace", *TRACE_KEYS]).append_column("_n", _at(lines)))
        parts = []
        for block, source in enumerate(sources):
            name = f"_rows_{block}"
            con.register(name, source.rows.append_column("_i", _at(source.rows)))
            parts.append(
                f"SELECT {block}::BIGINT AS b, _i AS r, "
                f"{trace_sql(source.cc, source.rows.column_names)} AS t FROM {name}"
            )
        out = con.sql(
            f"""WITH written AS ({" UNION ALL ".join(parts)})
                SELECT coalesce(l.trace, w.t) AS trace FROM _lines l
                LEFT JOIN written w ON w.b = l._trace_block AND w.r = l._trace_row
                ORDER BY l._n"""
        ).to_arrow_table()
    finally:
        con.close()
    return out.column("trace")


def line_ids(con: duckdb.DuckDBPyConnection, rows: pa.Table) -> pa.Table:
    """payee, period, credit_ids from `credit_id_rows`: a line's own measure's credits, or when
    it has none (a bonus), those of the measures its gate reads."""
    gate_ids = [
        f'coalesce("{n}", CAST([] AS VARCHAR[]))'
        for n in rows.column_names
        if n.startswith("gate_ids:")
    ]
    if not gate_ids:
        return rows.select(["payee", "period", "credit_ids"])
    own = 'coalesce("credit_ids", CAST([] AS VARCHAR[]))'
    ids = f"CASE WHEN len({own}) > 0 THEN {own} ELSE flatten([{', '.join(gate_ids)}]) END"
    con.register("_ids", rows)
    try:
        return con.sql(f"SELECT payee, period, {ids} AS credit_ids FROM _ids").to_arrow_table()
    finally:
        con.unregister("_ids")


def draw_lines(
    con: duckdb.DuckDBPyConnection,
    evaluated: pa.Table,
    components: pa.Table,
    plan_id: str,
    draw: Draw,
    index: int,
) -> pa.Table:
    """Draw lines per payee-period: earnings are the period's component lines, summed."""
    con.register("_lines", components.select(["payee", "period", "amount"]))
    try:
        sums = con.sql(
            "SELECT payee, period, SUM(amount) AS e FROM _lines GROUP BY payee, period"
        ).fetchall()
    finally:
        con.unregister("_lines")
    earnings = {(p, per): e for p, per, e in sums}
    seqs = {(r["payee"], r["period"]): r["seq"] for r in evaluated.to_pylist()}
    out: dict[str, list[object]] = {name: [] for name in BLOCK_SCHEMA.names}
    for payee, period, line, e, before, after in draws(
        [(p, per, s) for (p, per), s in seqs.items()], earnings, draw
    ):
        trace = LineTrace(
            kind="draw",
            draw_amount=draw.amount,
            draw_recoverable=draw.recoverable,
            draw_earnings=e,
            draw_balance_before=before,
            draw_balance_after=after,
        )
        for name, value in (
            ("payee", payee),
            ("plan", plan_id),
            ("period", period),
            ("component", "draw"),
            ("amount", line),
            ("credit_ids", []),
            ("trace", trace_json(trace, credit_ids=False)),
            ("_trace_block", None),
            ("_trace_row", None),
            ("seq", seqs[(payee, period)]),
            ("component_index", index),
        ):
            out[name].append(value)
    return pa.table(out, schema=BLOCK_SCHEMA)


def ordered(con: duckdb.DuckDBPyConnection, blocks: Sequence[pa.Table]) -> pa.Table:
    """Non-zero lines by payee, period and component order (PAID_SCHEMA: traces to write)."""
    if not blocks:
        return PAID_SCHEMA.empty_table()
    lines = pa.concat_tables(blocks)
    keys = lines.select(["payee", "amount", *ORDER_COLUMNS])
    con.register("_keys", keys.append_column("_i", pa.array(range(lines.num_rows), pa.int64())))
    try:
        order = con.sql(
            "SELECT _i FROM _keys WHERE amount IS DISTINCT FROM 0 "
            "ORDER BY payee, seq, component_index"
        ).to_arrow_table()
    finally:
        con.unregister("_keys")
    # Only positions go through DuckDB; the lines (and their id lists) are taken once, in C++.
    out = lines.take(order.column("_i")).drop_columns(list(ORDER_COLUMNS))
    return out.cast(PAID_SCHEMA)
