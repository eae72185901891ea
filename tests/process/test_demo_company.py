"""On generated companies: the injected ticket bottleneck is found and sized, and deal stage
regressions per rep equal a count straight from the store's tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from analysis_stores import BOTTLENECK_SEEDS, add_falls_back, demo_store, write_company
from sqlalchemy import Engine, text

from attain.data.stages import stage_catalog
from attain.data.store import get_engine
from attain.data.synth.truths import truth
from attain.process.bottlenecks import bottlenecks, cases_of_bottleneck
from attain.process.filters import Filter
from attain.process.log import EventLog
from attain.process.resources import handoffs, resources
from attain.process.rework import rework
from attain.process.store_logs import store_log


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Engine]:
    folder: Path = tmp_path_factory.mktemp("companies")
    found = {}
    for seed in BOTTLENECK_SEEDS:
        engine = demo_store(folder, seed)
        assert add_falls_back(engine) > 0
        found[seed] = engine
    return found


@pytest.fixture(scope="module")
def tickets(stores: dict[int, Engine]) -> dict[int, EventLog]:
    return {seed: store_log(engine, "tickets") for seed, engine in stores.items()}


@pytest.mark.parametrize("seed", sorted(BOTTLENECK_SEEDS))
def test_the_injected_ticket_bottleneck_is_the_top_one(
    stores: dict[int, Engine], tickets: dict[int, EventLog], seed: int
) -> None:
    injected = truth(stores[seed], "ticket_bottleneck")
    step = injected["step"]
    assert step == BOTTLENECK_SEEDS[seed]  # the seeds between them cover every candidate step
    log = tickets[seed]
    top = bottlenecks(log, limit=1)[0]
    assert top.target == step
    assert bottlenecks(log, by="activity", limit=1)[0].target == step

    # Its size: the median wait before the step (from whatever step preceded it), over the
    # normal-priority tickets, against the generator's median for that step.
    normal = log.filtered(Filter(attributes={"priority": ("normal",)}))
    before = {b.target: b for b in bottlenecks(normal, by="activity", limit=None)}
    expected_s = injected["median_wait_hours"][step] * 3600
    assert before[step].wait_median_s == pytest.approx(expected_s, rel=0.10)


def test_the_cases_behind_the_bottleneck_waited_there(tickets: dict[int, EventLog]) -> None:
    log = tickets[1]
    top = bottlenecks(log, limit=1)[0]
    found = cases_of_bottleneck(log, top, limit=20)
    assert len(found) == 20
    waits = [r["wait_s"] for r in found]
    assert waits == sorted(waits, reverse=True)
    assert waits[-1] >= top.wait_median_s  # the slowest twenty of some 1,500 are above the median


DIRECT_REGRESSIONS = """
SELECT d.owner AS owner, COUNT(*) AS n
FROM deal_stage_events e
JOIN deals d ON d.id = e.deal
JOIN deal_stages came ON came.name = e.from_stage
JOIN deal_stages went ON went.name = e.to_stage
WHERE went.category = 'open' AND went.position < came.position
GROUP BY d.owner
"""
"""Per deal owner: stage changes the CRM records as going into an open stage listed before the
stage the deal left."""


def regressions_per_rep(engine: Engine) -> dict[str, int]:
    """DIRECT_REGRESSIONS as owner -> count."""
    with engine.connect() as conn:
        return {r.owner: r.n for r in conn.execute(text(DIRECT_REGRESSIONS))}


@pytest.mark.postgres
def test_stage_regressions_per_rep_in_postgresql(postgres_url: str) -> None:
    """The same count on a company kept in PostgreSQL, mined there in place."""
    engine = write_company(get_engine(postgres_url), seed=3, reps=4, years=1)
    assert add_falls_back(engine, every=3) > 0
    direct = regressions_per_rep(engine)
    assert sum(direct.values()) > 5
    found = rework(store_log(engine, "deals"), by="owner", stages=stage_catalog(engine))
    assert {r.key: r.regressions for r in found if r.regressions} == direct


def test_stage_regressions_per_rep_equal_a_direct_count(stores: dict[int, Engine]) -> None:
    engine = stores[1]
    direct = regressions_per_rep(engine)
    assert sum(direct.values()) > 10
    log = store_log(engine, "deals")
    found = rework(log, by="owner", stages=stage_catalog(engine))
    assert {r.key: r.regressions for r in found if r.regressions} == direct


def test_tickets_stay_with_their_owner(tickets: dict[int, EventLog]) -> None:
    """The generator keeps a ticket with one agent from triage to close: no hand-offs between
    people, and only the unattended opening is left out of who did what."""
    log = tickets[1]
    assert handoffs(log) == []
    done = {r.activity for r in resources(log)}
    assert "opened" not in done
    assert done == {
        "triaged",
        "assigned",
        "investigating",
        "waiting_on_customer",
        "resolved",
        "closed",
    }
