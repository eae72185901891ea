"""Plans edited in the browser (errors at their line, versions, diff, simulation, publishing)
and imports (validation report first, then confirm)."""

from __future__ import annotations

import re

from web_client import log_in, make_client
from web_company import Company

from attain.audit import entries
from attain.comp import plan_versions
from attain.data.store import get_engine


def _text(company: Company) -> str:
    found = plan_versions.published(get_engine(company.url), "ae")
    assert found is not None
    return found.text


def test_a_plan_error_is_shown_at_its_line(company: Company) -> None:
    text = _text(company)
    broken = text.replace("tier_mode: marginal", "tier_mode: sideways")
    line = broken.split("\n").index("    tier_mode: sideways") + 1
    with make_client(company) as c:
        csrf = log_in(c, "admin")
        r = c.post("/plans/ae", data={"csrf": csrf, "text": broken, "action": "save"})
    assert r.status_code == 422
    assert f'href="#line-{line}">line {line}, column 16</a>' in r.text
    assert f'<span id="line-{line}" class="bad">' in r.text
    assert plan_versions.get_version(get_engine(company.url), "ae").version == 1  # type: ignore[union-attr]


def test_an_unknown_column_points_at_its_rule(company: Company) -> None:
    text = _text(company)
    broken = text.replace('where: stage == "won"', 'where: stagee == "won"')
    problems = plan_versions.check_plan_text(get_engine(company.url), broken, "ae")
    assert problems and "stagee" in problems[0].message
    assert broken.split("\n")[problems[0].line - 1].strip().startswith("where:")


def test_yaml_syntax_errors_keep_their_line(company: Company) -> None:
    problems = plan_versions.check_plan_text(get_engine(company.url), "id: ae\ncredits: [\n", "ae")
    assert problems[0].line == 3 and "malformed YAML" in problems[0].message


def test_save_diff_simulate_and_publish(company: Company) -> None:
    changed = _text(company).replace("rate: 0.12", "rate: 0.15")
    with make_client(company) as c:
        csrf = log_in(c, "admin")
        r = c.post(
            "/plans/ae",
            data={"csrf": csrf, "text": changed, "action": "save", "note": "richer top tier"},
        )
        assert r.status_code == 303 and r.headers["location"] == "/plans/ae?version=2"
        diff = c.get("/plans/ae/diff?old=1&new=2")
        assert "-    tiers:" in diff.text or "rate: 0.15" in diff.text
        sim = c.post(
            "/plans/ae",
            data={
                "csrf": csrf,
                "text": changed.replace("0.15", "0.30").replace("0.09", "0.5"),
                "action": "simulate",
                "start": "2025-01-01",
                "end": "2026-12-31",
            },
        )
        assert sim.status_code == 200 and 'id="sim-change"' in sim.text
        change = re.search(r'id="sim-change">USD\xa0([^<]+)<', sim.text)  # with its currency
        assert change and float(change.group(1).replace(",", "")) > 0
        r = c.post("/plans/ae/versions/2/publish", data={"csrf": csrf})
        assert r.status_code == 303
        stale = c.post("/plans/ae/versions/2/publish", data={"csrf": csrf})
        assert (
            stale.status_code == 409 and "version 2 of plan ae is already published" in stale.text
        )
    published = plan_versions.published(get_engine(company.url), "ae")
    assert published is not None and published.version == 2
    kept = [(e.action, e.actor) for e in entries(get_engine(company.url), entity="plan")]
    assert kept[:2] == [("plan.publish", "admin"), ("plan.draft", "admin")]


def test_finance_sees_plans_but_cannot_edit(company: Company) -> None:
    with make_client(company) as c:
        csrf = log_in(c, "finance")
        assert c.get("/plans/ae").status_code == 200
        assert c.post("/plans/ae", data={"csrf": csrf, "text": "id: ae"}).status_code == 403


def test_an_import_is_checked_then_confirmed(company: Company) -> None:
    import time

    from attain.pay.current import earnings

    csv_text = (
        "id,owner,stage,amount,currency,close_date\n"
        f"DIMP1,{company.rep},won,90000,USD,{time.strftime('%Y-%m-%d')}\n"
        "DIMP2,nobody-here,won,5,USD,2026-01-01\n"
    )
    engine = get_engine(company.url)
    before = earnings(engine, company.rep).year_to_date
    with make_client(company) as c:
        csrf = log_in(c, "admin")
        r = c.post(
            "/imports",
            data={"csrf": csrf, "table": "deals"},
            files={"file": ("new.csv", csv_text.encode(), "text/csv")},
        )
        assert r.status_code == 200
        assert (
            "would import 2 rows" in r.text and "1 rejected" in r.text and "nobody-here" in r.text
        )
        sid = re.search(r'action="/imports/([^/]+)/confirm"', r.text)
        assert sid
        done = c.post(f"/imports/{sid.group(1)}/confirm", data={"csrf": csrf})
        assert done.status_code == 200 and "1 inserted" in done.text
    entry = entries(engine, entity="table", entity_id="deals")[0]
    assert (entry.action, entry.actor, entry.after["written"], entry.after["rejected"]) == (
        "import.deals",
        "admin",
        1,
        1,
    )
    for _ in range(100):  # recalculated in the background
        if earnings(engine, company.rep).year_to_date > before:
            break
        time.sleep(0.1)
    assert earnings(engine, company.rep).year_to_date > before
