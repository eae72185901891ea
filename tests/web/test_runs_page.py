"""Runs on the runs page: started in the background (one job per request id, so a double submit
runs once), followed by polling, and each run's state with Publish only where it makes sense."""

from __future__ import annotations

import re
import time
from pathlib import Path

from fastapi.testclient import TestClient
from web_client import log_in
from web_company import Company

from attain.comp import plan_versions
from attain.comp.demo import DEMO_PLANS
from attain.comp.runs import calculate_run, get_run, list_runs
from attain.data.store import get_engine
from attain.pay import Actor, publish_run


def _row(html: str, run_id: str) -> str:
    found = re.search(rf'<tr id="run-{run_id}".*?</tr>', html, re.S)
    assert found, f"no row for {run_id}"
    return found.group(0)


def test_a_run_works_in_the_background_and_a_resent_form_starts_it_once(
    company: Company, client: TestClient
) -> None:
    csrf = log_in(client, "admin")
    engine = get_engine(company.url)
    plan_versions.ensure_seeded(engine)  # the plans the company was paid with, published
    before = len(list_runs(engine, 100))
    run = get_run(engine, company.run_id)
    assert run is not None
    form = {
        "csrf": csrf,
        "start": run.span_from.isoformat(),
        "end": run.span_to.isoformat(),
        "request_id": "double-click-0001",
    }
    first = client.post("/runs", data=form)
    second = client.post("/runs", data=form)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"] == "/runs?job=double-click-0001"
    page = client.get("/runs?job=double-click-0001").text
    seen = []
    for _ in range(600):
        state = client.get("/runs/jobs/double-click-0001").json()
        seen.append(state["percent"])
        if state["state"] != "running":
            break
        time.sleep(0.1)
    assert state["state"] == "done", state
    assert 'id="job-progress"' in page or state["seconds"] < 1
    assert seen == sorted(seen) and seen[-1] == 100
    assert len(list_runs(engine, 100)) == before + 1
    done = client.get("/runs?job=double-click-0001").text
    assert f"Run {state['run']}:" in done and f'id="run-{state["run"]}"' in done
    assert re.search(
        rf"Run {state['run']}: [\d,]+ lines for [\d,]+ payees, total USD [\d,]+\.\d\d", done
    )
    assert re.search(r'<td class="num">USD\xa0[\d,]+\.\d\d</td>', _row(done, state["run"]))


def test_each_run_shows_its_state_and_publish_only_where_it_makes_sense(
    company: Company, client: TestClient
) -> None:
    engine = get_engine(company.url)
    log_in(client, "admin")
    first = company.run_id  # the company's run is published
    html = client.get("/runs").text
    assert "badge published" in _row(html, first) and "Publish" not in _row(html, first)
    run = get_run(engine, first)
    assert run is not None
    plans = Path(DEMO_PLANS)
    older = calculate_run(plans, run.span_from, run.span_to, url=company.url).id
    time.sleep(1.1)  # created_at has one-second steps on some stores
    newer = calculate_run(plans, run.span_from, run.span_to, url=company.url).id
    html = client.get("/runs").text
    assert "badge draft" in _row(html, newer) and "Publish to the ledger" in _row(html, newer)
    assert "badge published" in _row(html, first) and "Publish" not in _row(html, first)
    publish_run(company.url, newer, Actor("finance", "finance"))
    html = client.get("/runs").text
    assert "badge superseded" in _row(html, first) and f"replaced by {newer}" in _row(html, first)
    assert "badge published" in _row(html, newer) and "Publish" not in _row(html, newer)
    # publishing the older draft would put back figures already replaced: not offered
    assert "older than the published run" in _row(html, older)
    assert "Publish" not in _row(html, older)


def test_publishing_a_run_older_than_the_published_one_shows_the_runs_page_with_why(
    company: Company, client: TestClient
) -> None:
    engine = get_engine(company.url)
    run = get_run(engine, company.run_id)
    assert run is not None
    time.sleep(1.1)
    newer = calculate_run(Path(DEMO_PLANS), run.span_from, run.span_to, url=company.url).id
    publish_run(company.url, newer, Actor("finance", "finance"))
    csrf = log_in(client, "admin")
    r = client.post(f"/runs/{company.run_id}/publish", data={"csrf": csrf})
    assert r.status_code == 409
    assert "<h1>Runs</h1>" in r.text and 'id="run-error"' in r.text
    assert "Not published:" in r.text
