"""Two admins publish the same draft at the same moment, on separate connections: exactly one
publishes and leaves an audit entry, the other is refused as stale (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from actions_world import ADMIN, PLAN, build_world

from attain.actions import plans
from attain.actions.plans import StalePublish
from attain.audit import entries, verify_log
from attain.audit.actor import Actor
from attain.comp.plan_versions import ensure_seeded, versions
from races import race

BO = Actor("bo", "admin")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(request.getfixturevalue("world").url)
    postgres_url = str(request.getfixturevalue("postgres_url"))
    build_world(postgres_url, tmp_path)
    return postgres_url


def test_two_parallel_publishes_of_one_draft_have_exactly_one_winner(url: str) -> None:
    from attain.data.store import get_engine

    engine = get_engine(url)
    ensure_seeded(engine)
    for round_ in range(3):
        draft = plans.save_draft(engine, ADMIN, "ae", PLAN.replace("0.10", f"0.1{round_ + 1}"))
        outcomes = race(
            lambda v=draft.version: plans.publish(engine, ADMIN, "ae", v),
            lambda v=draft.version: plans.publish(engine, BO, "ae", v),
        )
        refused = [o for o in outcomes if isinstance(o, Exception)]
        assert len(refused) == 1 and isinstance(refused[0], StalePublish), outcomes
    published = [
        e for e in entries(engine, entity="plan", entity_id="ae") if e.action == "plan.publish"
    ]
    assert len(published) == 3
    assert [v.status for v in versions(engine, "ae")].count("published") >= 1
    assert verify_log(engine)[1] == []
