"""The forecast pages in a real headless Chromium, on the small paid company with the real
engine: the figures the manager and the rep are shown are the engine's own forecast of their
node, every amount names its currency, and a call submitted on the form is in force at once."""

from __future__ import annotations

from typing import Any

from e2e_server import Server, login

from attain.comp.engine.periods import period_of
from attain.data.store import get_engine
from attain.money_format import money
from attain.web import forecast_cache
from attain.web.deps import today

TIMEOUT = 30_000


def _text(page: Any, selector: str) -> str:
    return " ".join(str(page.inner_text(selector)).split())


def _shown(value: Any) -> str:
    return money(value, "USD") if value is not None else "–"


def _engine_forecast(server: Server, node: str) -> Any:
    period = period_of(today(), "quarter").key
    # the node cut from the company's forecast, as the server keeps it (tests/web checks the
    # cut against the engine's own forecast of the node)
    return forecast_cache.pipeline(get_engine(server.company.url), period, today(), node)


def test_the_manager_sees_the_engines_roll_up(server: Server, browser_context: Any) -> None:
    page = browser_context.pages[0] if browser_context.pages else browser_context.new_page()
    login(page, server, "manager")
    page.click("nav >> text=Forecast")
    page.wait_for_selector("#rollup", timeout=TIMEOUT)
    f = _engine_forecast(server, server.company.manager)
    root = f.root
    assert _text(page, "#expected") == money(root.expected, "USD")
    assert _text(page, "#band") == f"{money(root.low, 'USD')} – {money(root.high, 'USD')}"
    assert _text(page, "#weighted") == money(root.weighted_pipeline, "USD")
    assert _text(page, "#quota") == _shown(root.quota)
    for child in root.children:
        row = f"#node-{child.node}"
        assert _text(page, f"{row} .node-expected") == money(child.expected, "USD")
        assert _text(page, f"{row} .node-weighted") == money(child.weighted_pipeline, "USD")
    movers = page.locator("#movers tr[id^='movers-']")
    assert movers.count() == min(15, len(f.deals))
    first = f.deals[0]
    assert _text(page, f"#movers-{first.deal} .deal-expected") == money(first.expected, "USD")
    assert page.locator("svg[aria-label^='Forecast in USD'] rect.band").count() >= 2
    # a node outside their part of the hierarchy is not found
    response = page.goto(f"{server.url}/forecast?node={server.company.other_rep}")
    assert response is not None and response.status == 404


def test_the_rep_sees_their_own_deals_with_scores(server: Server, browser_context: Any) -> None:
    page = browser_context.pages[0] if browser_context.pages else browser_context.new_page()
    login(page, server, "rep")
    page.click("nav >> text=Forecast")
    page.wait_for_selector("#my-deals", timeout=TIMEOUT)
    f = _engine_forecast(server, server.company.rep)
    assert _text(page, "#expected") == money(f.root.expected, "USD")
    assert _text(page, "#attainment") != ""
    rows = page.locator("#my-deals tr[id^='my-deals-']")
    assert rows.count() == len(f.deals) > 0
    assert {d.owner for d in f.deals} == {server.company.rep}
    d = f.deals[0]
    assert _text(page, f"#my-deals-{d.deal} .deal-expected") == money(d.expected, "USD")
    assert _text(page, f"#my-deals-{d.deal} .deal-reasons").startswith(d.reasons[0])
    assert page.locator("nav >> text=Models").count() == 0


def test_a_call_submitted_on_the_form_is_in_force(server: Server, browser_context: Any) -> None:
    page = browser_context.pages[0] if browser_context.pages else browser_context.new_page()
    login(page, server, "manager")
    page.goto(f"{server.url}/forecast")
    page.fill("#call-commit", "not money")
    page.click("#call-submit")
    page.wait_for_selector("#call-problem", timeout=TIMEOUT)
    assert "commit" in _text(page, "#call-problem")
    page.fill("#call-commit", "1,234,567.891")
    page.fill("#call-best-case", "2000000")
    page.click("#call-submit")
    page.wait_for_selector("#call-done", timeout=TIMEOUT)
    assert _text(page, "#commit") == "USD 1,234,567.89"
    assert _text(page, "#best-case") == "USD 2,000,000.00"
    row = f"#node-{server.company.manager}"
    assert _text(page, f"{row} .node-commit") == "USD 1,234,567.89"
