"""/users: accounts and API tokens, for admins (and a user's own password). Each write is an
action of `attain.actions.accounts`; a refused change answers 400 with its reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Header, HTTPException, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import Engine

from attain.access import NotVisible, actor_of, require
from attain.accounts import users
from attain.accounts.secrets import digest
from attain.accounts.tokens import list_tokens
from attain.actions import accounts as actions
from attain.web.api.idempotency import idempotent
from attain.web.api.models import (
    ApiTokenOut,
    Page,
    PasswordIn,
    TokenOut,
    UserChangeIn,
    UserIn,
    UserOut,
)
from attain.web.auth.sessions import COOKIE
from attain.web.deps import ApiCsrf, AuthDep, EngineDep, ViewerDep
from attain.web.problems import problem_responses

router = APIRouter(prefix="/users", tags=["users"])
UserId = Annotated[int, Path(ge=1, le=2**31 - 1)]
T = TypeVar("T")


def _out(a: users.Account) -> UserOut:
    return UserOut(id=a.id, username=a.username, role=a.role, person=a.person, active=a.active)


def _refused(fn: Callable[[], T]) -> T:
    try:
        return fn()
    except users.UserError as exc:
        raise HTTPException(400, str(exc)) from None


def _account(engine: Engine, user_id: int) -> users.Account:
    account = users.get_user(engine, user_id)
    if account is None:
        raise NotVisible(str(user_id))
    return account


@router.get("", response_model=Page[UserOut])
def list_users(
    viewer: ViewerDep,
    engine: EngineDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Page[UserOut]:
    """Users by name."""
    require(viewer, "users.manage")
    found = users.list_users(engine)
    return Page(
        items=[_out(a) for a in found[offset : offset + limit]],
        total=len(found),
        limit=limit,
        offset=offset,
    )


@router.post(
    "",
    response_model=UserOut,
    status_code=201,
    dependencies=[ApiCsrf],
    responses=problem_responses(400, 409, 422),
)
def add_user(
    body: UserIn,
    request: Request,
    viewer: ViewerDep,
    engine: EngineDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JSONResponse:
    """Add a user (a rep or manager is linked to a person)."""
    require(viewer, "users.manage")

    def create() -> UserOut:
        return _out(
            _refused(
                lambda: actions.add_user(
                    engine, actor_of(viewer), body.username, body.password, body.role, body.person
                )
            )
        )

    return idempotent(engine, request, viewer, idempotency_key, create)


@router.patch(
    "/{user_id}",
    response_model=UserOut,
    dependencies=[ApiCsrf],
    responses=problem_responses(400, 404),
)
def change_user(
    user_id: UserId, body: UserChangeIn, viewer: ViewerDep, engine: EngineDep
) -> UserOut:
    """Change a user's role (and person), or deactivate or activate them. Deactivating ends
    their sessions and revokes their API tokens."""
    require(viewer, "users.manage")
    account = _account(engine, user_id)
    actor = actor_of(viewer)
    if body.role is not None and (body.role, body.person) != (account.role, account.person):
        role = body.role
        account = _refused(
            lambda: actions.change_role(engine, actor, account.username, role, body.person)
        )
    if body.active is not None and body.active != account.active:
        active = body.active
        account = _refused(lambda: actions.set_active(engine, actor, account.username, active))
    return _out(account)


@router.put(
    "/{user_id}/password",
    status_code=204,
    dependencies=[ApiCsrf],
    responses=problem_responses(400, 404),
)
def set_password(
    user_id: UserId,
    body: PasswordIn,
    request: Request,
    auth: AuthDep,
    engine: EngineDep,
) -> Response:
    """Set a user's password: an admin for anyone, anyone for their own account. The user's
    sessions end and their API tokens are revoked, except the session or token making this
    call."""
    viewer = auth.viewer
    if user_id != viewer.user_id:
        require(viewer, "users.manage")
    account = _account(engine, user_id)
    cookie = request.cookies.get(COOKIE)
    header = request.headers.get("authorization", "")
    bearer = header[7:].strip() if header.lower().startswith("bearer ") else ""
    session = digest(cookie) if auth.session is not None and cookie else None
    token = digest(bearer) if auth.session is None and bearer else None
    _refused(
        lambda: actions.set_password(
            engine,
            actor_of(viewer),
            account.username,
            body.password,
            keep_session=session,
            keep_token=token,
        )
    )
    return Response(status_code=204)


@router.get("/{user_id}/tokens", response_model=list[ApiTokenOut])
def tokens(user_id: UserId, viewer: ViewerDep, engine: EngineDep) -> list[ApiTokenOut]:
    """A user's API tokens (never the token itself)."""
    require(viewer, "users.manage")
    account = _account(engine, user_id)
    return [
        ApiTokenOut(
            id=t.id,
            name=t.name,
            created_at=t.created_at,
            revoked=t.revoked,
            expires_at=t.expires_at,
        )
        for t in list_tokens(engine, account.username)
    ]


@router.post(
    "/{user_id}/tokens",
    response_model=TokenOut,
    status_code=201,
    dependencies=[ApiCsrf],
    responses=problem_responses(400, 404, 409, 410, 422),
)
def new_token(
    user_id: UserId,
    request: Request,
    viewer: ViewerDep,
    engine: EngineDep,
    name: Annotated[str, Query(min_length=1, max_length=120)] = "api",
    expires_in_days: Annotated[int, Query(ge=1, le=actions.MAX_TOKEN_DAYS)] = actions.TOKEN_DAYS,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JSONResponse:
    """Make an API token for a user, working for `expires_in_days` days (90 unless told); it is
    shown once. With an Idempotency-Key the token is not kept: the key again answers 410."""
    require(viewer, "users.manage")
    account = _account(engine, user_id)
    return idempotent(
        engine,
        request,
        viewer,
        idempotency_key,
        lambda: TokenOut(
            token=_refused(
                lambda: actions.new_api_token(
                    engine, actor_of(viewer), account.username, name, expires_in_days
                )
            ),
            username=account.username,
        ),
        secret=True,
    )


@router.delete(
    "/{user_id}/tokens/{token_id}",
    status_code=204,
    dependencies=[ApiCsrf],
    responses=problem_responses(400, 404),
)
def revoke_token(
    user_id: UserId,
    token_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    viewer: ViewerDep,
    engine: EngineDep,
) -> Response:
    """Revoke one of the user's API tokens: calls made with it are refused from now on."""
    require(viewer, "users.manage")
    account = _account(engine, user_id)
    if token_id not in {t.id for t in list_tokens(engine, account.username)}:
        raise NotVisible(str(token_id))
    _refused(lambda: actions.revoke_token(engine, actor_of(viewer), token_id))
    return Response(status_code=204)
