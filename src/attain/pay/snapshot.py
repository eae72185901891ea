"""A run's inputs kept as it read them, so `attain comp verify` can recalculate it years later.

Each table the run read (and the plan assignments) is copied into DuckDB the way the engine
reads it, checked against the run's recorded data watermark (so the copy is exactly what the
run saw), and kept as zstd-compressed Parquet in `comp_run_inputs`.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import duckdb
from sqlalchemy import Engine, insert, select

from attain.comp.runs import tables_read
from attain.comp.runs.schema import CompRun
from attain.comp.runs.watermark import duckdb_watermark, postgres_watermark
from attain.data.columnar import load_into_duckdb
from attain.pay.errors import PayError
from attain.pay.schema import RunInput

ASSIGNMENTS = "plan_assignments"


def has_snapshot(engine: Engine, run_id: str) -> bool:
    with engine.connect() as conn:
        return (
            conn.execute(select(RunInput.run_id).where(RunInput.run_id == run_id).limit(1)).first()
            is not None
        )


def snapshot_run(engine: Engine, run: CompRun) -> int:
    """Keep the run's input tables; refuses when the data changed since the run read it."""
    from attain.pay.runs import recorded_plans

    if has_snapshot(engine, run.id):
        return 0
    tables = tables_read(recorded_plans(run))
    raw = duckdb.connect()
    try:
        load_into_duckdb(engine, raw, [*tables, ASSIGNMENTS])
        now = duckdb_watermark(raw, tables)
        then = json.loads(run.data_watermark)
        if now != then and engine.dialect.name == "postgresql":
            now = _postgres_watermark(engine, tables)  # a run pushed down into PostgreSQL
        if now != then:
            changed = sorted(t for t in tables if now.get(t) != then.get(t))
            raise PayError(
                f"run {run.id}: the data changed since it was calculated ({', '.join(changed)});"
                " its inputs cannot be kept for verify: calculate a new run"
            )
        values = []
        with tempfile.TemporaryDirectory(prefix="attain-snap-") as tmp:
            for table in [*tables, ASSIGNMENTS]:
                path = Path(tmp) / f"{table}.parquet"
                raw.execute(
                    f"COPY (SELECT * FROM \"{table}\") TO '{path}' (FORMAT parquet, COMPRESSION zstd)"
                )
                rows = raw.execute(f'SELECT count(*) FROM "{table}"').fetchone()
                values.append(
                    {
                        "run_id": run.id,
                        "table_name": table,
                        "rows": int(rows[0]) if rows else 0,
                        "parquet": path.read_bytes(),
                    }
                )
    finally:
        raw.close()
    with engine.begin() as conn:
        conn.execute(insert(RunInput), values)
    return sum(v["rows"] for v in values)  # type: ignore[misc]


def _postgres_watermark(engine: Engine, tables: list[str]) -> dict[str, dict[str, int | str]]:
    with engine.connect() as c, c.connection.dbapi_connection.cursor() as cur:  # type: ignore[union-attr]
        return postgres_watermark(cur, tables)


def load_snapshot(
    engine: Engine, run_id: str, con: duckdb.DuckDBPyConnection, tables: set[str] | None = None
) -> list[str]:
    """Create the run's kept tables in `con` (all of them, or those named); returns their names."""
    query = select(RunInput.table_name, RunInput.parquet).where(RunInput.run_id == run_id)
    if tables is not None:
        query = query.where(RunInput.table_name.in_(sorted(tables)))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    if not rows:
        raise PayError(f"run {run_id} kept no inputs (publish it right after calculating it)")
    with tempfile.TemporaryDirectory(prefix="attain-snap-") as tmp:
        for name, data in rows:
            path = Path(tmp) / f"{name}.parquet"
            path.write_bytes(data)
            con.execute(
                f"CREATE OR REPLACE TABLE \"{name}\" AS SELECT * FROM read_parquet('{path}')"
            )
    return [r[0] for r in rows]
