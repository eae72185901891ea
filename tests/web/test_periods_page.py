"""The periods page: grouped by kind and year (newest first), an action offered only when it would
succeed with the reason shown otherwise, bulk prepare / approve with a summary, and a refused
action shown on the page itself (never a bare 409 page)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from web_client import log_in, make_client
from web_company import Company

from attain.comp.engine.periods import periods_between
from attain.comp.runs import get_run
from attain.data.store import get_engine
from attain.pay import Actor, approve_period, period_state, prepare_period
from attain.pay import periods as pay_periods


@pytest.fixture
def published(company: Company, monkeypatch: pytest.MonkeyPatch) -> Iterator[Company]:
    """The company's run in the ledger (published when it was built), judged the day after the
    run's last day."""
    run = get_run(get_engine(company.url), company.run_id)
    assert run is not None
    monkeypatch.setattr(pay_periods, "current_day", lambda: run.span_to + dt.timedelta(days=1))
    yield company


_OPEN: list[TestClient] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _OPEN:
        _OPEN.pop().__exit__(None, None, None)


def _client(company: Company, role: str) -> tuple[TestClient, str]:
    """A client logged in as `role` (closed at the end of the test)."""
    c = make_client(company)
    c.__enter__()
    _OPEN.append(c)
    return c, log_in(c, role)


def _span(company: Company) -> tuple[dt.date, dt.date]:
    run = get_run(get_engine(company.url), company.run_id)
    assert run is not None
    return run.span_from, run.span_to


def _whole_months(company: Company) -> list[str]:
    start, end = _span(company)
    return [
        p.key for p in periods_between("month", start, end) if p.start >= start and p.end <= end
    ]


def _partial_week(company: Company) -> str:
    """The run's last week: it runs past the run's last day, so it is not over."""
    _, end = _span(company)
    week = periods_between("week", end, end)[0]
    assert week.end > end
    return week.key


def test_periods_are_grouped_by_kind_and_year_newest_first(published: Company) -> None:
    client, _ = _client(published, "finance")
    html = client.get("/periods").text
    body = html[html.index('<div id="periods">') :]
    headings = re.findall(r"<h2>(\w+)</h2>", body)
    assert headings[0] == "Months" and len(headings) == len(set(headings)) >= 2
    months = re.findall(r'id="period-(\d{4}-\d{2})"', body)
    assert months == sorted(months, reverse=True) and len(months) >= 10
    years = re.findall(r'<details class="year" id="(\w+)-(\d{4})"( open)?>', body)
    first_of_kind = {}
    for kind, year, opened in years:
        first_of_kind.setdefault(kind, (year, opened))
        if (year, opened) != first_of_kind[kind]:
            assert not opened, f"only the newest {kind} year is expanded ({year} is too)"
    assert first_of_kind["month"][1] and first_of_kind["quarter"][1]
    assert not first_of_kind["week"][1], "weeks (fifty a year) start folded"
    # every total carries its currency (the demo plans pay in USD)
    row = re.search(r'id="period-(\d{4}-\d{2})".*?</tr>', body, re.S)
    assert row and re.search(r'<td class="num">USD\xa0[\d,]+\.\d\d</td>', row.group(0))
    # the newest whole month is also on top, under "Now"
    top = html[html.index('id="current"') : html.index('<div id="periods">')]
    assert _whole_months(published)[-1] in top


def test_a_partial_period_is_not_offered_and_its_prepare_is_refused_on_the_page(
    published: Company,
) -> None:
    week = _partial_week(published)
    client, csrf = _client(published, "finance")
    html = client.get("/periods").text
    assert f'id="prepare-{week}"' not in html
    row = re.search(rf'id="period-{week}".*?</tr>', html, re.S)
    assert row and "not over until" in row.group(0)
    r = client.post(f"/periods/{week}/prepare", data={"csrf": csrf})
    assert r.status_code == 409
    assert "<h1>Periods and approvals</h1>" in r.text  # the page, not a bare error
    assert f"{week} not prepared: period {week} is not over until" in r.text
    assert period_state(published.url, week).status == "open"


