"""/users: accounts and API tokens, for admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import JSONResponse

from attain.access import NotVisible, require
from attain.accounts import users
from attain.web.api.idempotency import idempotent
from attain.web.api.models import Page, TokenOut, UserIn, UserOut
from attain.web.deps import ApiCsrf, EngineDep, ViewerDep
from attain.web.problems import problem_responses

router = APIRouter(prefix="/users", tags=["users"])


def _out(a: users.Account) -> UserOut:
    return UserOut(id=a.id, username=a.username, role=a.role, person=a.person, active=a.active)


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
    responses=problem_responses(400, 409),
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
    from fastapi import HTTPException

    def create() -> UserOut:
        try:
            return _out(
                users.add_user(engine, body.username, body.password, body.role, body.person)
            )
        except users.UserError as exc:
            raise HTTPException(400, str(exc)) from None

    return idempotent(engine, request, viewer, idempotency_key, create)


@router.post("/{user_id}/tokens", response_model=TokenOut, status_code=201, dependencies=[ApiCsrf])
def new_token(
    user_id: Annotated[int, Path(ge=1, le=2**31)],
    request: Request,
    viewer: ViewerDep,
    engine: EngineDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JSONResponse:
    """Make an API token for a user; it is shown once."""
    require(viewer, "users.manage")
    account = users.get_user(engine, user_id)
    if account is None:
        raise NotVisible(str(user_id))
    return idempotent(
        engine,
        request,
        viewer,
        idempotency_key,
        lambda: TokenOut(
            token=users.new_api_token(engine, account.username), username=account.username
        ),
    )
