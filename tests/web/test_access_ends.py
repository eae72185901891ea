"""Ending access works at once on every surface: a password change ends the user's other
sessions and revokes their tokens; revoking a token and deactivating a user end it; tokens
expire (90 days unless told) and an expired one is refused."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from typer.testing import CliRunner
from web_client import log_in, make_client
from web_company import Company

from attain.accounts.schema import ApiToken
from attain.accounts.tokens import list_tokens
from attain.accounts.users import find_user
from attain.actions.accounts import new_api_token
from attain.audit.actor import SYSTEM
from attain.cli import app as cli
from attain.data.store import get_engine

NEW = "rep-new-pass-123"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _works(company: Company, session: TestClient, token: str) -> tuple[bool, bool]:
    """Whether the session and the token still reach the API."""
    with make_client(company) as c:
        by_token = c.get("/api/v1/me", headers=_bearer(token)).status_code == 200
    return session.get("/api/v1/me").status_code == 200, by_token


def _user_id(company: Company, name: str) -> int:
    found = find_user(get_engine(company.url), name)
    assert found is not None
    return found.id


def test_changing_ones_password_on_the_api_ends_the_other_sessions_and_tokens(
    company: Company,
) -> None:
    """Guards: a password change left old sessions and tokens working."""
    with make_client(company) as mine, make_client(company) as other:
        csrf = log_in(mine, "rep")
        log_in(other, "rep")
        r = mine.put(
            f"/api/v1/users/{_user_id(company, 'rep')}/password",
            json={"password": NEW},
            headers={"X-CSRF-Token": csrf},
        )
        assert r.status_code == 204
        assert mine.get("/api/v1/me").status_code == 200  # the browser that changed it
        assert _works(company, other, company.tokens["rep"]) == (False, False)


def as_admin(company: Company) -> dict[str, str]:
    """The CLI acting as the company's admin (by the admin's API token)."""
    return {"ATTAIN_TOKEN": company.tokens["admin"]}


def test_a_password_changed_with_a_token_keeps_only_that_token(company: Company) -> None:
    """Guards: a password change by API token left the user's sessions and other tokens working."""
    engine = get_engine(company.url)
    other = new_api_token(engine, SYSTEM, "rep", "second")
    with make_client(company) as session:
        log_in(session, "rep")
        r = session.put(
            f"/api/v1/users/{_user_id(company, 'rep')}/password",
            json={"password": NEW},
            headers=_bearer(company.tokens["rep"]),
        )
        assert r.status_code == 204
        assert _works(company, session, other) == (False, False)
        assert _works(company, session, company.tokens["rep"])[1]  # the token that changed it


def test_a_password_set_on_the_cli_ends_sessions_and_tokens(company: Company) -> None:
    """Guards: `attain users password` left old sessions and tokens working."""
    with make_client(company) as session:
        log_in(session, "rep")
        done = CliRunner().invoke(
            cli,
            ["users", "password", "rep", "--password", NEW, "--db", company.url],
            env=as_admin(company),
        )
        assert done.exit_code == 0, done.output
        assert "1 session(s) ended, 1 API token(s) revoked" in done.output
        assert _works(company, session, company.tokens["rep"]) == (False, False)


def _make_token(c: TestClient, company: Company, surface: str, csrf: str) -> str:
    """A token for the rep, working 30 days, made on the surface."""
    rep_id = _user_id(company, "rep")
    if surface == "web":
        page = c.post(f"/users/{rep_id}/tokens", data={"csrf": csrf, "expires_in_days": "30"})
        found = re.search(r"works 30 days\): (att_[\w-]+)", page.text)
        assert found, page.text
        return found.group(1)
    if surface == "api":
        admin = _bearer(company.tokens["admin"])
        r = c.post(f"/api/v1/users/{rep_id}/tokens?expires_in_days=30", headers=admin)
        assert r.status_code == 201
        return str(r.json()["token"])
    cmd = ["tokens", "create", "rep", "--expires-in-days", "30", "--db", company.url]
    made = CliRunner().invoke(cli, cmd, env=as_admin(company))
    assert made.exit_code == 0, made.output
    return made.output.strip()


@pytest.mark.parametrize("surface", ["web", "api", "cli"])
def test_each_surface_makes_expiring_tokens_and_ends_access_at_once(
    company: Company, surface: str
) -> None:
    """Guards: tokens never expired (now set at creation on each surface); and checks that
    revoking a token and deactivating its user end the token and a live session at once."""
    engine = get_engine(company.url)
    rep_id = _user_id(company, "rep")
    admin = _bearer(company.tokens["admin"])
    with make_client(company) as session, make_client(company) as c:
        log_in(session, "rep")
        csrf = log_in(c, "admin") if surface == "web" else ""
        token = _make_token(c, company, surface, csrf)
        made = list_tokens(engine, "rep")[-1]
        soon = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=30)
        assert made.expires_at is not None and abs(made.expires_at - soon) < dt.timedelta(hours=1)
        assert _works(company, session, token) == (True, True)
        if surface == "web":
            assert c.post(f"/tokens/{made.id}/revoke", data={"csrf": csrf}).status_code == 200
        elif surface == "api":
            r = c.delete(f"/api/v1/users/{rep_id}/tokens/{made.id}", headers=admin)
            assert r.status_code == 204
        else:
            cmd = ["tokens", "revoke", str(made.id), "--db", company.url]
            assert CliRunner().invoke(cli, cmd, env=as_admin(company)).exit_code == 0
        assert _works(company, session, token) == (True, False)
        assert _works(company, session, company.tokens["rep"]) == (True, True)
        if surface == "web":
            form = {"csrf": csrf, "active": "false"}
            assert c.post(f"/users/{rep_id}/active", data=form).status_code == 200
        elif surface == "api":
            r = c.patch(f"/api/v1/users/{rep_id}", json={"active": False}, headers=admin)
            assert r.status_code == 200
        else:
            cmd = ["users", "deactivate", "rep", "--db", company.url]
            assert CliRunner().invoke(cli, cmd, env=as_admin(company)).exit_code == 0
        assert _works(company, session, company.tokens["rep"]) == (False, False)


def test_an_expired_token_is_refused(company: Company) -> None:
    """Guards: tokens never expired; each works 90 days unless told, and is refused after."""
    engine = get_engine(company.url)
    made = list_tokens(engine, "rep")[0]
    soon = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=90)
    assert made.expires_at is not None and abs(made.expires_at - soon) < dt.timedelta(hours=1)
    with make_client(company) as c:
        with engine.begin() as conn:  # the days pass
            past = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(seconds=1)
            conn.execute(update(ApiToken).values(expires_at=past))
        assert c.get("/api/v1/me", headers=_bearer(company.tokens["rep"])).status_code == 401
    shown = CliRunner().invoke(cli, ["tokens", "list", "rep", "--db", company.url])
    assert "(expired)" in shown.output


def test_the_users_page_refuses_a_common_password(company: Company) -> None:
    """Guards: the web form accepted a common password."""
    with make_client(company) as c:
        csrf = log_in(c, "admin")
        form = {"csrf": csrf, "username": "al", "password": "qwertyuiop12", "role": "finance"}
        r = c.post("/users", data=form)
        assert r.status_code == 400 and "most common" in r.text
