"""Login limits counted in the store: an attempt is counted before the password is checked
(parallel guesses cannot all slip in), per account and per address, shared by every worker."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from attain.actions.accounts import add_user
from attain.audit.actor import SYSTEM
from attain.data.store import get_engine
from attain.web.auth.sessions import COOKIE
from races import race

PASSWORDS = {"ana": "ana-long-pass-1", "bo": "bo-long-pass-12"}


def _app(url: str) -> FastAPI:
    from attain.web.app import create_app

    engine = get_engine(url)
    for name, password in PASSWORDS.items():
        add_user(engine, SYSTEM, name, password, "finance")
    return create_app(url, secure_cookies=False)


@pytest.fixture
def app(store_url: str) -> Iterator[FastAPI]:
    """The app on each store, with the limits it serves with."""
    yield _app(store_url)


@pytest.fixture
def small(sqlite_url: str) -> Iterator[FastAPI]:
    """The app on SQLite with small limits (2 per account, 4 per address): fewer slow hashes."""
    from attain.web.auth.ratelimit import LoginLimiter

    app = _app(sqlite_url)
    app.state.attain.limiter = LoginLimiter(per_account=2, per_address=4)
    yield app


def _form(client: TestClient, username: str, password: str) -> dict[str, str]:
    page = client.get("/login")
    found = re.search(r'name="csrf" value="([^"]*)"', page.text)
    assert found
    return {"username": username, "password": password, "csrf": found.group(1)}


def _login(client: TestClient, username: str, password: str) -> int:
    return client.post("/login", data=_form(client, username, password)).status_code


def test_parallel_guesses_are_counted_before_the_password_is_checked(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards: the limit was checked before hashing and recorded after, so 40 parallel
    guesses got 35 tries."""
    from attain.web.ui import auth_pages

    checked = 0
    lock = threading.Lock()
    real = auth_pages.authenticate

    def counting(*args: Any) -> Any:
        nonlocal checked
        with lock:
            checked += 1
        return real(*args)

    monkeypatch.setattr(auth_pages, "authenticate", counting)
    clients = [TestClient(app, follow_redirects=False) for _ in range(40)]
    forms = [_form(c, "ana", f"wrong-guess-{i:04}") for i, c in enumerate(clients)]
    jobs = [
        lambda c=c, f=f: c.post("/login", data=f).status_code
        for c, f in zip(clients, forms, strict=True)
    ]
    outcomes = race(*jobs)
    assert sorted(outcomes) == [401] * 5 + [429] * 35  # type: ignore[type-var]
    assert checked == 5


def test_the_limit_is_shared_by_every_worker(store_url: str, app: FastAPI) -> None:
    """Guards: the limit was per process, so each worker of `attain serve` allowed its own."""
    from attain.web.app import create_app

    other = create_app(store_url, secure_cookies=False)
    with (
        TestClient(app, follow_redirects=False) as a,
        TestClient(other, follow_redirects=False) as b,
    ):
        for i in range(5):
            assert _login(a if i % 2 else b, "ana", "wrong-guess-1") == 401
        assert _login(a, "ana", PASSWORDS["ana"]) == 429
        assert _login(b, "ana", PASSWORDS["ana"]) == 429


def test_one_locked_account_does_not_lock_out_its_address(small: FastAPI) -> None:
    """Guards: the limit was per address only, so one attacker behind a proxy locked every user
    out, right passwords included."""
    with TestClient(small, follow_redirects=False) as c:
        for _ in range(2):
            assert _login(c, "ana", "wrong-guess-1") == 401
        assert _login(c, "ana", PASSWORDS["ana"]) == 429
        assert _login(c, "bo", PASSWORDS["bo"]) == 303  # same address, another account
        assert COOKIE in c.cookies


def test_an_address_guessing_many_accounts_is_stopped(small: FastAPI) -> None:
    """Guards: an address spreading guesses over many accounts has a limit of its own."""
    with TestClient(small, follow_redirects=False) as c:
        for i in range(4):
            assert _login(c, f"user-{i}", "wrong-guess-1") == 401
        assert _login(c, "bo", PASSWORDS["bo"]) == 429


def test_after_the_window_the_right_password_works_again(sqlite_url: str, small: FastAPI) -> None:
    """Guards: a lockout ends once its window has passed."""
    from attain.accounts.schema import LoginAttempt

    with TestClient(small, follow_redirects=False) as c:
        for _ in range(2):
            assert _login(c, "ana", "wrong-guess-1") == 401
        assert _login(c, "ana", PASSWORDS["ana"]) == 429
        with get_engine(sqlite_url).begin() as conn:  # the window passes
            past = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(minutes=6)
            conn.execute(update(LoginAttempt).values(window_start=past))
        assert _login(c, "ana", PASSWORDS["ana"]) == 303
        assert _login(c, "ana", "wrong-guess-1") == 401  # and the count starts afresh
