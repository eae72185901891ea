"""Admin: runs, users and tokens, imports (upload, validation report, confirm)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import Engine

from attain.access import NotVisible, actor_of, require
from attain.accounts import users
from attain.accounts.tokens import list_tokens
from attain.actions import accounts as account_actions
from attain.actions.mappings import save_mapping
from attain.comp.runs import list_runs
from attain.data.ingest import ImportFailed, list_mappings
from attain.data.schema import DATA_TABLES
from attain.jobs import Job
from attain.pay.run_states import run_states
from attain.web import imports
from attain.web.deps import EngineDep, FormCsrf, StateDep, ViewerDep
from attain.web.run_jobs import run_job, running_runs, start_run_job
from attain.web.ui.render import render

router = APIRouter()


def runs_page(
    request: Request,
    engine: Engine,
    *,
    flash: str | None = None,
    error: str | None = None,
    job: Job | None = None,
    status: int = 200,
) -> Response:
    """The runs with their ledger state, the form to start one, and the run in progress."""
    found = list_runs(engine, 50)
    newest = found[0] if found else None
    running = [job] if job is not None and job.state == "running" else []
    running += [j for j in running_runs(engine) if job is None or j.id != job.id]
    return render(
        request,
        "runs.html",
        {
            "runs": found,
            "states": run_states(engine, found),
            "flash": flash,
            "error": error,
            "jobs": running,
            "request_id": secrets.token_urlsafe(16),
            "start": newest.span_from if newest else dt.date(dt.date.today().year, 1, 1),
            "end": newest.span_to if newest else dt.date.today(),
        },
        status=status,
    )


@router.get("/runs")
def runs(request: Request, viewer: ViewerDep, engine: EngineDep, job: str = "") -> Response:
    """With `job`, the page follows that run: its progress bar, then what it did."""
    require(viewer, "runs.view")
    found = run_job(engine, job[:64]) if job else None
    if found is None or found.state == "running":
        return runs_page(request, engine, job=found)
    if found.state == "failed":
        return runs_page(request, engine, error=found.message, status=400)
    return runs_page(request, engine, flash=found.message)


@router.post("/runs", dependencies=[FormCsrf])
def start_run(
    request: Request,
    viewer: ViewerDep,
    state: StateDep,
    engine: EngineDep,
    start: Annotated[dt.date, Form()],
    end: Annotated[dt.date, Form()],
    request_id: Annotated[str, Form(min_length=8, max_length=64)] = "",
) -> Response:
    """Start paying the published plans over the span in the background (one job per form)."""
    require(viewer, "runs.start")
    if end < start:
        return runs_page(
            request,
            engine,
            error=f"The span ends ({end}) before it starts ({start}).",
            status=400,
        )
    job, _ = start_run_job(
        engine, state.url, request_id or secrets.token_urlsafe(16), actor_of(viewer), start, end
    )
    return RedirectResponse(f"/runs?job={job.id}", status_code=303)


@router.get("/runs/jobs/{job_id}")
def run_progress(job_id: str, viewer: ViewerDep, engine: EngineDep) -> JSONResponse:
    """A run job's progress, for the page's bar to poll."""
    require(viewer, "runs.view")
    job = run_job(engine, job_id[:64])
    if job is None:
        raise NotVisible(job_id)
    return JSONResponse(
        {
            "id": job.id,
            "state": job.state,
            "step": job.step,
            "percent": job.percent,
            "seconds": round(job.seconds, 1),
            "run": job.result,
            "message": job.message,
        }
    )


def _users_page(
    request: Request, engine: EngineDep, flash: str | None = None, error: str | None = None
) -> Response:
    return render(
        request,
        "users.html",
        {
            "users": users.list_users(engine),
            "tokens": list_tokens(engine),
            "roles": users.ROLES,
            "flash": flash,
            "error": error,
        },
        status=400 if error else 200,
    )


def _user_action(request: Request, engine: Engine, act: Callable[[], str]) -> Response:
    """Run an account action; the page shows what it did, or why it was refused."""
    try:
        done = act()
    except users.UserError as exc:
        return _users_page(request, engine, error=str(exc))
    return _users_page(request, engine, flash=done)


def _named(engine: Engine, user_id: int) -> users.Account:
    account = users.get_user(engine, user_id)
    if account is None:
        raise NotVisible(str(user_id))
    return account


@router.get("/users")
def users_page(request: Request, viewer: ViewerDep, engine: EngineDep) -> Response:
    require(viewer, "users.manage")
    return _users_page(request, engine)


@router.post("/users", dependencies=[FormCsrf])
def add_user(
    request: Request,
    viewer: ViewerDep,
    engine: EngineDep,
    username: Annotated[str, Form(max_length=120)],
    password: Annotated[str, Form(max_length=200)],
    role: Annotated[str, Form(max_length=16)],
    person: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    require(viewer, "users.manage")

    def add() -> str:
        added = account_actions.add_user(
            engine, actor_of(viewer), username, password, role, person.strip() or None
        )
        return f"Added {added.username} ({added.role})."

    return _user_action(request, engine, add)


@router.post("/users/{user_id}/role", dependencies=[FormCsrf])
def change_role(
    user_id: int,
    request: Request,
    viewer: ViewerDep,
    engine: EngineDep,
    role: Annotated[str, Form(max_length=16)],
    person: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    require(viewer, "users.manage")
    account = _named(engine, user_id)

    def change() -> str:
        done = account_actions.change_role(
            engine, actor_of(viewer), account.username, role, person.strip() or None
        )
        return f"{done.username} is now {done.role}."

    return _user_action(request, engine, change)


@router.post("/users/{user_id}/active", dependencies=[FormCsrf])
def set_active(
    user_id: int,
    request: Request,
    viewer: ViewerDep,
    engine: EngineDep,
    active: Annotated[bool, Form()],
) -> Response:
    require(viewer, "users.manage")
    account = _named(engine, user_id)

    def toggle() -> str:
        account_actions.set_active(engine, actor_of(viewer), account.username, active)
        if active:
            return f"Activated {account.username}."
        return f"Deactivated {account.username}: their sessions and API tokens no longer work."

    return _user_action(request, engine, toggle)


@router.post("/users/{user_id}/tokens", dependencies=[FormCsrf])
def new_token(
    user_id: int,
    request: Request,
    viewer: ViewerDep,
    engine: EngineDep,
    expires_in_days: Annotated[int, Form(ge=1, le=3650)] = 90,
) -> Response:
    require(viewer, "users.manage")
    account = _named(engine, user_id)

    def make() -> str:
        token = account_actions.new_api_token(
            engine, actor_of(viewer), account.username, "api", expires_in_days
        )
        return (
            f"API token for {account.username} (shown once, works {expires_in_days} days): {token}"
        )

    return _user_action(request, engine, make)


@router.post("/tokens/{token_id}/revoke", dependencies=[FormCsrf])
def revoke_token(token_id: int, request: Request, viewer: ViewerDep, engine: EngineDep) -> Response:
    require(viewer, "users.manage")

    def revoke() -> str:
        account_actions.revoke_token(engine, actor_of(viewer), token_id)
        return f"Revoked API token {token_id}."

    return _user_action(request, engine, revoke)


def _imports_page(
    request: Request,
    engine_url: str | None,
    staged: imports.Staged | None = None,
    typed: dict[str, str] | None = None,
    **context: object,
) -> Response:
    status = 400 if context.get("error") else 200
    view = None
    if staged is not None:
        try:
            view = imports.mapping_view(engine_url, staged, typed)
        except ImportFailed as exc:
            context.setdefault("error", str(exc))
            status = 400
    page = {
        "tables": DATA_TABLES,
        "saved": list_mappings(engine_url),
        "staged": staged,
        "view": view,
        "to_cents": imports.to_cents,
        **context,
    }
    return render(request, "imports.html", page, status=status)


@router.get("/imports")
def imports_page(request: Request, viewer: ViewerDep, state: StateDep) -> Response:
    require(viewer, "imports")
    return _imports_page(request, state.url)


@router.post("/imports", dependencies=[FormCsrf])
def upload(
    request: Request,
    viewer: ViewerDep,
    state: StateDep,
    table: Annotated[str, Form(max_length=64)],
    file: Annotated[UploadFile, File()],
    mapping: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Stage the file and show how it maps and its validation report; nothing is written yet."""
    require(viewer, "imports")
    try:
        staged = imports.stage_mapped(
            state.url,
            table,
            file.filename or "upload.csv",
            file.file.read(),
            mapping or None,
            user=viewer.username,
        )
    except ImportFailed as exc:
        return _imports_page(request, state.url, error=str(exc))
    try:
        report = imports.check(state.url, staged)
    except ImportFailed as exc:
        return _imports_page(request, state.url, staged, error=str(exc))
    return _imports_page(request, state.url, staged, report=report)


