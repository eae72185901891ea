"""Clients for the web tests: an app over a company's store, and logging in through the form."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from web_company import PASSWORDS, Company


def make_client(company: Company) -> TestClient:
    from attain.web.app import create_app

    return TestClient(create_app(company.url, secure_cookies=False), follow_redirects=False)


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
