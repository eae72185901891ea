"""The process API on a PostgreSQL store, served over HTTP: each role's answer is the engine's
map, computed in PostgreSQL itself, of the cases it may see there, to the microsecond."""

from __future__ import annotations

import httpx
import pytest
from served_app import Served

from attain.access.scope import Scope
from attain.data.store import get_engine
from attain.process.discovery import process_map
from attain.process.log import visible
from attain.process.store_logs import store_log
from attain.web.api.process import plain

pytestmark = pytest.mark.postgres


def _get(served: Served, role: str, path: str) -> dict:
    r = httpx.get(
        served.base_url + path,
        headers={"Authorization": f"Bearer {served.tokens[role]}"},
        timeout=60,
    )
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def _to_the_microsecond(shown: object) -> object:
    """The answer with every time in it rounded to the microsecond, the log's resolution: the
    page's map is computed in DuckDB from a copy, the engine's here in PostgreSQL, and their
    interpolated quantiles may differ in the last bits of a float (5e-10 s was seen)."""
    if isinstance(shown, dict):
        return {k: _to_the_microsecond(v) for k, v in shown.items()}
    if isinstance(shown, list):
        return [_to_the_microsecond(v) for v in shown]
    if isinstance(shown, float):
        return round(shown, 6)
    return shown


def test_each_role_gets_the_engines_map_computed_in_postgresql(on_postgres: Served) -> None:
    engine = get_engine(on_postgres.store_url)
    assert engine.dialect.name == "postgresql"
    log = store_log(engine, "deals")
    assert log.events._find_backend().name == "postgres"  # queried in place, not copied
    rep = _get(on_postgres, "rep", "/api/v1/me")["person"]
    assert rep
    everyone = _get(on_postgres, "admin", "/api/v1/process/deals/map")
    assert _to_the_microsecond(everyone) == _to_the_microsecond(plain(process_map(log)))
    mine = _get(on_postgres, "rep", "/api/v1/process/deals/map")
    assert _to_the_microsecond(mine) == _to_the_microsecond(
        plain(process_map(visible(log, Scope(frozenset({rep})))))
    )
    assert 0 < mine["cases"] < everyone["cases"]
    edge = everyone["transitions"][0]
    cases = _get(
        on_postgres,
        "rep",
        f"/api/v1/process/deals/transitions/{edge['source']}/{edge['target']}/cases",
    )
    assert cases["items"] and {c["owner"] for c in cases["items"]} == {rep}
