"""Typed dependencies every route uses: the store, the viewer, their scope, CSRF checks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Form, Header, Request
from sqlalchemy import Engine

from attain import clock
from attain.access import Scope, Viewer, scope_of
from attain.accounts.secrets import same
from attain.accounts.users import user_for_token
from attain.web.auth.ratelimit import LoginLimiter
from attain.web.auth.sessions import COOKIE, Session, session_user


@dataclass
class AppState:
    """What one app holds: its store, its login limiter, and whether cookies must be Secure."""

    engine: Engine
    url: str | None
    secure_cookies: bool
    limiter: LoginLimiter = field(default_factory=LoginLimiter)


class LoginRequired(Exception):
    """No valid session or token: pages redirect to the login form, the API answers 401."""


class CsrfFailed(Exception):
    """A form or a cookie-authenticated API call without the session's CSRF token (403)."""


async def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.attain
    return state


StateDep = Annotated[AppState, Depends(app_state)]


async def engine_of(state: StateDep) -> Engine:
    return state.engine


EngineDep = Annotated[Engine, Depends(engine_of)]


@dataclass(frozen=True)
class Auth:
    """How the request authenticated: by session cookie (with its CSRF token) or by API token."""

    viewer: Viewer
    session: Session | None


def _auth(request: Request, state: AppState) -> Auth | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        account = user_for_token(state.engine, header[7:].strip())
        if account is None:
            return None
        return Auth(Viewer(account.id, account.username, account.role, account.person), None)
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    found = session_user(state.engine, token)
    if found is None:
        return None
    session, user = found
    return Auth(Viewer(user.id, user.username, user.role, user.person), session)


async def optional_auth(request: Request, state: StateDep) -> Auth | None:
    """Who is asking. Runs on the event loop: one or two indexed lookups, quicker than a hop to
    the thread pool (every page and API call passes here)."""
    cached: Auth | None = getattr(request.state, "auth", None)
    if cached is None:
        cached = _auth(request, state)
        request.state.auth = cached
    return cached


async def required_auth(auth: Annotated[Auth | None, Depends(optional_auth)]) -> Auth:
    if auth is None:
        raise LoginRequired()
    return auth


AuthDep = Annotated[Auth, Depends(required_auth)]


async def current_viewer(auth: AuthDep) -> Viewer:
    return auth.viewer


ViewerDep = Annotated[Viewer, Depends(current_viewer)]


def today() -> dt.date:
    """The day pages and the API look at (ATTAIN_TODAY may pin it: `attain.clock`)."""
    return clock.today()


async def viewer_scope(viewer: ViewerDep, engine: EngineDep) -> Scope:
    return scope_of(engine, viewer, today())


ScopeDep = Annotated[Scope, Depends(viewer_scope)]


async def form_csrf(auth: AuthDep, csrf: Annotated[str, Form()] = "") -> None:
    """Every form POST carries the session's CSRF token."""
    if auth.session is None or not same(csrf, auth.session.csrf):
        raise CsrfFailed()


FormCsrf = Depends(form_csrf)


async def api_csrf(
    auth: AuthDep, x_csrf_token: Annotated[str | None, Header(include_in_schema=False)] = None
) -> None:
    """An API write authenticated by cookie (a browser) must carry the CSRF token in a header;
    one authenticated by bearer token cannot be forged by another site and needs none."""
    if auth.session is not None and not same(x_csrf_token or "", auth.session.csrf):
        raise CsrfFailed()


ApiCsrf = Depends(api_csrf)
