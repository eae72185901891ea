"""What a request may carry before any route sees it: a bounded body (413) and no NUL character
in its path, query or JSON and form text (422). PostgreSQL cannot store a NUL in text, so
letting one through turns a typo or a probe into a server error."""

from __future__ import annotations

import json
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from attain.web.imports import MAX_BYTES
from attain.web.problems import PROBLEM_TYPE, problem_body

BODY_BYTES = 4 * 1024 * 1024
"""A JSON or form body: a plan's text (at most 200,000 characters) with room for escapes."""

UPLOAD_BYTES = MAX_BYTES + 1024 * 1024
"""A multipart upload: the largest import file and its form fields."""

_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return ""


def _has_nul(content_type: str, body: bytes) -> bool:
    if content_type.startswith("application/x-www-form-urlencoded"):
        return b"%00" in body or b"\x00" in body
    if "json" in content_type:
        return _JSON_NUL.search(body) is not None
    return False


class RequestLimits:
    """Refuses an oversized body (by its Content-Length, or once it has streamed past the limit)
    and NUL characters, as problem+json, before the app reads anything."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "\x00" in scope.get("path", "") or b"%00" in scope.get("query_string", b""):
            await _refuse(send, 422, "Invalid input", "text may not contain NUL characters")
            return
        content_type = _header(scope, b"content-type").lower()
        upload = content_type.startswith("multipart/")
        limit = UPLOAD_BYTES if upload else BODY_BYTES
        length = _header(scope, b"content-length")
        if length.isdigit() and int(length) > limit:
            await _too_large(send, limit)
            return
        if upload and length.isdigit():
            await self.app(scope, receive, send)  # the length is known and bounded: stream it
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > limit:
                await _too_large(send, limit)
                return
        if _has_nul(content_type, bytes(body)):
            await _refuse(send, 422, "Invalid input", "text may not contain NUL characters")
            return
        await self.app(scope, _replay(bytes(body), receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _too_large(send: Send, limit: int) -> None:
    await _refuse(send, 413, "Too large", f"the request body is larger than {limit:,} bytes")


async def _refuse(send: Send, status: int, title: str, detail: str) -> None:
    content = json.dumps(problem_body(status, title, detail)).encode()
    headers = [
        (b"content-type", PROBLEM_TYPE.encode()),
        (b"content-length", str(len(content)).encode()),
    ]
    if status == 413:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": content})
