"""Uploads wait for confirmation in the store: any worker can confirm one, and they expire.

Guards: with `attain serve --workers 2` an import failed half the time (the staged file sat in
the other worker's memory), and unconfirmed uploads stayed on disk for ever.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select, text
from web_client import log_in, make_client
from web_company import Company

from attain.data.schema import Deal
from attain.data.store import get_engine
from attain.web import imports


def _csv(company: Company, deal: str) -> bytes:
    return (
        "id,owner,stage,amount,currency,close_date\n"
        f"{deal},{company.rep},won,900,USD,{dt.date.today().isoformat()}\n"
    ).encode()


def _another_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a second worker process has of this one's: nothing in memory, no files of its own."""
    monkeypatch.setattr(imports, "_dir", None)
    if hasattr(imports, "_staged"):
        monkeypatch.setattr(imports, "_staged", {})


def _deal_kept(company: Company, deal: str) -> bool:
    with get_engine(company.url).connect() as conn:
        return conn.execute(select(Deal.id).where(Deal.id == deal)).first() is not None


def test_an_upload_checked_by_one_worker_is_confirmed_by_another(
    company: Company, monkeypatch: pytest.MonkeyPatch
) -> None:
    with make_client(company) as first:
        csrf = log_in(first, "admin")
        r = first.post(
            "/imports",
            data={"csrf": csrf, "table": "deals"},
            files={"file": ("new.csv", _csv(company, "D-STAGED-1"), "text/csv")},
        )
        assert r.status_code == 200 and "would import 1 row" in r.text
        found = re.search(r'action="/imports/([^/]+)/confirm"', r.text)
        assert found
    _another_worker(monkeypatch)
    with make_client(company) as second:
        csrf = log_in(second, "admin")
        done = second.post(f"/imports/{found.group(1)}/confirm", data={"csrf": csrf})
        assert done.status_code == 200, done.text[:300]
        assert "1 inserted" in done.text
    assert _deal_kept(company, "D-STAGED-1")


def test_an_expired_upload_is_refused_and_removed(company: Company) -> None:
    engine = get_engine(company.url)
    old = imports.stage(company.url, "deals", "old.csv", _csv(company, "D-OLD-1"), user="admin")
    stale = imports.stage(company.url, "deals", "b.csv", _csv(company, "D-OLD-2"), user="admin")
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE import_staging SET expires_at = :past WHERE id IN (:a, :b)"),
            {"past": dt.datetime(2000, 1, 1), "a": old.id, "b": stale.id},
        )
    with make_client(company) as c:
        csrf = log_in(c, "admin")
        r = c.post(f"/imports/{old.id}/confirm", data={"csrf": csrf})
        assert r.status_code == 404
    assert not _deal_kept(company, "D-OLD-1")
    imports.stage(company.url, "deals", "new.csv", _csv(company, "D-NEW-1"), user="admin")
    with engine.connect() as conn:
        ids = set(conn.execute(text("SELECT id FROM import_staging")).scalars())
    assert old.id not in ids and stale.id not in ids and len(ids) == 1


def test_only_the_uploader_confirms_an_upload(company: Company) -> None:
    staged = imports.stage(company.url, "deals", "a.csv", _csv(company, "D-MINE-1"), user="alex")
    with make_client(company) as c:
        csrf = log_in(c, "admin")
        assert c.post(f"/imports/{staged.id}/confirm", data={"csrf": csrf}).status_code == 404
    assert not _deal_kept(company, "D-MINE-1")
