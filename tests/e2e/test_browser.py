"""Each role logs in and does its page's main job, in a real headless Chromium."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from e2e_server import Server, login

from attain.comp import plan_versions
from attain.data.store import get_engine

TIMEOUT = 15_000


def _money(text: str, currency: str = "USD") -> Decimal:
    """`USD 5,019.92` -> 5019.92; every amount on a page names its currency."""
    code, amount = text.split(None, 1)  # a no-break space between them on the page
    assert code == currency, f"{text!r} does not start with its currency {currency}"
    return Decimal(amount.replace(",", ""))


def test_rep_sees_their_pay_traces_and_what_if(server: Server, browser_context: Any) -> None:
    page = browser_context.pages[0] if browser_context.pages else browser_context.new_page()
    login(page, server, "rep")
    assert page.url.endswith("/me")
    assert page.locator("h1").inner_text() == "My pay"
    assert _money(page.locator("#year-to-date").inner_text()) > 0
    assert page.locator("svg[aria-label^='Attainment per period']").count() == 1
    # the chart has a value axis and a place for every month of the year so far
    chart = "svg[aria-label^='Attainment per period']"
    axis = page.locator(f"{chart} text.y-label").all_text_contents()  # SVG text: no inner text
    assert axis[:2] == ["0%", "25%"]
    months = page.locator(f"{chart} text.x-label").all_text_contents()
    assert months == sorted(months) and len(months) == int(months[-1][5:7])
    for cell in page.locator("#lines td.num").all_inner_texts():
        _money(cell)  # every amount with its currency, to cents
    page.locator("details.trace summary").first.click()
    assert "attainment" in page.locator("details.trace").first.inner_text()
    page.fill("#whatif-amount", "5000000")
    page.click("#whatif-go")
    page.wait_for_selector("#estimates")
    assert "tier" in page.locator("#estimates").inner_text()
    assert _money(page.locator("#estimates .extra").first.inner_text()) > 0
    page.locator("#lines a").first.click()
    page.wait_for_selector("#statement")
    assert "Statement" in page.locator("h1").inner_text()
    # another rep's page is not found, not forbidden
    response = page.goto(f"{server.url}/payees/{server.company.other_rep}")
    assert response.status == 404


def test_reps_figure_updates_after_a_deal_is_imported(
    server: Server, new_page: Any, tmp_path: Path
) -> None:
    rep = new_page()
    login(rep, server, "rep")
    before = _money(rep.locator("#year-to-date").inner_text())
    admin = new_page()
    login(admin, server, "admin")
    admin.goto(f"{server.url}/imports")
    today = dt.date.today().isoformat()
    upload = tmp_path / "deals.csv"
    upload.write_text(
        f"id,owner,stage,amount,currency,close_date\nE2E-1,{server.company.rep},won,400000,USD,{today}\n"
    )
    admin.select_option("#import-table", "deals")
    admin.set_input_files("#import-file", str(upload))
    admin.click("#import-check")
    admin.wait_for_selector("#import-report")
    assert "would import 1 row" in admin.locator("#import-report").inner_text()
    admin.click("#import-confirm")
    admin.wait_for_selector("#import-done")
    # the rep's open page shows the new figure, without a reload
    rep.wait_for_function(
        "before => Number(document.getElementById('year-to-date').textContent"
        ".replace(/[^0-9.]/g, '')) > before",
        arg=float(before),
        timeout=TIMEOUT,
    )
    assert _money(rep.locator("#year-to-date").inner_text()) > before


def test_manager_sees_the_team_and_approves(server: Server, browser_context: Any) -> None:
    page = browser_context.pages[0] if browser_context.pages else browser_context.new_page()
    login(page, server, "manager")
    assert page.url.endswith("/team")
    assert page.locator("svg[aria-label^='Attainment of']").count() == 1
    names = page.locator("#team tr td a")
    assert names.count() >= 1
    names.first.click()
    page.wait_for_selector("#this-period")
    page.goto(f"{server.url}/periods")
    assert page.locator("h1").inner_text() == "Periods and approvals"


def test_admin_edits_a_plan_sees_the_error_at_its_line_then_saves(
    server: Server, browser_context: Any
) -> None:
    page = browser_context.pages[0] if browser_context.pages else browser_context.new_page()
    login(page, server, "admin")
    page.goto(f"{server.url}/plans/ae")
    text = page.locator("#plan-text").input_value()
    broken = text.replace("tier_mode: marginal", "tier_mode: sideways")
    line = broken.split("\n").index("    tier_mode: sideways") + 1
    page.fill("#plan-text", broken)
    page.click("#save-draft")
    page.wait_for_selector("#problems")
    assert f"line {line}" in page.locator("#problems").inner_text()
    assert "bad" in (page.locator(f"#line-{line}").get_attribute("class") or "")
    page.fill("#plan-text", text.replace("rate: 0.12", "rate: 0.13"))
    page.click("#save-draft")
    page.wait_for_url(re.compile(r"/plans/ae\?version=\d+"))
    assert page.locator("#versions").inner_text().count("draft") >= 1
    newest = plan_versions.get_version(get_engine(server.company.url), "ae")
    assert newest is not None and "rate: 0.13" in newest.text
    page.goto(f"{server.url}/users")
    assert "rep" in page.locator("#users").inner_text()
    page.goto(f"{server.url}/runs")
    assert page.locator("#runs tr").count() >= 2


def test_finance_sees_payouts_and_exports(server: Server, browser_context: Any) -> None:
    page = browser_context.pages[0] if browser_context.pages else browser_context.new_page()
    login(page, server, "finance")
    assert page.url.endswith("/finance")
    assert page.locator("#payouts tr").count() > 1
    # payroll takes approved or closed periods only: before any, no button, a line saying why
    assert page.locator("#export").count() == 0
    assert "approved or closed periods only" in page.locator("#export-none").inner_text()


def _the_other_teams_approve(url: str, period: str) -> None:
    """Every other manager approves their team; a controller the payees with nobody above."""
    from sqlalchemy import select

    from attain.audit.actor import Actor
    from attain.data.schema import Person
    from attain.pay import approve_period
    from attain.pay.approvals import approval_cover, manager_progress

    with get_engine(url).connect() as conn:
        managers = sorted({m for m in conn.execute(select(Person.manager)).scalars() if m})
    for m in managers:
        if approval_cover(url, period, Actor(m, "manager")).lines:
            approve_period(url, period, Actor(m, "manager"))
    if not manager_progress(url, period).complete:
        approve_period(url, period, Actor("controller", "finance"))


def test_a_period_is_published_approved_closed_and_exported(server: Server, new_page: Any) -> None:
    from attain.comp.runs import run_lines

    lines = run_lines(
        get_engine(server.company.url), server.company.run_id, payee=server.company.rep
    )
    period = max(ln.period for ln in lines)
    admin = new_page()
    login(admin, server, "admin")
    admin.goto(f"{server.url}/runs")
    publish = admin.locator("#runs button", has_text="Publish to the ledger")
    if publish.count():  # the newest run is a draft (another test may have published it)
        publish.first.click()
        admin.wait_for_url(re.compile(r"/periods$"))
    else:
        admin.goto(f"{server.url}/periods")
    admin.click(f"#prepare-{period}")
    # the admin prepared it, so the page offers them no approval and says why
    admin.wait_for_selector(f"#period-{period}.prepared")
    assert admin.locator(f"#approve-{period}").count() == 0
    assert "you prepared it" in admin.locator(f"#period-{period}").inner_text()
    manager = new_page()
    login(manager, server, "manager")
    manager.goto(f"{server.url}/periods")
    assert "Your approval covers" in manager.locator(f"#period-{period}").inner_text()
    manager.click(f"#approve-{period}")
    manager.wait_for_load_state()
    _the_other_teams_approve(server.company.url, period)
    finance = new_page()
    login(finance, server, "finance")
    finance.goto(f"{server.url}/periods")
    finance.click(f"#approve-{period}")
    finance.wait_for_selector(f"#close-{period}")
    finance.click(f"#close-{period}")
    finance.wait_for_load_state()
    row = finance.locator("#periods tr", has_text=period).first
    assert "closed" in row.inner_text()
    with finance.expect_download() as info:
        row.locator("a", has_text="payroll CSV").click()
    content = Path(info.value.path()).read_text()
    assert content.splitlines()[0].startswith("payee")
    assert server.company.rep in content
    finance.goto(f"{server.url}/finance")
    assert finance.locator("#accruals").count() == 1
    # the finance page's button is the same payroll export: the closed period, with currency
    assert finance.locator("#export-period option").all_inner_texts() == [period]
    with finance.expect_download() as info:
        finance.click("#export")
    exported = Path(info.value.path()).read_text().splitlines()
    assert exported[0] == "payee,name,period,pay_code,currency,amount"
    assert exported[1:] and all(re.search(r",[A-Z]{3},-?\d+\.\d\d$", r) for r in exported[1:])
