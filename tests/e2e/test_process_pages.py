"""The process map page in a real headless Chromium, on the small paid company's deals with the
real engine: the map renders one box per activity of the engine's map, a click on an arrow lists
that transition's cases, and a filter changes the figures to the engine's for the cut."""

from __future__ import annotations

from typing import Any

from e2e_server import Server, login

from attain.access.scope import Scope
from attain.data.store import get_engine
from attain.process.discovery import cases_of_transition, process_map
from attain.process.log import visible
from attain.process.store_logs import store_log

TIMEOUT = 30_000


def _text(page: Any, selector: str) -> str:
    return " ".join(str(page.inner_text(selector)).split())


def _open(server: Server, browser_context: Any, role: str, query: str = "") -> Any:
    page = browser_context.pages[0] if browser_context.pages else browser_context.new_page()
    login(page, server, role)
    page.goto(f"{server.url}/process?log=deals{query}")
    page.wait_for_selector("svg.process-map", timeout=TIMEOUT)
    return page


def test_the_map_renders_the_engines_activities(server: Server, browser_context: Any) -> None:
    page = _open(server, browser_context, "admin")
    pm = process_map(store_log(get_engine(server.company.url), "deals"))
    assert pm.activities, "the company's deals have stage events"
    names = page.eval_on_selector_all(
        "svg.process-map g.activity", "els => els.map(e => e.dataset.activity)"
    )
    assert sorted(names) == sorted(a.name for a in pm.activities)
    assert page.locator("svg.process-map a.transition").count() == len(pm.transitions)
    assert _text(page, "#cases-count") == f"{pm.cases:,}"
    assert page.locator("svg.process-map .legend-band").count() >= 2


def test_a_click_on_an_arrow_lists_its_cases(server: Server, browser_context: Any) -> None:
    page = _open(server, browser_context, "admin")
    log = store_log(get_engine(server.company.url), "deals")
    busiest = process_map(log).transitions[0]
    arrow = page.locator(
        f"svg.process-map a.transition[data-source='{busiest.source}']"
        f"[data-target='{busiest.target}']"
    )
    arrow.dispatch_event("click")
    page.wait_for_selector("#cases tr.case-row", timeout=TIMEOUT)
    expected = cases_of_transition(log, busiest.source, busiest.target)
    rows = page.locator("#cases tr.case-row")
    assert rows.count() == len(expected) > 0
    first = rows.nth(0).locator("td").all_inner_texts()
    assert first[0] == expected[0]["case_id"]  # the slowest first
    assert busiest.source in _text(page, "#cases-title")


def test_a_filter_changes_the_figures(server: Server, browser_context: Any) -> None:
    page = _open(server, browser_context, "admin")
    before = _text(page, "#cases-count")
    rep = server.company.rep
    page.select_option("#attribute", "owner")
    page.fill("#value", rep)
    page.click("#apply")
    page.wait_for_url("**owner**", timeout=TIMEOUT)
    page.wait_for_selector("svg.process-map", timeout=TIMEOUT)
    log = store_log(get_engine(server.company.url), "deals")
    own = process_map(visible(log, Scope(frozenset({rep}))))
    assert _text(page, "#cases-count") == f"{own.cases:,}" != before
    assert page.locator("svg.process-map a.transition").count() == len(own.transitions)


def test_a_rep_sees_their_own_cases_only(server: Server, browser_context: Any) -> None:
    page = _open(server, browser_context, "rep")
    rep = server.company.rep
    log = store_log(get_engine(server.company.url), "deals")
    own = process_map(visible(log, Scope(frozenset({rep}))))
    assert _text(page, "#cases-count") == f"{own.cases:,}"
