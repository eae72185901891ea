"""The scenario of `operator.map`: an admin maps an OS user to an attain user."""

from __future__ import annotations

from actions_world import ADMIN, Scenario, World
from scenarios_accounts import USER, ready

from attain.actions.operators import map_operator


def _map(w: World) -> None:
    ready(w.engine)
    with w.expect(ADMIN, "operator.map"):
        map_operator(w.engine, ADMIN, "ivy-os", USER)


SCENARIOS: dict[str, Scenario] = {"operator.map": _map}
