"""Passwords: 12 characters or more, not only whitespace, not one of the most common passwords
(zxcvbn's list), whether added, set, or sent through the web form or the API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from attain.accounts.users import UserError
from attain.actions.accounts import add_user, new_api_token, set_password
from attain.audit.actor import SYSTEM
from attain.data.store import get_engine

REFUSED = {
    "password": "shorter than 12",
    " " * 8: "only spaces",
    " " * 14: "only spaces",
    "qwertyuiop12": "most common",
    "PASSWORD1234": "most common",
}


@pytest.mark.parametrize("password", list(REFUSED))
def test_weak_passwords_are_refused_when_added_or_set(sqlite_url: str, password: str) -> None:
    """Guards: `password` and eight spaces were accepted."""
    engine = get_engine(sqlite_url)
    with pytest.raises(UserError, match=REFUSED[password]):
        add_user(engine, SYSTEM, "ana", password, "finance")
    add_user(engine, SYSTEM, "ana", "ana-long-pass-1", "finance")
    with pytest.raises(UserError, match=REFUSED[password]):
        set_password(engine, SYSTEM, "ana", password)


def test_the_web_form_and_the_api_say_why(sqlite_url: str) -> None:
    """Guards: the API and the users page accepted a common password."""
    from attain.web.app import create_app

    engine = get_engine(sqlite_url)
    add_user(engine, SYSTEM, "boss", "boss-pass-123", "admin")
    headers = {"Authorization": f"Bearer {new_api_token(engine, SYSTEM, 'boss')}"}
    with TestClient(create_app(sqlite_url, secure_cookies=False)) as c:
        body = {"username": "al", "password": "password", "role": "finance"}
        r = c.post("/api/v1/users", json=body, headers=headers)
        assert r.status_code == 400 and "shorter than 12" in r.json()["detail"]
        r = c.put("/api/v1/users/1/password", json={"password": "qwertyuiop12"}, headers=headers)
        assert r.status_code == 400 and "most common" in r.json()["detail"]
        r = c.put("/api/v1/users/1/password", json={"password": " " * 12}, headers=headers)
        assert r.status_code == 400 and "only spaces" in r.json()["detail"]
