"""A run's data watermark: rows and a checksum of every table it read, taken as it read them.

Comparing a stored watermark with the store's current one says whether the data has changed since.
"""

from __future__ import annotations

from typing import Any


def duckdb_watermark(con: Any, tables: list[str]) -> dict[str, dict[str, int | str]]:
    """Rows and an order-independent checksum per table, computed inside DuckDB."""
    out: dict[str, dict[str, int | str]] = {}
    for table in tables:
        rows, checksum = con.execute(
            f"SELECT count(*), coalesce(sum(hash(t))::VARCHAR, '0') FROM \"{table}\" AS t"
        ).fetchone()
        out[table] = {"rows": int(rows), "checksum": str(checksum)}
    return out


def postgres_watermark(con: Any, tables: list[str]) -> dict[str, dict[str, int | str]]:
    """Rows and an order-independent checksum per table, computed inside PostgreSQL."""
    out: dict[str, dict[str, int | str]] = {}
    for table in tables:
        rows, checksum = con.execute(
            f'SELECT count(*), coalesce(sum(hashtext(t::text)::numeric), 0)::text FROM "{table}" AS t'
        ).fetchone()
        out[table] = {"rows": int(rows), "checksum": str(checksum)}
    return out
