"""Web fixtures: a small paid company (built once), a fresh copy per test, an app and clients."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
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
