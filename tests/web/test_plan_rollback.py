"""Rolling a plan back: publishing an older published version puts it in force again.

Guards: re-publishing an older version did nothing, and the newest published version went on
being paid.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from web_client import log_in, make_client
from web_company import Company

from attain.actions import plans as plan_actions
from attain.actions.runs import run
from attain.audit import entries
from attain.audit.actor import Actor
from attain.comp import plan_versions
from attain.data.store import get_engine

ADMIN = Actor("ada", "admin")


def test_publishing_an_older_version_rolls_back_and_the_run_pays_it(
    company: Company, tmp_path: Path
) -> None:
    engine = get_engine(company.url)
    first = plan_versions.published(engine, "ae")
    assert first is not None and first.version == 1 and "rate: 0.12" in first.text
    richer = plan_actions.save_draft(engine, ADMIN, "ae", first.text.replace("0.12", "0.5"))
    plan_actions.publish(engine, ADMIN, "ae", richer.version)
    with make_client(company) as c:
        csrf = log_in(c, "admin")
        page = c.get("/plans/ae")
        assert 'id="roll-back-1"' in page.text and 'id="roll-back-2"' not in page.text
        r = c.post("/plans/ae/versions/1/publish", data={"csrf": csrf})
        assert r.status_code == 303, r.text[:300]
    in_force = plan_versions.published(engine, "ae")
    assert in_force is not None and in_force.version == 3
    assert in_force.text == first.text and in_force.note == "rolled back to version 1"
    entry = next(e for e in entries(engine, entity="plan") if e.action == "plan.publish")
    assert entry.after["rolled_back_to"] == 1 and entry.before["version"] == 2  # type: ignore[index]

    folder = tmp_path / "plans"
    folder.mkdir()
    assert "ae" in plan_versions.published_plans_dir(engine, folder)
    assert (folder / "ae.yaml").read_text(encoding="utf-8") == first.text
    for other in folder.glob("*.yaml"):  # the one plan is enough to see its rate paid
        if other.name != "ae.yaml":
            other.unlink()
    month = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    span = (month.replace(day=1), month)
    paid = run(company.url, ADMIN, folder, *span, keep=False)
    (folder / "ae.yaml").write_text(richer.text, encoding="utf-8")
    richer_pay = run(company.url, ADMIN, folder, *span, keep=False)
    assert paid.total < richer_pay.total  # the old, lower rate is what the run pays
