"""Plan actions: the first versions are seeded by attain itself, publishing is the newest draft
only, a role without `plans.edit` is refused, and subscribers hear of a publish after commit."""

from __future__ import annotations

import pytest
from actions_world import ADMIN, FINANCE, PLAN, World

from attain.actions import Event, NotAllowed, subscribe
from attain.actions.plans import StalePublish, publish, save_draft
from attain.audit import entries
from attain.comp import plan_versions as pv


def test_attain_seeds_the_paid_plans_once(world: World) -> None:
    assert [v.version for v in pv.versions(world.engine, "ae")] == [1]
    pv.list_plans(world.engine)
    seeded = entries(world.engine, entity="run")
    assert [(e.action, e.actor, e.role) for e in seeded if e.action == "plan.seed"] == [
        ("plan.seed", "attain", "system")
    ]


def test_only_the_newest_draft_is_published(world: World) -> None:
    pv.ensure_seeded(world.engine)
    second = save_draft(world.engine, ADMIN, "ae", PLAN.replace("0.10", "0.11"))
    third = save_draft(world.engine, ADMIN, "ae", PLAN.replace("0.10", "0.12"))
    with pytest.raises(StalePublish, match="not the newest draft"):
        publish(world.engine, ADMIN, "ae", second.version)
    with pytest.raises(LookupError):
        publish(world.engine, ADMIN, "ae", 99)
    first = pv.published(world.engine, "ae")
    assert first is not None and first.version == 1
    done = publish(world.engine, ADMIN, "ae", third.version)
    now_paid = pv.published(world.engine, "ae")
    assert done.status == "published" and now_paid is not None and now_paid.version == 3
    entry = entries(world.engine, entity="plan", entity_id="ae")[0]
    assert entry.before == {"version": 1, "sha256": first.sha256}
    assert entry.after == {"version": 3, "sha256": third.sha256}


def test_finance_may_not_edit_plans(world: World) -> None:
    with pytest.raises(NotAllowed, match=r"plans\.edit"):
        save_draft(world.engine, FINANCE, "ae", PLAN)
    assert [e.action for e in entries(world.engine, entity="plan")] == []


def test_subscribers_hear_a_publish_after_it_is_committed(world: World) -> None:
    pv.ensure_seeded(world.engine)
    heard: list[tuple[Event, int | None]] = []

    def listen(event: Event) -> None:
        published = pv.published(world.engine, "ae")  # a new connection: sees only committed rows
        heard.append((event, published.version if published else None))

    stop = subscribe("plan.*", listen)
    try:
        draft = save_draft(world.engine, ADMIN, "ae", PLAN.replace("0.10", "0.11"))
        publish(world.engine, ADMIN, "ae", draft.version)
    finally:
        stop()
    assert [(e.action, e.actor.name, v) for e, v in heard] == [
        ("plan.draft", "ada", 1),
        ("plan.publish", "ada", 2),
    ]
