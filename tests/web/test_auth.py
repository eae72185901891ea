"""Sessions, CSRF, login rate limiting, logout, cookie flags and API tokens."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from web_client import csrf_of, log_in, make_client
from web_company import PASSWORDS, Company

from attain.accounts.schema import ApiToken, User, WebSession
from attain.data.store import get_engine
from attain.web.auth.sessions import COOKIE


def test_login_sets_a_server_side_session_with_safe_cookie_flags(company: Company) -> None:
    with make_client(company) as c:
        page = c.get("/login")
        r = c.post(
            "/login",
            data={"username": "rep", "password": PASSWORDS["rep"], "csrf": csrf_of(page.text)},
        )
        assert r.status_code == 303 and r.headers["location"] == "/me"
        cookie = r.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie
        assert "Secure" not in cookie  # this app was made for loopback
        token = c.cookies[COOKIE]
    with get_engine(company.url).connect() as conn:
        kept = conn.execute(select(WebSession.token_hash)).scalars().all()
    assert token not in kept and len(kept) == 1  # only a hash is stored


def test_cookies_are_secure_outside_loopback(company: Company) -> None:
    from attain.web.app import create_app

    with TestClient(create_app(company.url), follow_redirects=False) as c:
        page = c.get("/login")
        assert "Secure" in page.headers["set-cookie"]
        r = c.post(
            "/login",
            data={"username": "rep", "password": PASSWORDS["rep"], "csrf": csrf_of(page.text)},
        )
        assert "Secure" in r.headers["set-cookie"]


def test_passwords_are_argon2_hashes(company: Company) -> None:
    with get_engine(company.url).connect() as conn:
        hashes = conn.execute(select(User.password_hash)).scalars().all()
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert not any(p in h for h in hashes for p in PASSWORDS.values())


def test_production_hashes_cost_what_rfc_9106_recommends() -> None:
    """Tests hash cheaply (tests/conftest.py); what the product uses is argon2id at RFC 9106's
    second recommended profile, and a hash made at other settings still verifies."""
    from argon2 import Type

    from attain.accounts import passwords

    strong = passwords.STRONG
    assert (strong.type, strong.time_cost, strong.memory_cost, strong.parallelism) == (
        Type.ID,
        3,
        65536,
        4,
    )
    assert strong.hash("a-long-password").startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert passwords.verify_password(passwords.hash_password("a-long-password"), "a-long-password")


def test_wrong_password_and_unknown_user_say_the_same(company: Company) -> None:
    with make_client(company) as c:
        for user, password in (("rep", "wrong-password"), ("nobody", "whatever-1")):
            page = c.get("/login")
            r = c.post(
                "/login", data={"username": user, "password": password, "csrf": csrf_of(page.text)}
            )
            assert r.status_code == 401
            assert "Wrong username or password" in r.text


def test_login_without_the_forms_csrf_token_is_refused(company: Company) -> None:
    with make_client(company) as c:
        c.get("/login")
        r = c.post(
            "/login", data={"username": "rep", "password": PASSWORDS["rep"], "csrf": "forged"}
        )
        assert r.status_code == 403
        assert COOKIE not in c.cookies


def test_login_is_rate_limited_after_five_failures(company: Company) -> None:
    with make_client(company) as c:
        for _ in range(5):
            page = c.get("/login")
            r = c.post(
                "/login",
                data={"username": "rep", "password": "bad-pass-1", "csrf": csrf_of(page.text)},
            )
            assert r.status_code == 401
        page = c.get("/login")
        r = c.post(
            "/login",
            data={"username": "rep", "password": PASSWORDS["rep"], "csrf": csrf_of(page.text)},
        )
        assert r.status_code == 429
        assert int(r.headers["retry-after"]) > 0
        assert COOKIE not in c.cookies  # even the right password waits


def test_every_form_needs_the_sessions_csrf_token(company: Company) -> None:
    with make_client(company) as c:
        csrf = log_in(c, "admin")
        r = c.post(
            "/users", data={"username": "x1", "password": "x1-long-password-1", "role": "finance"}
        )
        assert r.status_code == 403
        r = c.post(
            "/users",
            data={
                "csrf": "not-it",
                "username": "x1",
                "password": "x1-long-password-1",
                "role": "finance",
            },
        )
        assert r.status_code == 403
        r = c.post(
            "/users",
            data={
                "csrf": csrf,
                "username": "x1",
                "password": "x1-long-password-1",
                "role": "finance",
            },
        )
        assert r.status_code == 200 and "Added x1" in r.text


def test_cookie_authenticated_api_writes_need_the_csrf_header(company: Company) -> None:
    with make_client(company) as c:
        csrf = log_in(c, "rep")
        path = f"/api/v1/payees/{company.rep}/whatif"
        assert c.post(path, json={"amount": "100"}).status_code == 403
        assert (
            c.post(path, json={"amount": "100"}, headers={"X-CSRF-Token": csrf}).status_code == 200
        )
    with make_client(company) as c:  # a token cannot be sent by another site's form
        r = c.post(
            path,
            json={"amount": "100"},
            headers={"Authorization": f"Bearer {company.tokens['rep']}"},
        )
        assert r.status_code == 200


def test_logout_ends_the_session_on_the_server(company: Company) -> None:
    with make_client(company) as c:
        csrf = log_in(c, "rep")
        stolen = c.cookies[COOKIE]
        r = c.post("/logout", data={"csrf": csrf})
        assert r.status_code == 303 and r.headers["location"] == "/login"
    with make_client(company) as replay:
        replay.cookies.set(COOKIE, stolen)
        assert replay.get("/me").status_code == 303  # back to the login form
        assert replay.get("/api/v1/me").status_code == 401
    with get_engine(company.url).connect() as conn:
        assert conn.execute(select(WebSession)).first() is None


def test_api_tokens_are_stored_hashed_and_can_be_revoked(company: Company) -> None:
    token = company.tokens["finance"]
    with make_client(company) as c:
        assert (
            c.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()["role"]
            == "finance"
        )
        assert c.get("/api/v1/me", headers={"Authorization": "Bearer att_wrong"}).status_code == 401
    engine = get_engine(company.url)
    with engine.begin() as conn:
        stored = conn.execute(select(ApiToken.token_hash)).scalars().all()
        assert token not in stored
        conn.execute(ApiToken.__table__.update().values(revoked=True))
    with make_client(company) as c:
        assert c.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_open_redirects_are_refused(company: Company) -> None:
    with make_client(company) as c:
        page = c.get("/login?next=//evil.example/")
        r = c.post(
            "/login",
            data={
                "username": "rep",
                "password": PASSWORDS["rep"],
                "csrf": csrf_of(page.text),
                "next": "//evil.example/",
            },
        )
        assert r.headers["location"] == "/me"


def test_pages_carry_security_headers(company: Company) -> None:
    with make_client(company) as c:
        r = c.get("/login")
        assert r.headers["x-frame-options"] == "DENY"
        assert "default-src 'self'" in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"
