"""Over the API, after a deal is posted: the rep's own earnings, the manager's team, the payouts
by period and the payouts CSV show the same new figure (tests/web/figures_company: ana is past
her yearly quota, so 50,000 more in March earns her 4,500.00 more)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from figures_company import TODAY, build

from attain.web.app import create_app

MARCH = "2027-03"


def _get(c: TestClient, token: str, path: str) -> Any:
    r = c.get(path, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    return r.json() if r.headers["content-type"].startswith("application/json") else r.text


def _seen(c: TestClient, tokens: dict[str, str]) -> dict[str, Decimal]:
    """ana's March pay as the rep, her manager and finance are shown it."""
    mine = _get(c, tokens["rep"], "/api/v1/me/earnings")
    team = _get(c, tokens["manager"], "/api/v1/payees/mia/team")
    ana = next(m for m in team if m["payee"] == "ana")
    payouts = _get(c, tokens["finance"], "/api/v1/payouts")["items"]
    march = next(t for t in payouts if (t["period"], t["plan"]) == (MARCH, "ae"))
    rows = csv.DictReader(
        io.StringIO(_get(c, tokens["finance"], f"/api/v1/payouts/lines.csv?period={MARCH}"))
    )
    assert mine["period"] == ana["period"] == MARCH
    assert mine["currency"] == ana["currency"] == march["currency"] == "USD"
    return {
        "rep": Decimal(mine["this_period"]),
        "team": Decimal(ana["this_period"]),
        "payouts": Decimal(march["total"]),  # ana alone closed deals in March
        "csv": sum((Decimal(r["amount"]) for r in rows if r["payee"] == "ana"), Decimal(0)),
        "rep ytd": Decimal(mine["year_to_date"]),
        "team ytd": Decimal(ana["year_to_date"]),
    }


@pytest.mark.parametrize("store", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_posted_deal_shows_the_same_everywhere(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    url = (
        f"sqlite:///{tmp_path / 'a.db'}"
        if store == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    tokens = build(url, tmp_path)
    monkeypatch.setenv("ATTAIN_TODAY", TODAY.isoformat())
    with TestClient(create_app(url, secure_cookies=False)) as c:
        before = _seen(c, tokens)
        r = c.post(
            "/api/v1/deals",
            json={
                "id": "D-LIVE",
                "owner": "ana",
                "stage": "won",
                "amount": "50000",
                "currency": "USD",
                "close_date": "2027-03-20",
            },
            headers={"Authorization": f"Bearer {tokens['admin']}"},
        )
        assert r.status_code == 201, r.text
        after = _seen(c, tokens)
    assert set(before.values()) == {Decimal("4700.01"), Decimal("7700.01")}
    assert {k: after[k] for k in ("rep", "team", "payouts", "csv")} == dict.fromkeys(
        ("rep", "team", "payouts", "csv"), Decimal("9200.01")
    )
    assert after["rep ytd"] == after["team ytd"] == Decimal("12200.01")


def test_the_payouts_csv_is_for_finance_only(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    tokens = build(url, tmp_path)
    with TestClient(create_app(url, secure_cookies=False)) as c:
        r = c.get(
            f"/api/v1/payouts/lines.csv?period={MARCH}",
            headers={"Authorization": f"Bearer {tokens['rep']}"},
        )
        assert r.status_code == 403
        r = c.get(
            "/api/v1/payouts/lines.csv?period=2027-13",
            headers={"Authorization": f"Bearer {tokens['finance']}"},
        )
        assert r.status_code == 422 and "not a period name: '2027-13'" in r.text
