"""The app factory: one FastAPI app serving the pages (`/`) and the REST API (`/api/v1`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from attain.access import Forbidden, NotVisible
from attain.data.store import database_url, get_engine
from attain.pay.errors import NotAllowed, PayError
from attain.web.auth.ratelimit import LoginLimiter
from attain.web.deps import AppState, CsrfFailed, LoginRequired
from attain.web.limits import RequestLimits
from attain.web.problems import PROBLEM_TYPE, TITLES, declare_body_problems, problem_body

STATIC = Path(__file__).parent / "ui" / "static"

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
}


class SecurityHeaders:
    """Headers on every response (a plain ASGI middleware: no per-request task, unlike
    `@app.middleware`): no sniffing, no framing, scripts and styles from this site only, and
    nothing but static files kept in caches."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        extra = [] if path.startswith("/api/docs") else list(_HEADERS)
        if not path.startswith("/static/"):
            extra.append((b"cache-control", b"no-store"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *((k, v) for k, v in extra if k not in have),
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


_HEADERS = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _problem(status: int, title: str, detail: str | None = None, **extra: Any) -> JSONResponse:
    headers = extra.pop("headers", None)
    return JSONResponse(
        problem_body(status, title, detail, **extra),
        status_code=status,
        media_type=PROBLEM_TYPE,
        headers=headers,
    )


def _page(request: Request, status: int, title: str, detail: str) -> Response:
    from attain.web.ui.render import render

    context = {"title": title, "detail": detail, "back": _back(request)}
    return render(request, "error.html", context, status=status)


def _back(request: Request) -> str | None:
    """The page the refused form was on (same site only), to go back to it."""
    from urllib.parse import urlsplit

    came = urlsplit(request.headers.get("referer", ""))
    if came.netloc != request.url.netloc or not came.path.startswith("/") or "//" in came.path:
        return None
    return came.path + (f"?{came.query}" if came.query else "")


def _error(request: Request, status: int, title: str, detail: str, **extra: Any) -> Response:
    if _is_api(request):
        return _problem(status, title, detail, **extra)
    return _page(request, status, title, detail)


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: LoginRequired) -> Response:
        if _is_api(request):
            return _problem(
                401,
                "Not logged in",
                "log in, or send an API token as `Authorization: Bearer <token>`",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return _error(request, 403, "Forbidden", str(exc))

    @app.exception_handler(NotVisible)
    async def not_visible(request: Request, _exc: NotVisible) -> Response:
        return _error(request, 404, "Not found", "no such object")

    @app.exception_handler(NotAllowed)
    async def not_allowed(request: Request, exc: NotAllowed) -> Response:
        # Who may use a feature is decided before (attain.access); what reaches here is a
        # lifecycle rule about this object's state (four eyes: the preparer may not approve).
        return _error(request, 409, "Conflict" if _is_api(request) else "Not done", str(exc))

    @app.exception_handler(PayError)
    async def pay_error(request: Request, exc: PayError) -> Response:
        return _error(request, 409, "Conflict" if _is_api(request) else "Not done", str(exc))

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, _exc: CsrfFailed) -> Response:
        return _error(
            request, 403, "Forbidden", "the form is stale or came from another site: reload"
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors)
        return _error(request, 422, "Invalid input", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        title = TITLES.get(exc.status_code, "Error")
        detail = exc.detail if isinstance(exc.detail, str) else title
        return _error(request, exc.status_code, title, detail, headers=exc.headers)


def create_app(url: str | None = None, *, secure_cookies: bool | None = None) -> FastAPI:
    """The app over the store at `url` (migrated on first use).

    Cookies are marked Secure unless told otherwise; `attain serve` turns that off only when it
    listens on a loopback address (browsers refuse Secure cookies over plain http there).
    """
    from attain.web.api import api_router
    from attain.web.ui import ui_router

    engine = get_engine(url)
    app = FastAPI(
        title="attain",
        version="1",
        description="Revenue operations: pay, plans, runs and imports, with the permissions of "
        "the web pages. Money is a decimal string. Authenticate with `Authorization: Bearer`.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.attain = AppState(
        engine=engine,
        url=database_url(url),
        secure_cookies=True if secure_cookies is None else secure_cookies,
        limiter=LoginLimiter(),
    )
    _install_errors(app)
    app.add_middleware(RequestLimits)
    app.add_middleware(SecurityHeaders)  # outermost: on every answer, refusals included

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api_router)
    app.include_router(ui_router)

    plain_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = declare_body_problems(plain_openapi())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/healthz", include_in_schema=False, response_class=HTMLResponse)
    def healthz() -> str:
        return "ok"

    return app
