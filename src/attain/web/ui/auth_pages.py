"""Logging in and out, and the start page that sends each role to its own page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from attain.accounts.secrets import new_secret, same
from attain.accounts.users import authenticate
from attain.web.auth.sessions import COOKIE, LIFETIME, end_session, start_session
from attain.web.deps import Auth, AuthDep, FormCsrf, StateDep, optional_auth
from attain.web.ui.render import render

router = APIRouter()

LOGIN_CSRF = "attain_login_csrf"
HOMES = {"rep": "/me", "manager": "/team", "finance": "/finance", "admin": "/runs"}


def _local(path: str) -> str:
    """Only a path on this site (never `//elsewhere` or a full URL) is a place to go back to."""
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path else "/"


def _login_page(
    request: Request,
    state: StateDep,
    next_: str,
    error: str | None = None,
    username: str = "",
    status: int = 200,
) -> Response:
    token = new_secret()
    response = render(
        request,
        "login.html",
        {"login_csrf": token, "next": _local(next_), "error": error, "username": username},
        status=status,
    )
    response.set_cookie(
        LOGIN_CSRF,
        token,
        httponly=True,
        samesite="strict",
        secure=state.secure_cookies,
        max_age=3600,
    )
    return response


@router.get("/")
def home(auth: Annotated[Auth | None, Depends(optional_auth)]) -> Response:
    if auth is None:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(HOMES.get(auth.viewer.role, "/me"), status_code=303)


@router.get("/login")
def login_form(request: Request, state: StateDep, next: str = "/") -> Response:
    return _login_page(request, state, next)


@router.post("/login")
def login(
    request: Request,
    state: StateDep,
    username: Annotated[str, Form(max_length=120)],
    password: Annotated[str, Form(max_length=200)],
    csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    cookie = request.cookies.get(LOGIN_CSRF, "")
    if not cookie or not same(cookie, csrf):
        return _login_page(
            request, state, next, "The form expired: please try again.", username, 403
        )
    address = request.client.host if request.client else "?"
    wait = state.limiter.reserve(state.engine, username, address)
    if wait:
        response = _login_page(
            request, state, next, f"Too many failed attempts: try again in {wait} s.", username, 429
        )
        response.headers["Retry-After"] = str(wait)
        return response
    account = authenticate(state.engine, username, password)
    if account is None:
        return _login_page(request, state, next, "Wrong username or password.", username, 401)
    state.limiter.succeeded(state.engine, username, address)
    token = start_session(state.engine, account.id)
    target = _local(next)
    if target == "/":
        target = HOMES.get(account.role, "/me")
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=state.secure_cookies,
        max_age=int(LIFETIME.total_seconds()),
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF)
    return response


@router.post("/logout", dependencies=[FormCsrf])
def logout(request: Request, state: StateDep, _auth: AuthDep) -> Response:
    token = request.cookies.get(COOKIE)
    if token:
        end_session(state.engine, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
