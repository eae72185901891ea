"""In Chromium: a rep's pages fit a 390 px phone; a run started from the runs page works in the
background with a progress bar, once however often the button is clicked; the audit log fits the
screen; the periods page does a bulk prepare and says why another period was not prepared."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from e2e_server import ARGS, CHROMIUM, Server, login

from attain.comp.runs import list_runs
from attain.data.store import get_engine
from attain.pay import Actor, publish_run, raise_dispute

TIMEOUT = 120_000
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def sized_page(playwright: Any) -> Iterator[Callable[[dict[str, int]], Any]]:
    """A page in a fresh profile with the given viewport."""
    made: list[tuple[Any, str]] = []

    def make(viewport: dict[str, int]) -> Any:
        profile = tempfile.mkdtemp(prefix="attain-chromium-")
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=ARGS, viewport=viewport
        )
        made.append((context, profile))
        return context.pages[0] if context.pages else context.new_page()

    yield make
    for context, profile in made:
        context.close()
        shutil.rmtree(profile, ignore_errors=True)


def _overflow(page: Any, width: int) -> list[str]:
    """What sticks out past the right edge (empty when the page fits)."""
    return list(
        page.evaluate(
            """width => [...document.querySelectorAll('body *')]
              .filter(e => e.getBoundingClientRect().right > width + 0.5)
              .slice(0, 5).map(e => e.tagName + '#' + e.id + ' ' + e.getBoundingClientRect().right)""",
            width,
        )
    )


def _fits(page: Any, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll} px wide: {_overflow(page, width)}"


def test_the_reps_pages_fit_a_phone(server: Server, sized_page: Any) -> None:
    rep = server.company.rep
    raise_dispute(
        server.company.url,
        Actor(rep, "rep"),
        payee=rep,
        period="2026-11",
        subject="A deal of mine closed on the 30th and is not on my statement",
        deal="D-PHONE-1",
    )
    page = sized_page(PHONE)
    login(page, server, "rep")
    assert page.url.endswith("/me")
    _fits(page, 390)
    for link in page.locator("header a").all():
        box = link.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390, "a link is off the screen"
    statements = page.eval_on_selector_all(
        "a[href*='/statements/']", "els => els.map(e => e.getAttribute('href'))"
    )
    assert statements, "the rep has no statement to open"
    page.fill("#whatif-amount", "250000")
    page.click("#whatif-go")
    page.wait_for_selector("#estimates")
    _fits(page, 390)
    for path in [f"/payees/{rep}", *statements[:2], "/disputes"]:
        page.goto(f"{server.url}{path}")
        _fits(page, 390)
    assert "D-PHONE-1" in page.locator("#disputes").inner_text()
    # a row reads as a card of "column: value" lines, the column named beside each value
    cell = page.locator("#disputes td[data-label='Subject']").first
    assert "A deal of mine" in cell.inner_text()


def test_a_run_from_the_browser_shows_progress_then_appears_once(
    server: Server, sized_page: Any
) -> None:
    engine = get_engine(server.company.url)
    before = {r.id for r in list_runs(engine, 500)}
    page = sized_page({"width": 1280, "height": 900})
    login(page, server, "admin")
    page.goto(f"{server.url}/runs")
    page.dblclick("#start-run-button")
    page.wait_for_url(re.compile(r"/runs\?job="))
    seen = []
    while page.locator("#job-progress").count():
        seen.append(int(page.locator("#job-progress").get_attribute("value") or 0))
        page.wait_for_timeout(150)
        if len(seen) > 2000:
            break
    page.wait_for_selector("#run-flash", timeout=TIMEOUT)
    assert seen, "no progress bar was shown while the run worked"
    assert seen == sorted(seen)
    new = {r.id for r in list_runs(engine, 500)} - before
    assert len(new) == 1, f"the double click made {len(new)} runs"
    (run_id,) = new
    assert page.locator("#run-flash").inner_text().startswith(f"Run {run_id}:")
    row = page.locator(f"#run-{run_id}")
    assert "draft" in row.inner_text()
    assert row.locator("button", has_text="Publish to the ledger").count() == 1


def test_the_audit_log_fits_the_screen(server: Server, sized_page: Any) -> None:
    # the company's run was published when it was built: the log holds that publish
    page = sized_page({"width": 1024, "height": 800})
    login(page, server, "admin")
    page.goto(f"{server.url}/audit")
    assert page.locator("#audit tr").count() >= 2
    _fits(page, 1024)
    text = page.locator("#audit").inner_text()
    assert "None" not in text and "['" not in text
    summary = page.locator("#audit details.full summary", has_text=re.compile(r"\d+ periods: "))
    summary.first.click()
    assert page.locator("#audit details.full[open] li").count() > 10


def test_bulk_prepare_from_the_periods_page(server: Server, sized_page: Any) -> None:
    from attain.comp.engine.periods import periods_between
    from attain.comp.runs import get_run

    run = get_run(get_engine(server.company.url), server.company.run_id)
    assert run is not None
    week = periods_between("week", run.span_to, run.span_to)[0].key  # runs past the run's end
    year = week[:4]
    page = sized_page({"width": 1280, "height": 900})
    login(page, server, "admin")
    page.goto(f"{server.url}/runs")
    if page.locator("#run-" + server.company.run_id + " .badge.published").count() == 0:
        publish_run(server.company.url, server.company.run_id, Actor("finance", "finance"))
    page.goto(f"{server.url}/periods")
    assert page.locator(f"#week-{year}").get_attribute("open") is None  # weeks start folded
    page.locator(f"#month-{year} input.select-all").check()
    # the newest month is left to the test that approves and closes one period
    newest = max(p.key for p in periods_between("month", run.span_from, run.span_to))
    newest_box = page.locator(f"#period-{newest} input[name=selected]")
    if newest_box.count():
        newest_box.uncheck()
    ticked = page.locator(f"#month-{year} input[name=selected]:checked").count()
    assert ticked >= 1
    page.locator(f"#week-{year} summary").click()
    assert page.locator(f"#period-{week} input[name=selected]").count() == 0  # not offered
    page.locator(f"#week-{year} input[name=selected]").first.check()
    page.click("#bulk-prepare")
    page.wait_for_selector("#outcome")
    outcome = page.locator("#outcome").inner_text()
    assert f"Prepared {ticked + 1}:" in outcome, outcome
    assert page.locator(f"#month-{year} input[name=selected]").count() <= 1
    assert "you prepared it" in page.locator(f"#month-{year}").inner_text()
    # a refused one-period action shows the page again with the reason, not an error page
    page.evaluate(
        """week => { const f = document.createElement('form'); f.method = 'post';
        f.action = '/periods/' + week + '/prepare';
        const c = document.createElement('input'); c.name = 'csrf';
        c.value = document.querySelector('input[name=csrf]').value; f.appendChild(c);
        document.body.appendChild(f); f.submit(); }""",
        week,
    )
    page.wait_for_selector("#outcome")
    assert page.locator("h1").inner_text() == "Periods and approvals"
    assert "not over until" in page.locator("#outcome").inner_text()
