"""The process API and pages on the small paid company's deals, with the real engine: the map
each role gets is the engine's map of the cases it may see (a rep: their own deals; a manager:
their team's), a transition lists none of another's cases, and bad input names its field."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from web_client import make_client
from web_company import Company

from attain.access.scope import Scope
from attain.data.store import get_engine
from attain.hierarchy import team_of
from attain.process.discovery import process_map
from attain.process.log import visible
from attain.process.store_logs import store_log
from attain.web.api.process import plain
from attain.web.deps import today


@pytest.fixture(scope="module")
def api(shared_company: Company) -> Iterator[TestClient]:
    with make_client(shared_company) as c:
        yield c


def _get(api: TestClient, company: Company, role: str, path: str, **params: str) -> dict:
    r = api.get(path, params=params, headers={"Authorization": f"Bearer {company.tokens[role]}"})
    assert r.status_code == 200, r.text
    return r.json()


def _status(api: TestClient, company: Company, role: str, path: str, **params: str) -> int:
    headers = {"Authorization": f"Bearer {company.tokens[role]}"}
    return api.get(path, params=params, headers=headers).status_code


def test_each_role_gets_the_engines_map_of_what_it_may_see(
    api: TestClient, shared_company: Company
) -> None:
    engine = get_engine(shared_company.url)
    log = store_log(engine, "deals")
    team = team_of(engine, shared_company.manager, today())
    for role, scope in (
        ("admin", Scope(None)),
        ("finance", Scope(None)),
        ("manager", Scope(frozenset(team), shared_company.manager)),
        ("rep", Scope(frozenset({shared_company.rep}))),
    ):
        shown = _get(api, shared_company, role, "/api/v1/process/deals/map")
        assert shown == plain(process_map(visible(log, scope))), role
    everyone = _get(api, shared_company, "admin", "/api/v1/process/deals/map")["cases"]
    mine = _get(api, shared_company, "rep", "/api/v1/process/deals/map")["cases"]
    assert 0 < mine < everyone


def test_a_rep_never_sees_another_reps_case(api: TestClient, shared_company: Company) -> None:
    shown = _get(api, shared_company, "admin", "/api/v1/process/deals/map")
    rep, other = shared_company.rep, shared_company.other_rep
    for t in shown["transitions"][:5]:
        path = f"/api/v1/process/deals/transitions/{t['source']}/{t['target']}/cases"
        for case in _get(api, shared_company, "rep", path)["items"]:
            assert case["owner"] == rep
        owners = {
            c["owner"] for c in _get(api, shared_company, "admin", path, limit="1000")["items"]
        }
        if other in owners:
            assert other not in {
                c["owner"] for c in _get(api, shared_company, "rep", path, limit="1000")["items"]
            }
    # filtering on another rep's deals shows a rep nothing of them
    cut = _get(
        api, shared_company, "rep", "/api/v1/process/deals/map", attribute="owner", value=other
    )
    assert cut["cases"] == 0 and cut["transitions"] == []


def test_the_cases_of_a_transition_are_slowest_first_with_money(
    api: TestClient, shared_company: Company
) -> None:
    t = _get(api, shared_company, "admin", "/api/v1/process/deals/map")["transitions"][0]
    path = f"/api/v1/process/deals/transitions/{t['source']}/{t['target']}/cases"
    items = _get(api, shared_company, "admin", path, limit="1000")["items"]
    assert len(items) == t["cases"]
    waits = [c["wait_s"] for c in items]
    assert waits == sorted(waits, reverse=True)
    with_amount = [c for c in items if c["amount"] is not None]
    assert with_amount and with_amount[0]["amount_shown"].startswith("USD ")
    assert with_amount[0]["amount_shown"].split(".")[-1].isdigit()


def test_bad_input_and_unknown_logs(api: TestClient, shared_company: Company) -> None:
    assert _status(api, shared_company, "admin", "/api/v1/process/nothing/map") == 404
    r = api.get(
        "/api/v1/process/deals/map",
        params={"since": "yesterday"},
        headers={"Authorization": f"Bearer {shared_company.tokens['admin']}"},
    )
    assert r.status_code == 422 and "since" in r.text
    r = api.get(
        "/api/v1/process/deals/map",
        params={"attribute": "colour", "value": "red"},
        headers={"Authorization": f"Bearer {shared_company.tokens['admin']}"},
    )
    assert r.status_code == 422 and "colour" in r.text


def test_the_map_page_draws_the_map(api: TestClient, shared_company: Company) -> None:
    from web_client import log_in

    with make_client(shared_company) as browser:
        log_in(browser, "manager")
        page = browser.get("/process", params={"log": "deals", "mode": "performance"})
        assert page.status_code == 200, page.text
        assert page.text.count('class="activity"') == len(
            _get(api, shared_company, "manager", "/api/v1/process/deals/map")["activities"]
        )
        assert browser.get("/process", params={"mode": "colour"}).status_code == 422
        for path in ("/process/variants", "/process/bottlenecks", "/process/conformance"):
            assert browser.get(path).status_code == 200, path


def test_business_hours_maps_and_cases_are_the_engines_on_each_cases_calendar(
    api: TestClient, shared_company: Company
) -> None:
    """`waiting=business` on the API and the page: the engine's map with waits counted in each
    case's work calendar (so never longer than elapsed), and the cases behind a transition
    listed on the same clock."""
    from web_client import log_in

    from attain.process.calendar import load_calendars

    engine = get_engine(shared_company.url)
    calendars = load_calendars(engine)
    assert calendars, "the company's territories have work calendars"
    log = store_log(engine, "deals")
    shown = _get(api, shared_company, "admin", "/api/v1/process/deals/map", waiting="business")
    engines = plain(process_map(log, waiting="business", calendars=calendars))
    assert _rounded(shown) == _rounded(engines)
    assert shown["waiting"] == "business"
    elapsed = _get(api, shared_company, "admin", "/api/v1/process/deals/map")
    by_edge = {(t["source"], t["target"]): t for t in elapsed["transitions"]}
    for t in shown["transitions"]:
        assert t["wait_total_s"] <= by_edge[(t["source"], t["target"])]["wait_total_s"] + 1e-6
    assert sum(t["wait_total_s"] for t in shown["transitions"]) < sum(
        t["wait_total_s"] for t in elapsed["transitions"]
    )
    t = shown["transitions"][0]
    path = f"/api/v1/process/deals/transitions/{t['source']}/{t['target']}/cases"
    business = _get(api, shared_company, "admin", path, limit="1000", waiting="business")["items"]
    wall = {
        c["case_id"]: c["wait_s"]
        for c in _get(api, shared_company, "admin", path, limit="1000")["items"]
    }
    assert len(business) == t["cases"]
    assert all(c["wait_s"] <= wall[c["case_id"]] + 1e-6 for c in business)
    assert [c["wait_s"] for c in business] == sorted((c["wait_s"] for c in business), reverse=True)
    assert _status(api, shared_company, "admin", "/api/v1/process/deals/map", waiting="x") == 422
    with make_client(shared_company) as browser:
        log_in(browser, "manager")
        page = browser.get("/process", params={"waiting": "business"})
        assert page.status_code == 200, page.text
        assert '<option value="business" selected>business hours</option>' in page.text
        assert "waiting=business" in page.text  # the arrows' cases are fetched on that clock
        assert browser.get("/process", params={"waiting": "weekly"}).status_code == 422


def _rounded(shown: object) -> object:
    """Times to the microsecond (the engine here and the page's kept copy may differ in a
    float's last bits)."""
    if isinstance(shown, dict):
        return {k: _rounded(v) for k, v in shown.items()}
    if isinstance(shown, list):
        return [_rounded(v) for v in shown]
    return round(shown, 6) if isinstance(shown, float) else shown


def test_the_compare_page_sets_won_against_lost_as_the_engine_does(
    shared_company: Company,
) -> None:
    """Side by side for a manager: each side is the engine's map of the team's won (or lost)
    deals, and each transition's shares are those `compare_maps` gives; a bad side is 422."""
    import re

    from web_client import log_in

    from attain.money_format import percent
    from attain.process.compare import compare_maps
    from attain.process.filters import Filter

    engine = get_engine(shared_company.url)
    team = team_of(engine, shared_company.manager, today())
    mine = visible(store_log(engine, "deals"), Scope(frozenset(team), shared_company.manager))
    won, lost = (
        process_map(mine.filtered(Filter(attributes={"outcome": (o,)}))) for o in ("won", "lost")
    )
    assert won.cases and lost.cases
    expected = compare_maps(won, lost)
    with make_client(shared_company) as browser:
        log_in(browser, "manager")
        page = browser.get("/process/compare", params={"log": "deals"})
        assert page.status_code == 200, page.text
        assert f"{won.cases:,} deals" in page.text and f"{lost.cases:,} deals" in page.text
        rows = re.findall(r'<tr class="compared-row">(.*?)</tr>', page.text, re.S)
        first = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>.*?</td>", rows[0])]
        d = expected[0]
        assert first[:4] == [d.source, d.target, percent(d.a_case_share), percent(d.b_case_share)]
        assert len(rows) == min(len(expected), 40)
        bad = browser.get("/process/compare", params={"a_since": "last year"})
        assert bad.status_code == 422


def test_variants_and_bottlenecks_are_the_engines_for_the_viewers_part(
    api: TestClient, shared_company: Company
) -> None:
    """The manager's variants and bottlenecks are the engine's over their team's cases, and a
    second request (answered from memory) gives the same; a rep's are over their own deals."""
    from attain.process.bottlenecks import bottlenecks
    from attain.process.variants import variants

    engine = get_engine(shared_company.url)
    log = store_log(engine, "deals")
    team = team_of(engine, shared_company.manager, today())
    for role, scope in (
        ("manager", Scope(frozenset(team), shared_company.manager)),
        ("rep", Scope(frozenset({shared_company.rep}))),
    ):
        part = visible(log, scope)
        vs = variants(part, limit=100)
        for _ in range(2):
            shown = _get(api, shared_company, role, "/api/v1/process/deals/variants")
            assert (shown["total_cases"], shown["total_variants"]) == (
                vs.total_cases,
                vs.total_variants,
            )
            assert _rounded(shown["items"]) == _rounded(plain(list(vs.variants))), role
            found = _get(api, shared_company, role, "/api/v1/process/deals/bottlenecks")
            assert _rounded(found["items"]) == _rounded(plain(bottlenecks(part, limit=20)))
