"""`Idempotency-Key` on POSTs that create things: the first reply is kept and replayed, so a
client retrying after a timeout never creates the thing twice."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from attain.access import Viewer
from attain.accounts.schema import IdempotentReply
from attain.clock import now
from attain.web.problems import PROBLEM_TYPE, problem_body


def idempotent(
    engine: Engine,
    request: Request,
    viewer: Viewer,
    key: str | None,
    create: Callable[[], Any],
    status: int = 201,
) -> JSONResponse:
    """Run `create` once per key and user; the same key again replays the first reply."""
    what = f"{request.method} {request.url.path}"[:300]
    if key:
        key = key[:200]
        with engine.connect() as conn:
            kept = conn.execute(
                select(IdempotentReply).where(
                    IdempotentReply.user_id == viewer.user_id, IdempotentReply.key == key
                )
            ).first()
        if kept is not None:
            if kept.request != what:
                return JSONResponse(
                    problem_body(
                        409, "Conflict", "this Idempotency-Key was used for another request"
                    ),
                    status_code=409,
                    media_type=PROBLEM_TYPE,
                )
            return JSONResponse(
                json.loads(kept.body),
                status_code=kept.status,
                headers={"Idempotent-Replayed": "true"},
            )
    body = jsonable_encoder(create())
    if key:
        try:
            with engine.begin() as conn:
                conn.execute(
                    insert(IdempotentReply).values(
                        user_id=viewer.user_id,
                        key=key,
                        request=what,
                        status=status,
                        body=json.dumps(body),
                        created_at=now(),
                    )
                )
        except IntegrityError:
            pass  # a concurrent request with the same key kept its reply first
    return JSONResponse(body, status_code=status)
