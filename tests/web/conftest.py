"""Web fixtures: a small paid company (built once), a fresh copy per test, an app and clients."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_company import PASSWORDS, Company, build


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


def make_client(company: Company) -> TestClient:
    from attain.web.app import create_app

    return TestClient(create_app(company.url, secure_cookies=False), follow_redirects=False)


@pytest.fixture
def client(company: Company) -> Iterator[TestClient]:
    with make_client(company) as c:
        yield c


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]*)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def log_in(client: TestClient, role: str, password: str | None = None) -> str:
    """Log in through the form; returns the session's CSRF token (from the landing page)."""
    page = client.get("/login")
    r = client.post(
        "/login",
        data={
            "username": role,
            "password": password or PASSWORDS[role],
            "csrf": csrf_of(page.text),
            "next": "/",
        },
    )
    assert r.status_code == 303, r.text
    landing = client.get(r.headers["location"])
    assert landing.status_code == 200, landing.text
    return csrf_of(landing.text)