def test_finance_is_told_to_wait_for_the_manager_instead_of_a_button(published: Company) -> None:
    month = _whole_months(published)[-1]
    prepare_period(published.url, month, Actor("admin", "admin"))
    client, csrf = _client(published, "finance")
    html = client.get("/periods").text
    assert f'id="approve-{month}"' not in html
    row = re.search(rf'id="period-{month}".*?</tr>', html, re.S)
    assert row and "waiting for the manager&#39;s approval" in row.group(0)
    r = client.post(f"/periods/{month}/approve", data={"csrf": csrf})
    assert r.status_code == 409 and "<h1>Periods and approvals</h1>" in r.text
    assert f"{month} not approved:" in r.text
    # once a manager approved, finance has the button
    approve_period(published.url, month, Actor("ada", "admin"))
    assert f'id="approve-{month}"' in client.get("/periods").text


def test_the_admin_who_approved_one_level_is_told_why_not_the_next(published: Company) -> None:
    month = _whole_months(published)[-1]
    prepare_period(published.url, month, Actor("finance", "finance"))
    approve_period(published.url, month, Actor("admin", "admin"))
    client, _ = _client(published, "admin")
    html = client.get("/periods").text
    row = re.search(rf'id="period-{month}".*?</tr>', html, re.S)
    assert row and "you approved at the manager level" in row.group(0)
    assert f'id="approve-{month}"' not in html


def test_bulk_prepare_does_each_period_and_says_why_others_were_not(published: Company) -> None:
    months = _whole_months(published)[-3:]
    week = _partial_week(published)
    client, csrf = _client(published, "finance")
    chosen = [f"{p}@0" for p in [*months, week]]
    r = client.post("/periods/bulk", data={"csrf": csrf, "step": "prepare", "selected": chosen})
    assert r.status_code == 200
    assert f"Prepared 3: {', '.join(months)}" in r.text
    assert "Not done (1)" in r.text and f"{week}: period {week} is not over until" in r.text
    assert [period_state(published.url, p).status for p in months] == ["prepared"] * 3
    assert period_state(published.url, week).status == "open"
    # bulk approve as the manager: the version each was seen at goes with it
    manager, mcsrf = _client(published, "manager")
    seen = [f"{p}@{period_state(published.url, p).version}" for p in months]
    stale = f"{months[0]}@0"
    r = manager.post(
        "/periods/bulk", data={"csrf": mcsrf, "step": "approve", "selected": [*seen[1:], stale]}
    )
    assert f"Approved 2: {', '.join(months[1:])}" in r.text
    assert f"{months[0]}: period {months[0]} changed since you looked" in r.text


def test_resolving_a_dispute_twice_shows_the_disputes_page_with_the_reason(
    published: Company,
) -> None:
    from attain.pay import raise_dispute

    rep = published.rep
    dispute = raise_dispute(
        published.url,
        Actor(rep, "rep"),
        payee=rep,
        period=_whole_months(published)[-1],
        subject="a deal is missing",
        deal="D-MISSING",
    )
    client, csrf = _client(published, "finance")
    form = {"csrf": csrf, "resolution": "checked: it closed next month", "accept": "no"}
    assert client.post(f"/disputes/{dispute}/resolve", data=form).status_code == 200
    again = client.post(f"/disputes/{dispute}/resolve", data=form)
    assert again.status_code == 200 and "<h1>Disputes</h1>" in again.text
    assert f"Not resolved: dispute {dispute} is already rejected" in again.text


def test_a_manager_sees_and_approves_only_their_teams_part(published: Company) -> None:
    """On main the manager's button approved the manager level for the whole company; now the
    row says what their approval covers, and approving covers their team's lines only."""
    from sqlalchemy import select

    from attain.pay.approvals import approvals, manager_progress
    from attain.pay.schema import ApprovalLine

    month = _whole_months(published)[-1]
    prepare_period(published.url, month, Actor("admin", "admin"))
    client, csrf = _client(published, "manager")
    html = client.get("/periods").text
    row = re.search(rf'id="period-{month}".*?</tr>', html, re.S)
    assert row and "Your approval covers" in row.group(0)
    assert "manager approvals: 0 of" in row.group(0)
    shown = re.search(r'name="lines" value="([\d,]+)"', row.group(0))
    version = re.search(r'name="version" value="(\d+)"', row.group(0))
    assert shown and version
    r = client.post(
        f"/periods/{month}/approve",
        data={"csrf": csrf, "version": version.group(1), "lines": shown.group(1)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    (step,) = approvals(published.url, month)
    assert step.approved_by == published.manager and step.lines == len(shown.group(1).split(","))
    with get_engine(published.url).connect() as conn:
        payees = set(conn.execute(select(ApprovalLine.payee)).scalars())
    assert published.rep in payees and published.other_rep not in payees
    assert published.manager not in payees
    assert not manager_progress(published.url, month).complete
    assert period_state(published.url, month).status == "prepared"