@router.post("/imports/{sid}/mapping", dependencies=[FormCsrf])
async def remap(sid: str, request: Request, viewer: ViewerDep, state: StateDep) -> Response:
    """Preview the file with the mapping chosen on the page, or save that mapping by name."""
    require(viewer, "imports")
    staged = imports.staged(state.url, sid, viewer.username)
    if staged is None:
        raise NotVisible(sid)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    name = form.get("mapping_name", "").strip()
    try:
        spec_text = imports.choices_from_form(state.url, staged, form)
        if form.get("do") == "save":
            if not name:
                raise ImportFailed("name the mapping to save it")
            save_mapping(state.url, actor_of(viewer), name, staged.table, spec_text)
        staged = imports.remap(
            state.url, sid, spec_text, name or staged.mapping_name, viewer.username
        )
        report = imports.check(state.url, staged)
    except ImportFailed as exc:
        return _imports_page(request, state.url, staged, form, error=str(exc))
    flash = f"saved mapping {name!r} for {staged.table}" if form.get("do") == "save" else None
    return _imports_page(request, state.url, staged, report=report, flash=flash)


@router.post("/imports/{sid}/confirm", dependencies=[FormCsrf])
def confirm(sid: str, request: Request, viewer: ViewerDep, state: StateDep) -> Response:
    require(viewer, "imports")
    try:
        done = imports.confirm(state.url, sid, actor_of(viewer), viewer.username)
    except LookupError:
        raise NotVisible(sid) from None
    except ImportFailed as exc:
        again = imports.staged(state.url, sid, viewer.username)
        return _imports_page(request, state.url, again, error=str(exc))
    return _imports_page(request, state.url, done=done)


@router.post("/imports/{sid}/discard", dependencies=[FormCsrf])
def discard(sid: str, request: Request, viewer: ViewerDep, state: StateDep) -> Response:
    require(viewer, "imports")
    imports.discard(state.url, sid, viewer.username)
    return _imports_page(request, state.url)
