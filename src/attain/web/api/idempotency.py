"""`Idempotency-Key` on POSTs that create things: the key is reserved before the work runs, so a
client retrying after a timeout, or a double click, never creates the thing twice.

- The first request with a key reserves it (a unique row: user, key, request, a hash of the
  query and body, state pending), does the work, then keeps the reply.
- The same key again, while the first is still working, waits a few seconds for its reply; if
  it is still not done, 409 "in progress" (retry later).
- The same key with another path or body is 422: a key names one request.
- Work that fails (a 4xx, a 5xx or an exception) releases the key, so a retry runs again.
- A reply holding a secret (a new API token) is never kept: the key again answers 410.
- Keys expire after a day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from attain.access import Viewer
from attain.accounts.schema import IdempotentReply
from attain.clock import now
from attain.web.problems import PROBLEM_TYPE, problem_body

KEPT_FOR = dt.timedelta(hours=24)
WAIT_SECONDS = 5.0
"""How long a duplicate waits for the first request's reply before answering 409."""
_POLL = 0.05


def _problem(status: int, title: str, detail: str, **headers: str) -> JSONResponse:
    return JSONResponse(
        problem_body(status, title, detail),
        status_code=status,
        media_type=PROBLEM_TYPE,
        headers=headers or None,
    )


def _request_hash(request: Request) -> str:
    """What makes two requests the same: the query and the body (read by FastAPI already)."""
    body: bytes = getattr(request, "_body", b"") or b""
    return hashlib.sha256(request.url.query.encode() + b"\n" + body).hexdigest()


def _reserve(engine: Engine, user_id: int, key: str, what: str, digest: str) -> bool:
    """Reserve the key for this request; False when a row for it exists already."""
    at = now()
    try:
        with engine.begin() as conn:
            conn.execute(delete(IdempotentReply).where(IdempotentReply.expires_at < at))
            conn.execute(
                insert(IdempotentReply).values(
                    user_id=user_id,
                    key=key,
                    request=what,
                    request_hash=digest,
                    state="pending",
                    status=None,
                    body=None,
                    secret=False,
                    created_at=at,
                    expires_at=at + KEPT_FOR,
                )
            )
    except IntegrityError:
        return False
    return True


def _kept(engine: Engine, user_id: int, key: str) -> Any:
    with engine.connect() as conn:
        return conn.execute(
            select(IdempotentReply).where(
                IdempotentReply.user_id == user_id,
                IdempotentReply.key == key,
                IdempotentReply.expires_at >= now(),
            )
        ).first()


def _release(engine: Engine, user_id: int, key: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            delete(IdempotentReply).where(
                IdempotentReply.user_id == user_id,
                IdempotentReply.key == key,
                IdempotentReply.state == "pending",
            )
        )


def _answer_of(kept: Any, what: str, digest: str) -> JSONResponse | None:
    """The answer a repeated key gets from its row; None while the first is still working."""
    if kept.request != what or kept.request_hash != digest:
        return _problem(
            422,
            "Invalid input",
            "this Idempotency-Key was used for another request: use a new key",
        )
    if kept.state == "pending":
        return None
    if kept.secret:
        return _problem(
            410,
            "Gone",
            "the reply held a secret that is shown once and not kept: make a new one",
        )
    return JSONResponse(
        json.loads(kept.body),
        status_code=kept.status,
        headers={"Idempotent-Replayed": "true"},
    )


def _in_progress() -> JSONResponse:
    return _problem(
        409,
        "Conflict",
        "a request with this Idempotency-Key is in progress: retry in a moment",
        **{"Retry-After": "1"},
    )


def idempotent(
    engine: Engine,
    request: Request,
    viewer: Viewer,
    key: str | None,
    create: Callable[[], Any],
    status: int = 201,
    *,
    secret: bool = False,
) -> JSONResponse:
    """Run `create` once per key and user. `secret`: the reply holds a secret, never kept."""
    if not key:
        return JSONResponse(jsonable_encoder(create()), status_code=status)
    key = key[:200]
    what = f"{request.method} {request.url.path}"[:300]
    digest = _request_hash(request)
    deadline = time.monotonic() + WAIT_SECONDS
    while not _reserve(engine, viewer.user_id, key, what, digest):
        while (kept := _kept(engine, viewer.user_id, key)) is not None:
            answer = _answer_of(kept, what, digest)
            if answer is not None:
                return answer
            if time.monotonic() >= deadline:
                return _in_progress()
            time.sleep(_POLL)  # the first request is still working
        if time.monotonic() >= deadline:
            return _in_progress()
        # the key was released (the first request failed) or expired: try to reserve it again
    try:
        body = jsonable_encoder(create())
    except BaseException:
        _release(engine, viewer.user_id, key)
        raise
    with engine.begin() as conn:
        conn.execute(
            update(IdempotentReply)
            .where(IdempotentReply.user_id == viewer.user_id, IdempotentReply.key == key)
            .values(
                state="done",
                status=status,
                body=None if secret else json.dumps(body),
                secret=secret,
            )
        )
    return JSONResponse(body, status_code=status)
