"""The web app on a PostgreSQL store: accounts, sessions, tokens and the API's lists."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from attain.actions.accounts import add_user, new_api_token
from attain.audit.actor import SYSTEM
from attain.data.store import get_engine


@pytest.mark.postgres
def test_login_tokens_and_lists_on_postgresql(postgres_url: str) -> None:
    from attain.web.app import create_app

    engine = get_engine(postgres_url)
    add_user(engine, SYSTEM, "fay", "fay-pass-1234", "finance")
    token = new_api_token(engine, SYSTEM, "fay")
    with TestClient(create_app(postgres_url, secure_cookies=False), follow_redirects=False) as c:
        page = c.get("/login")
        csrf = re.search(r'name="csrf" value="([^"]*)"', page.text)
        assert csrf
        r = c.post(
            "/login", data={"username": "fay", "password": "fay-pass-1234", "csrf": csrf.group(1)}
        )
        assert r.status_code == 303 and r.headers["location"] == "/finance"
        assert c.get("/finance").status_code == 200
        headers = {"Authorization": f"Bearer {token}"}
        assert c.get("/api/v1/me", headers=headers).json()["role"] == "finance"
        assert c.get("/api/v1/payees", headers=headers).json()["total"] == 0
        body = {"username": "al", "password": "al-pass-123", "role": "admin"}
        first = c.post("/api/v1/users", json=body, headers={**headers, "Idempotency-Key": "x"})
        assert first.status_code == 403  # finance does not manage users
    engine.dispose()
