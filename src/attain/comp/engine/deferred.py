"""What a calculation leaves until asked: the credits, each line's credit ids, its trace text.

Exporting every credit and collecting a list of ids per line cost more than paying the lines, and
many callers (totals, simulations, verification, benchmarks) never read them. So `calculate`
keeps the plan's credits in a temporary table (or, on DuckDB when one measure reads them once,
as the unexecuted query, so DuckDB builds only the columns the measure reads) and the id queries
unexecuted; `Result` runs them on first use. They need the backend connection `calculate` was
given: a `Result` is valid while that connection is open and the tables it read are unchanged
(`Result.materialise()` first, to keep it usable after closing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import ibis
import pyarrow as pa

from attain.comp.engine.fetch import to_arrow
from attain.comp.engine.lines import TraceSource, line_ids, trace_texts
from attain.comp.engine.result import CREDITS_SCHEMA
from attain.comp.engine.scratch import scratch

KEYS = ("plan", "component", "payee", "period")


@dataclass
class Deferred:
    """Per plan, its credits (a temporary table) and per component the unexecuted id rows."""

    con: ibis.BaseBackend
    credits: list[ibis.Table] = field(default_factory=list)
    ids: list[tuple[str, str, Callable[[], ibis.Table]]] = field(default_factory=list)
    """Per component: plan, component, and how to build the query of its id rows."""
    temporary: list[str] = field(default_factory=list)
    traces: list[TraceSource] = field(default_factory=list)  # component rows, by block

    def trace_texts(self, lines: pa.Table) -> pa.ChunkedArray:
        """Each line's trace JSON, written from the figures its component's rows hold."""
        return trace_texts(lines, self.traces)

    def credit_rows(self) -> pa.Table:
        """Every plan's credits as Arrow (CREDITS_SCHEMA), plan by plan."""
        parts = [to_arrow(self.con, c, CREDITS_SCHEMA) for c in self.credits]
        return pa.concat_tables(parts) if parts else CREDITS_SCHEMA.empty_table()

    def credit_count(self) -> int:
        """How many credits, counted in the backend (nothing exported)."""
        return sum(int(c.count().to_pyarrow().as_py()) for c in self.credits)

    def credit_ids(self, lines: pa.Table) -> pa.ChunkedArray:
        """The credit ids of each of `lines` (in their order; draws keep theirs): one query per
        component, matched to the lines by plan, component, payee and period, by position."""
        local = scratch()
        try:
            found = []
            for plan, component, rows in self.ids:
                got = line_ids(local, to_arrow(self.con, rows()))
                n = got.num_rows
                found.append(
                    got.add_column(0, "plan", pa.array([plan] * n, pa.string())).add_column(
                        1, "component", pa.array([component] * n, pa.string())
                    )
                )
            kept = lines.column("credit_ids")
            if not found:
                return kept
            ids = pa.concat_tables(
                [f.select([*KEYS, "credit_ids"]).cast(_IDS_SCHEMA) for f in found]
            )
            local.register("_ids", ids.select(list(KEYS)).append_column("_j", _positions(ids)))
            local.register(
                "_lines", lines.select(list(KEYS)).append_column("_i", _positions(lines))
            )
            # Only positions go through DuckDB; the id lists are taken by position, in Arrow.
            order = local.sql(
                f"""SELECT coalesce(_j, {ids.num_rows} + _i) AS _k FROM _lines
                    LEFT JOIN _ids USING ({", ".join(KEYS)}) ORDER BY _i"""
            ).to_arrow_table()
        finally:
            local.close()
        both = pa.chunked_array(
            [
                *ids.column("credit_ids").chunks,
                *kept.cast(_IDS_SCHEMA.field("credit_ids").type).chunks,
            ],
            _IDS_SCHEMA.field("credit_ids").type,
        )
        return both.take(order.column("_k"))

    def drop(self) -> None:
        """Drop the temporary tables (they also go when the connection closes)."""
        for name in self.temporary:
            self.con.drop_table(name, force=True)
        self.temporary.clear()


_IDS_SCHEMA = pa.schema(
    [
        ("plan", pa.string()),
        ("component", pa.string()),
        ("payee", pa.string()),
        ("period", pa.string()),
        ("credit_ids", pa.list_(pa.string())),
    ]
)


def _positions(table: pa.Table) -> pa.Array:
    return pa.array(range(table.num_rows), pa.int64())
