"""The plan editor in a real Chromium: every error of a plan at its line, the gutter in step."""

from __future__ import annotations

import itertools
from typing import Any

from e2e_server import Server, login

PLAN = """id: ae
currency: USD
period: month
credits:
  - id: owner
    from: deals
    where: stage == "won"
    to: owner
    value: amont
    currency: currency
    date: close_date
measures:
  bookings: {sum: value}
components:
  - id: commission
    measure: bookngs
    rate: 0.05
"""


def test_a_plan_with_two_typos_shows_both_at_their_lines(
    server: Server, browser_context: Any
) -> None:
    page = browser_context.pages[0] if browser_context.pages else browser_context.new_page()
    login(page, server, "admin")
    page.goto(f"{server.url}/plans/ae")
    page.fill("#plan-text", PLAN)
    page.click("#save-draft")
    page.wait_for_selector("#problems")
    problems = page.locator("#problems li.problem")
    assert problems.count() == 2
    texts = [problems.nth(i).inner_text() for i in range(2)]
    assert texts[0].startswith("line 9, column 12:") and "unknown column `amont`" in texts[0]
    assert texts[1].startswith("line 16, column 14:") and "unknown measure `bookngs`" in texts[1]
    bad = [
        i
        for i in range(1, 18)
        if "bad" in (page.locator(f"#line-{i}").get_attribute("class") or "")
    ]
    assert bad == [9, 16]
    # Each number sits beside its own line of text: one line height apart, bad lines included
    # (a bad line used to take two, so every number after it was one line off).
    tops = [page.locator(f"#line-{i}").bounding_box()["y"] for i in range(1, 18)]
    steps = {round(b - a, 1) for a, b in itertools.pairwise(tops)}
    assert len(steps) == 1, steps
    height = float(
        page.eval_on_selector("#plan-text", "e => parseFloat(getComputedStyle(e).lineHeight)")
    )
    assert abs(steps.pop() - height) < 0.5
    area = page.locator("#plan-text").bounding_box()["y"]
    pad = float(
        page.eval_on_selector("#plan-text", "e => parseFloat(getComputedStyle(e).paddingTop)")
    )
    assert abs(tops[8] - (area + pad + 8 * height)) < 2  # line 9 beside the textarea's line 9
