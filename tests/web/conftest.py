"""Web fixtures: a small paid company (built once), a fresh copy per test, an app and clients."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from served_app import Served, serve, small_company
from web_client import make_client
from web_company import Company, build


@pytest.fixture(scope="session")
def company_template(tmp_path_factory: pytest.TempPathFactory) -> Company:
    return build(tmp_path_factory.mktemp("company"))


@pytest.fixture
def company(company_template: Company, tmp_path: Path) -> Company:
    """A fresh copy of the paid company, for one test."""
    return company_template.copy(tmp_path)


@pytest.fixture(scope="module")
def shared_company(company_template: Company, tmp_path_factory: pytest.TempPathFactory) -> Company:
    """One copy for a module of read-only tests."""
    return company_template.copy(tmp_path_factory.mktemp("shared"))


@pytest.fixture
def client(company: Company) -> Iterator[TestClient]:
    with make_client(company) as c:
        yield c


@pytest.fixture(scope="session")
def on_sqlite(
    company_template: Company, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """The paid company served over HTTP, for the tests that probe the running app."""
    company = company_template.copy(tmp_path_factory.mktemp("schemathesis"))
    with serve(company.url) as base:
        yield Served(base, dict(company.tokens))


@pytest.fixture(scope="session")
def on_postgres(postgres_server: str) -> Iterator[Served]:
    """A small paid company on a PostgreSQL database of its own, served over HTTP."""
    import psycopg

    from attain.data.store import _engine, database_url

    name = f"attain_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{postgres_server.rsplit('/', 1)[0]}/{name}"
    try:
        tokens = small_company(url)
        with serve(url) as base:
            yield Served(base, tokens, url)
    finally:
        _engine(database_url(url)).dispose()
        with psycopg.connect(postgres_server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
