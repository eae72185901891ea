"""The audit page reads as before -> after in words: the fields that changed, values formatted
(never a Python repr), long lists summarised with the whole list one click away."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re

from fastapi.testclient import TestClient
from web_client import log_in
from web_company import Company

from attain.comp.runs import run_lines
from attain.data.store import get_engine
from attain.pay import Actor
from attain.pay.periods import close_period
from attain.web.audit_view import Change, Shown, changes, shown


def test_a_change_lists_only_the_fields_that_changed_in_words() -> None:
    assert changes(
        {"status": "open", "owner": None, "cycle": 1},
        {"status": "investigating", "owner": "fay", "cycle": 1},
    ) == [
        Change("status", Shown("open"), Shown("investigating")),
        Change("owner", Shown("—"), Shown("fay")),
    ]
    assert changes(None, {"back_to_open": [], "verifiable": True}) == [
        Change("back to open", None, Shown("none")),
        Change("verifiable", None, Shown("yes")),
    ]


def test_a_long_list_is_counted_and_summarised_with_the_whole_list_kept() -> None:
    months = [f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13)]
    s = shown(months)
    assert s.text == "24 periods: 2024-01 … 2025-12"
    assert s.full == tuple(months)
    assert shown(["2026-02", "2026-01"]).text == "2026-01, 2026-02"
    mixed = shown(["2026-W02", "2026-02", "2026-Q1", "2026-01", "2026-W01", "2025-W52"])
    assert mixed.text == (
        "6 periods: 2 months 2026-01 … 2026-02; 1 quarter 2026-Q1; 3 weeks 2025-W52 … 2026-W02"
    )
    assert shown(["ab" * 32]).text == "abababababab…"
    text = shown("id: ae\ncurrency: USD\n" + "x: 1\n" * 30)
    assert text.text.startswith("id: ae") and "32 lines" in text.text and len(text.full) == 32


def test_the_audit_page_shows_readable_changes(company: Company, client: TestClient) -> None:
    # the company's run was published when it was built
    lines = run_lines(get_engine(company.url), company.run_id)
    periods = sorted({ln.period for ln in lines})
    log_in(client, "admin")
    page = client.get("/audit").text
    table = page[page.index('<table id="audit"') : page.index("</table>")]
    text = htmllib.unescape(re.sub(r"<[^>]+>", "", table))
    assert "None" not in text
    assert not re.search(r"[\[{]'", text), "a Python repr on the page"
    published = re.search(r"periods: (\d+) periods: (\d+) months (\S+) … (\S+);", text)
    assert published, text[:2000]
    assert int(published.group(1)) == len(periods)
    months = [p for p in periods if re.fullmatch(r"\d{4}-\d{2}", p)]
    assert published.group(2, 3, 4) == (str(len(months)), months[0], months[-1])
    full = re.search(r"<details class=\"full\"><summary>\d+ periods:.*?</details>", table, re.S)
    assert full and all(f"<li>{p}</li>" in full.group(0) for p in periods)


def test_a_state_change_reads_before_and_after(company: Company, client: TestClient) -> None:
    from attain.pay import approve_period, prepare_period

    # the company's run was published when it was built
    lines = run_lines(get_engine(company.url), company.run_id)
    month = max(ln.period for ln in lines if re.fullmatch(r"\d{4}-\d{2}", ln.period))
    prepare_period(company.url, month, Actor("pat", "finance"), today=_after(month))
    approve_period(company.url, month, Actor("ada", "admin"))  # every team
    approve_period(company.url, month, Actor("fay", "finance"))
    close_period(company.url, month, Actor("fay", "finance"))
    log_in(client, "admin")
    page = client.get("/audit").text
    row = re.search(
        r"<tr id=\"audit-\d+\">(?:(?!</tr>).)*period.close(?:(?!</tr>).)*</tr>", page, re.S
    )
    assert row
    text = htmllib.unescape(re.sub(r"<[^>]+>", "", row.group(0)))
    assert "status: approved → closed" in text
    assert "cycle" not in text  # unchanged fields are left out


def _after(period: str) -> dt.date:
    from attain.pay.periods import parse_period

    return parse_period(period).end + dt.timedelta(days=1)
