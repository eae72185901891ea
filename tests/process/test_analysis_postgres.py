"""Rework, bottlenecks and resources compile to PostgreSQL and give the same figures there as
on DuckDB (the hand-made logs of the other tests, stored in a fresh PostgreSQL database)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from urllib.parse import unquote, urlparse

import ibis
import pytest
from analysis_logs import make_log
from test_bottlenecks import AMOUNTS, WAITS
from test_resources import EVENTS
from test_rework import FUNNEL

from attain.process.bottlenecks import bottlenecks, cases_of_bottleneck
from attain.process.resources import concentration, handoffs, resources
from attain.process.rework import rework

pytestmark = pytest.mark.postgres
H = 3600.0


@pytest.fixture
def pg(postgres_url: str) -> Iterator[ibis.BaseBackend]:
    parts = urlparse(postgres_url)
    con = ibis.postgres.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=unquote(parts.username or "postgres"),
        database=parts.path.lstrip("/"),
    )
    yield con
    con.disconnect()


def test_bottlenecks_on_postgres(pg: ibis.BaseBackend) -> None:
    events = []
    for case, (ab, bc) in WAITS.items():
        events += [
            (case, "a", 0.0, None, None),
            (case, "b", float(ab), None, None),
            (case, "c", float(ab + bc), None, None),
        ]
    log = make_log(events, amounts=AMOUNTS, con=pg)
    top, second = bottlenecks(log)
    assert (top.source, top.target, top.events, top.cases) == ("b", "c", 5, 5)
    assert top.time_added_s == pytest.approx(18 * H)
    assert top.wait_median_s == pytest.approx(1 * H)
    assert (top.value, top.value_days) == (Decimal("1003500.00"), Decimal("42937.83"))
    assert second.value_days == Decimal("83478.83")
    assert [r["case_id"] for r in cases_of_bottleneck(log, top, limit=2)] == ["c1", "c2"]


def test_rework_on_postgres(pg: ibis.BaseBackend) -> None:
    paths = {
        "d1": ["prospecting", "qualification", "proposal", "qualification", "proposal", "won"],
        "d2": ["prospecting", "proposal", "lost", "qualification"],
        "d3": ["prospecting", "won", "lost"],
    }
    events = [(c, s, float(j), None, None) for c, p in paths.items() for j, s in enumerate(p)]
    log = make_log(events, owners={"d1": "ann", "d2": "ann", "d3": "bob"}, con=pg)
    found = {r.key: r for r in rework(log, by="owner", stages=FUNNEL)}
    assert (found["ann"].cases, found["ann"].cases_with_rework, found["ann"].regressions) == (
        2,
        2,
        2,
    )
    assert (found["ann"].loops, found["bob"].cases_with_rework) == (2, 0)


def test_resources_on_postgres(pg: ibis.BaseBackend) -> None:
    log = make_log(EVENTS, con=pg)
    assert {(r.activity, r.resource): r.share for r in resources(log)}[("b", "ann")] == 0.5
    assert [(h.source, h.target, h.handoffs) for h in handoffs(log)] == [
        ("ann", "bob", 2),
        ("bob", "cat", 1),
    ]
    assert [c.activity for c in concentration(log, threshold=0.6)] == ["a", "c", "d"]
