"""The forecast API and pages on the small paid company, with the real engine: a node's figures
and deal scores, cut from the company's kept forecast, are the engine's own forecast of that node, and each viewer sees their part only
(a rep their own deals, a manager their team; another's node or deal is "not found")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from web_client import log_in, make_client
from web_company import Company

from attain.comp.engine.periods import period_of
from attain.data.store import get_engine
from attain.hierarchy import team_of
from attain.web import forecast_cache
from attain.web.api.forecast_models import deal_out, node_out
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


def test_a_managers_roll_up_is_the_engines_forecast_of_their_node(
    api: TestClient, shared_company: Company
) -> None:
    period = period_of(today(), "quarter").key
    shown = _get(api, shared_company, "manager", "/api/v1/forecast/pipeline")
    engine = get_engine(shared_company.url)
    direct = forecast_cache.fit(engine, period, today(), shared_company.manager)
    assert shown["root"]["node"] == shared_company.manager
    assert shown["root"] == node_out(direct.root).model_dump(mode="json")
    deals = _get(api, shared_company, "manager", "/api/v1/forecast/deals", limit="1000")

    def scores(d: dict) -> dict:  # at risk is judged on the company's deals (forecast_cache)
        return {k: v for k, v in d.items() if k != "at_risk"}

    assert [scores(d) for d in deals["items"]] == [
        scores(deal_out(d).model_dump(mode="json")) for d in direct.deals
    ]
    assert isinstance(shown["root"]["expected"], str) and "." in shown["root"]["expected"]


def test_each_role_sees_its_own_part(api: TestClient, shared_company: Company) -> None:
    c = shared_company
    team = team_of(get_engine(c.url), c.manager, today())
    rep_deals = _get(api, c, "rep", "/api/v1/forecast/deals", limit="1000")["items"]
    assert rep_deals and {d["owner"] for d in rep_deals} == {c.rep}
    manager_deals = _get(api, c, "manager", "/api/v1/forecast/deals", limit="1000")["items"]
    assert {d["owner"] for d in manager_deals} <= team
    assert len(manager_deals) > len(rep_deals)
    everyone = _get(api, c, "admin", "/api/v1/forecast/deals", limit="1000")
    assert {d["owner"] for d in everyone["items"]} - team  # others' deals too
    assert _get(api, c, "admin", "/api/v1/forecast/pipeline")["root"]["node"] == ""
    assert _get(api, c, "finance", "/api/v1/forecast/pipeline", node=c.rep)["root"]["node"] == c.rep
    assert _get(api, c, "rep", "/api/v1/forecast/pipeline")["root"]["node"] == c.rep


def test_anothers_node_or_deal_is_not_found(api: TestClient, shared_company: Company) -> None:
    c = shared_company
    others = _get(api, c, "admin", "/api/v1/forecast/deals", node=c.other_rep, limit="1")["items"]
    mine = _get(api, c, "rep", "/api/v1/forecast/deals", limit="1")["items"]
    assert others and mine
    other_deal, my_deal = others[0]["deal"], mine[0]["deal"]
    assert _status(api, c, "rep", f"/api/v1/forecast/deals/{other_deal}") == 404
    assert _status(api, c, "rep", f"/api/v1/forecast/deals/{my_deal}") == 200
    assert _status(api, c, "manager", f"/api/v1/forecast/deals/{other_deal}") == 404
    assert _status(api, c, "manager", f"/api/v1/forecast/deals/{my_deal}") == 200
    assert _status(api, c, "admin", f"/api/v1/forecast/deals/{other_deal}") == 200
    assert _status(api, c, "rep", "/api/v1/forecast/pipeline", node=c.other_rep) == 404
    assert _status(api, c, "rep", "/api/v1/forecast/pipeline", node=c.manager) == 404
    assert _status(api, c, "manager", "/api/v1/forecast/pipeline", node=c.other_rep) == 404
    assert _status(api, c, "manager", "/api/v1/forecast/pipeline", node=c.rep) == 200
    assert _status(api, c, "rep", "/api/v1/forecast/pipeline", period="2026-Q9") == 422
    last = period_of(period_of(today(), "quarter").start - dt.timedelta(days=1), "quarter").key
    assert _status(api, c, "rep", "/api/v1/forecast/pipeline", period=last) == 422


def test_the_pages_show_the_same_figures(api: TestClient, shared_company: Company) -> None:
    from attain.money_format import money

    c = shared_company
    root = _get(api, c, "manager", "/api/v1/forecast/pipeline")["root"]
    with make_client(c) as browser:
        log_in(browser, "manager")
        page = browser.get("/forecast").text
        assert money(root["expected"], "USD").replace(" ", "\u00a0") in page
        assert 'id="call-form"' in page and "<svg" in page
        assert browser.get("/forecast", params={"node": c.other_rep}).status_code == 404
    with make_client(c) as browser:
        log_in(browser, "rep")
        page = browser.get("/forecast").text
        assert 'id="my-deals"' in page
        others = _get(api, c, "admin", "/api/v1/forecast/deals", node=c.other_rep, limit="5")
        assert all(f'id="my-deals-{d["deal"]}"' not in page for d in others["items"])
        assert browser.get("/forecast/backtests").status_code == 403


def test_lead_scores_are_scoped_to_their_owners(api: TestClient, shared_company: Company) -> None:
    c = shared_company
    team = team_of(get_engine(c.url), c.manager, today())
    everyone = _get(api, c, "admin", "/api/v1/scores/leads", limit="1000")
    managers = _get(api, c, "manager", "/api/v1/scores/leads", limit="1000")
    reps = _get(api, c, "rep", "/api/v1/scores/leads", limit="1000")
    assert everyone["total"] > managers["total"] >= reps["total"]
    assert {x["owner"] for x in managers["items"]} <= team
    assert {x["owner"] for x in reps["items"]} <= {c.rep}
    probabilities = [x["probability"] for x in everyone["items"]]
    assert probabilities == sorted(probabilities, reverse=True)
    assert {x["band"] for x in everyone["items"]} <= set("ABCD")
    assert _status(api, c, "rep", "/api/v1/scores/leads", owner=c.other_rep) == 404
