"""Idempotency-Key: reserved before the work, so parallel duplicates do the work once; a key
names one request; failed work frees its key; a reply holding a secret is never kept."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select, update

from attain.accounts.schema import IdempotentReply
from attain.actions.accounts import add_user, new_api_token
from attain.audit.actor import SYSTEM
from attain.audit.schema import AuditEntry
from attain.data.schema import Person
from attain.data.store import get_engine
from races import race

ROUNDS = 3
PARALLEL = 12


def _admin(url: str) -> dict[str, str]:
    engine = get_engine(url)
    with engine.begin() as conn:
        conn.execute(insert(Person).values(id="E1", name="Ed One"))
    add_user(engine, SYSTEM, "boss", "boss-pass-123", "admin")
    return {"Authorization": f"Bearer {new_api_token(engine, SYSTEM, 'boss')}"}


def _deal(n: int, amount: str = "1000") -> dict[str, object]:
    return {"id": f"D-{n}", "owner": "E1", "stage": "closed_won", "amount": amount}


def _upserts(url: str) -> int:
    with get_engine(url).connect() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "deal.upsert")
            ).scalar_one()
        )


def test_parallel_posts_with_one_key_do_the_work_once(store_url: str) -> None:
    """Guards: 12 concurrent POSTs with one key ran the work 12 times (12 disputes)."""
    from attain.web.app import create_app

    headers = _admin(store_url)
    app = create_app(store_url, secure_cookies=False)
    for n in range(ROUNDS):
        sent = {**headers, "Idempotency-Key": f"round-{n}"}

        def post(n: int = n, sent: dict[str, str] = sent) -> tuple[int, str]:
            r = TestClient(app).post("/api/v1/deals", json=_deal(n), headers=sent)
            return r.status_code, r.text

        outcomes = race(*[post] * PARALLEL)
        assert [o[0] for o in outcomes] == [201] * PARALLEL, outcomes  # type: ignore[index]
        assert len({o[1] for o in outcomes}) == 1  # type: ignore[index]
        assert _upserts(store_url) == n + 1


def test_a_key_names_one_request(store_url: str) -> None:
    """Guards: a reused key with another body silently replayed the first reply; a failure
    must free its key, and a key lasts a day."""
    from attain.web.app import create_app

    headers = {**_admin(store_url), "Idempotency-Key": "k"}
    with TestClient(create_app(store_url, secure_cookies=False)) as c:
        assert c.post("/api/v1/deals", json=_deal(1), headers=headers).status_code == 201
        again = c.post("/api/v1/deals", json=_deal(1), headers=headers)
        assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
        other = c.post("/api/v1/deals", json=_deal(1, "2000"), headers=headers)
        assert other.status_code == 422
        assert other.headers["content-type"] == "application/problem+json"
        body = {"username": "al", "password": "al-long-pass-123", "role": "finance"}
        elsewhere = c.post("/api/v1/users", json=body, headers=headers)
        assert elsewhere.status_code == 422
        taken = {"username": "boss", "password": "al-long-pass-123", "role": "finance"}
        failed = {**headers, "Idempotency-Key": "retry"}
        assert c.post("/api/v1/users", json=taken, headers=failed).status_code == 400
        with get_engine(store_url).connect() as conn:  # failed work freed its key
            kept = conn.execute(select(IdempotentReply.key)).scalars().all()
        assert kept == ["k"]
        with get_engine(store_url).begin() as conn:  # a day passes: the key is free again
            conn.execute(update(IdempotentReply).values(expires_at=dt.datetime(2000, 1, 1)))
        assert c.post("/api/v1/deals", json=_deal(1, "2000"), headers=headers).status_code == 201
    assert _upserts(store_url) == 2


def test_a_token_made_with_a_key_is_never_kept(store_url: str) -> None:
    """Guards: a token minted with an Idempotency-Key was kept in plain text and replayed."""
    from attain.web.app import create_app

    headers = {**_admin(store_url), "Idempotency-Key": "mint"}
    with TestClient(create_app(store_url, secure_cookies=False)) as c:
        made = c.post("/api/v1/users/1/tokens", headers=headers)
        assert made.status_code == 201
        token = made.json()["token"]
        with get_engine(store_url).connect() as conn:
            rows = [
                json.dumps(r._asdict(), default=str) for r in conn.execute(select(IdempotentReply))
            ]
        assert rows and not any(token in row for row in rows)
        again = c.post("/api/v1/users/1/tokens", headers=headers)
        assert again.status_code == 410 and token not in again.text
        assert "make a new one" in again.json()["detail"]
        assert c.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_a_duplicate_of_a_request_still_working_is_told_to_retry(store_url: str) -> None:
    """Guards: a duplicate that cannot get the first reply in time must answer 409 (retry),
    never do the work a second time."""
    from attain.web.api import idempotency
    from attain.web.app import create_app

    headers = {**_admin(store_url), "Idempotency-Key": "late", "Content-Type": "application/json"}
    body = json.dumps(_deal(1)).encode()
    digest = hashlib.sha256(b"\n" + body).hexdigest()
    assert idempotency._reserve(get_engine(store_url), 1, "late", "POST /api/v1/deals", digest)
    saved, idempotency.WAIT_SECONDS = idempotency.WAIT_SECONDS, 0.0
    try:
        with TestClient(create_app(store_url, secure_cookies=False)) as c:
            r = c.post("/api/v1/deals", content=body, headers=headers)
    finally:
        idempotency.WAIT_SECONDS = saved
    assert r.status_code == 409 and "in progress" in r.json()["detail"]
    assert r.headers["retry-after"] == "1"
    assert _upserts(store_url) == 0
