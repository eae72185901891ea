"""The dispute list comes a page at a time, with the total, in a fixed number of queries: the
list used to load every dispute and then each one's events, one query per dispute."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient
from pay_helpers import MANAGER, run_and_publish, seed
from sqlalchemy import Engine, event

from attain.access import Scope
from attain.actions.accounts import add_user, new_api_token
from attain.audit.actor import SYSTEM, Actor
from attain.data.store import get_engine
from attain.pay import comment_dispute, raise_dispute
from attain.pay.lifecycle_view import visible_disputes

PAYEES = ("ana", "ben")
PER_PAYEE = 15


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements run on `engine` inside the block."""
    seen: list[str] = []

    def note(conn: object, cursor: object, statement: str, *rest: object) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def _company(url: str, plans: Path) -> list[int]:
    """Thirty disputes (fifteen each for ana and ben), each with a comment; newest first."""
    seed(url)
    run_and_publish(url, plans)
    ids = []
    for i in range(PER_PAYEE):
        for payee in PAYEES:
            who = Actor(payee, "rep")
            found = raise_dispute(
                url, who, payee=payee, period="2027-01", subject="missing", deal=f"{payee}{i}"
            )
            comment_dispute(url, who, found, f"comment {i}")
            ids.append(found)
    return ids[::-1]


def test_a_page_of_disputes_is_four_queries_and_carries_the_total(
    sqlite_url: str, plans_dir: Path
) -> None:
    newest_first = _company(sqlite_url, plans_dir)
    engine = get_engine(sqlite_url)
    with counted(engine) as statements:
        page = visible_disputes(engine, Scope(None), limit=10, offset=10)
    assert [d.id for d in page.items] == newest_first[10:20]
    assert page.total == 30 and len(statements) <= 4, statements
    assert all([k for _, _, k, _ in d.events] == ["raised", "comment"] for d in page.items)
    mine = visible_disputes(engine, Scope(frozenset({"ana"})), limit=50)
    assert mine.total == PER_PAYEE and {d.payee for d in mine.items} == {"ana"}
    with counted(engine) as statements:  # a manager: judged once per payee and period
        team = visible_disputes(engine, Scope(frozenset(PAYEES), MANAGER.name), limit=5)
    assert team.total == 30 and [d.id for d in team.items] == newest_first[:5]
    assert len(statements) <= 4 + 2 * len(PAYEES), statements


def test_the_api_pages_disputes_without_loading_the_others(
    sqlite_url: str, plans_dir: Path
) -> None:
    from attain.web.app import create_app

    newest_first = _company(sqlite_url, plans_dir)
    engine = get_engine(sqlite_url)
    add_user(engine, SYSTEM, "fin", "a long finance passphrase 7", "finance", None)
    token = new_api_token(engine, SYSTEM, "fin")
    with TestClient(create_app(sqlite_url, secure_cookies=False)) as client:
        auth = {"Authorization": f"Bearer {token}"}
        client.get("/api/v1/disputes?limit=1", headers=auth)  # sign-in and caches warmed
        with counted(get_engine(sqlite_url)) as statements:
            r = client.get("/api/v1/disputes?limit=7&offset=21", headers=auth)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["total"], body["limit"], body["offset"]) == (30, 7, 21)
    assert [d["id"] for d in body["items"]] == newest_first[21:28]
    events_read = [s for s in statements if "pay_dispute_events" in s]
    assert len(events_read) == 1, statements
