"""Errors as RFC 9457 problem+json on the API, and as a short page in the browser."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

PROBLEM_TYPE = "application/problem+json"


class Problem(BaseModel):
    """An error: a short title, the HTTP status, and what went wrong in a sentence."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[dict[str, Any]] | None = None


def problem_body(
    status: int, title: str, detail: str | None = None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update({k: v for k, v in extra.items() if v is not None})
    return body


TITLES = {
    400: "Bad request",
    401: "Not logged in",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Too large",
    422: "Invalid input",
    429: "Too many requests",
}


def _entry(code: int) -> dict[str, Any]:
    return {
        "description": TITLES.get(code, "Error"),
        "content": {PROBLEM_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def problem_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the problems a route may answer."""
    return {code: {"model": Problem, **_entry(code)} for code in codes}


BODY_PROBLEMS = (400, 413)
"""What any operation with a request body may answer before its route runs: a body that
cannot be parsed (400) or that is too large (413, `attain.web.limits`)."""


def declare_body_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the body problems to every operation of an OpenAPI document that takes a body."""
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                answers = operation.setdefault("responses", {})
                for code in BODY_PROBLEMS:
                    answers.setdefault(str(code), _entry(code))
    return schema
