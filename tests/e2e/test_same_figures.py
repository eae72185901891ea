"""In Chromium, after a deal changes through the API: the rep's page, the manager's team page,
the finance page and the payouts export show the same amount, with its currency. On the tiny
company of tests/web/figures_company (ana is past her yearly quota: 50,000 more in March earns
9%, so her March pay goes from USD 4,700.01 to USD 9,200.01), looked at on its fixed day."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from e2e_server import Server
from figures_company import PASSWORD, TODAY, build
from web_company import Company

from attain.money_format import money

TIMEOUT = 60_000
BEFORE, AFTER = "USD 4,700.01", "USD 9,200.01"


@pytest.fixture(scope="module")
def figures_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Server, dict[str, str]]]:
    """Its own server (the deal it posts must not reach other tests), as of the company's day."""
    from e2e_server import need_chromium

    need_chromium()
    folder = tmp_path_factory.mktemp("same-figures")
    url = f"sqlite:///{folder / 'attain.db'}"
    tokens = build(url, folder)
    pinned = os.environ.get("ATTAIN_TODAY")
    os.environ["ATTAIN_TODAY"] = TODAY.isoformat()
    try:
        with Server(Company(folder / "attain.db", "mia", "ana", "eva", tokens)) as s:
            yield s, tokens
    finally:
        if pinned is None:
            os.environ.pop("ATTAIN_TODAY", None)
        else:
            os.environ["ATTAIN_TODAY"] = pinned


def _log_in(page: Any, server: Server, role: str) -> None:
    page.goto(f"{server.url}/login")
    page.fill("#username", role)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _text(page: Any, selector: str) -> str:
    """An element's text with its spaces as plain spaces (pages keep `USD 1.00` on one line)."""
    return " ".join(str(page.inner_text(selector)).split())


def _shown(pages: dict[str, Any], server: Server) -> dict[str, str]:
    """ana's March pay as each page shows it, and the export's amount written the same way."""
    rep, manager, finance = pages["rep"], pages["manager"], pages["finance"]
    rep.goto(f"{server.url}/me")
    manager.goto(f"{server.url}/team")
    finance.goto(f"{server.url}/finance")
    with finance.expect_download(timeout=TIMEOUT) as info:
        finance.select_option("#current-export-period", "2027-03")
        finance.click("#current-export")
    text = Path(info.value.path()).read_text(encoding="utf-8")
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["payee"] == "ana"]
    assert {r["currency"] for r in rows} == {"USD"}
    return {
        "rep": _text(rep, "#this-period"),
        "team": _text(manager, "#member-ana .member-this-period"),
        "finance": _text(finance, "#total-2027-03-ae"),  # ana alone sold in March
        "export": money(sum((Decimal(r["amount"]) for r in rows), Decimal(0)), "USD"),
    }


def test_after_a_deal_change_every_page_shows_the_same_amount(
    figures_server: tuple[Server, dict[str, str]], new_page: Any
) -> None:
    server, tokens = figures_server
    pages = {role: new_page() for role in ("rep", "manager", "finance")}
    for role, page in pages.items():
        page.set_default_timeout(TIMEOUT)
        _log_in(page, server, role)
    assert _shown(pages, server) == dict.fromkeys(("rep", "team", "finance", "export"), BEFORE)
    r = httpx.post(
        f"{server.url}/api/v1/deals",
        json={
            "id": "D-E2E",
            "owner": "ana",
            "stage": "won",
            "amount": "50000",
            "currency": "USD",
            "close_date": "2027-03-20",
        },
        headers={"Authorization": f"Bearer {tokens['admin']}"},
        timeout=60,
    )
    assert r.status_code == 201, r.text
    assert _shown(pages, server) == dict.fromkeys(("rep", "team", "finance", "export"), AFTER)
