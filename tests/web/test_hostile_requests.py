"""Requests an attacker sends to the served API, on SQLite and PostgreSQL: each gets a
documented 4xx as problem+json, never a 5xx and never a 200 that means nothing."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from served_app import Served

PAST_THE_LIMIT = 5 * 1024 * 1024
"""More than a JSON body may carry (4 MiB, `attain.web.limits`)."""


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def served(request: pytest.FixtureRequest) -> Served:
    return request.getfixturevalue("on_sqlite" if request.param == "sqlite" else "on_postgres")


@pytest.fixture
def admin(served: Served) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {served.tokens['admin']}"}
    with httpx.Client(base_url=served.base_url, headers=headers, timeout=60) as client:
        yield client


def _problem(r: httpx.Response, status: int) -> dict[str, object]:
    assert r.status_code == status, (r.status_code, r.text[:300])
    assert r.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = r.json()
    assert body["status"] == status
    return body


def _documented(admin: httpx.Client, method: str, path: str) -> set[str]:
    return set(admin.get("/openapi.json").json()["paths"][path][method]["responses"])


def test_a_body_over_the_limit_is_refused_unread(admin: httpx.Client) -> None:
    """A body past the limit is 413 by its Content-Length; on main a 20 MB deal was read into
    memory and validated (422), and nothing bounded a body."""
    huge = b'{"id": "' + b"x" * (PAST_THE_LIMIT) + b'"}'
    r = admin.post("/api/v1/deals", content=huge, headers={"content-type": "application/json"})
    assert "too large" in str(_problem(r, 413)["title"]).lower()
    assert "413" in _documented(admin, "post", "/api/v1/deals")


def test_a_streamed_body_over_the_limit_is_refused(admin: httpx.Client) -> None:
    """A chunked body (no Content-Length) is counted as it arrives: 413 once past the limit.
    On main it was read whole (422)."""

    def chunks() -> Iterator[bytes]:
        yield b'{"id": "'
        for _ in range(PAST_THE_LIMIT // 65536):
            yield b"x" * 65536
        yield b'"}'

    r = admin.post("/api/v1/deals", content=chunks(), headers={"content-type": "application/json"})
    _problem(r, 413)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/payees/%00/earnings",
        "/api/v1/runs/%00%00%00%00",
        "/api/v1/payees?q=%00",
        "/api/v1/payees/E00001/lines?period=%00",
    ],
)
def test_a_nul_character_in_the_path_or_query_is_invalid_input(
    admin: httpx.Client, path: str
) -> None:
    """PostgreSQL cannot hold a NUL in text: on main these were 500s there (and 200s with
    nothing in them on SQLite)."""
    assert "NUL" in str(_problem(admin.get(path), 422)["detail"])


def test_a_nul_character_in_a_json_body_is_invalid_input(admin: httpx.Client) -> None:
    """On main a user named "a\\u0000b" was created on SQLite and was a 500 on PostgreSQL."""
    body = {"username": "a\x00b", "password": "a-long-pass-1", "role": "admin"}
    _problem(admin.post("/api/v1/users", json=body), 422)
    assert all(u["username"] != "a\x00b" for u in admin.get("/api/v1/users").json()["items"])


def test_an_id_past_the_stores_integers_is_invalid_input(admin: httpx.Client) -> None:
    """On main 2**31 passed validation and PostgreSQL's integer column made it a 500."""
    _problem(admin.get("/api/v1/users/2147483648/tokens"), 422)


@pytest.mark.parametrize("what", ["earnings", "live", "lines", "team"])
def test_an_unknown_payee_is_not_found_for_those_who_see_everyone(
    admin: httpx.Client, what: str
) -> None:
    """On main an admin asking for a payee that does not exist got 200 with zeros (or an
    empty page), as if the payee had earned nothing."""
    _problem(admin.get(f"/api/v1/payees/NO-SUCH-PAYEE/{what}"), 404)


def test_a_body_that_is_not_text_gets_a_documented_400(admin: httpx.Client) -> None:
    """Bytes that are not UTF-8 cannot be parsed (400): on main that status was not in the
    schema, and Schemathesis reported it."""
    r = admin.post(
        "/api/v1/deals", content=b'{"id": "\xff\xfe"}', headers={"content-type": "application/json"}
    )
    _problem(r, 400)
    assert "400" in _documented(admin, "post", "/api/v1/deals")
