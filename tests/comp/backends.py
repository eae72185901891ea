"""The engine's backends for the tests, ibis style: `Backend.load(tables)` gives a DuckDB or
PostgreSQL connection holding the tables (loaded once per session by content)."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import ibis

from attain.comp.cases import Case, arrow_tables

BACKENDS = ("duckdb", "postgres")
Tables = dict[str, list[dict[str, Any]]]


class Backend:
    """One backend the engine runs on: `load(tables)` gives a connection holding them.

    The same tables are loaded once per test session (kept by content), so a module's tables
    cost one load per backend; every load gets its own DuckDB or PostgreSQL schema."""

    def __init__(self, name: str, server: str | None = None) -> None:
        self.name = name
        self._server = server
        self._loaded: dict[str, ibis.BaseBackend] = {}
        self._schemas: list[str] = []

    def load(self, tables: Tables) -> ibis.BaseBackend:
        key = hashlib.sha256(repr(sorted(tables.items())).encode()).hexdigest()
        if key not in self._loaded:
            self._loaded[key] = self._fresh(tables)
        return self._loaded[key]

    def _fresh(self, tables: Tables) -> ibis.BaseBackend:
        arrow = arrow_tables(Case("t", "", tables, [], [], (), None))
        if self.name == "duckdb":
            con = ibis.duckdb.connect()
            for name, table in arrow.items():
                con.create_table(name, table)
            return con
        import psycopg

        assert self._server is not None
        schema = f"attain_backend_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self._server, autocommit=True) as admin:
            admin.execute(f'CREATE SCHEMA "{schema}"')
        self._schemas.append(schema)
        con = _postgres(self._server, schema)
        for name, table in arrow.items():
            con.create_table(name, table, database=schema)
        return con

    def close(self) -> None:
        for con in self._loaded.values():
            con.disconnect()
        self._loaded.clear()
        if self._schemas:
            import psycopg

            assert self._server is not None
            with psycopg.connect(self._server, autocommit=True) as admin:
                for schema in self._schemas:
                    admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            self._schemas.clear()

    def __repr__(self) -> str:
        return self.name


def _postgres(url: str, schema: str) -> ibis.BaseBackend:
    from urllib.parse import unquote, urlparse

    parts = urlparse(url)
    return ibis.postgres.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password) if parts.password else None,
        database=(parts.path or "/").lstrip("/") or "postgres",
        schema=schema,
    )
