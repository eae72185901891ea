"""Scenarios for the process actions: an event log imported into the store."""

from __future__ import annotations

from pathlib import Path

from actions_world import ADMIN, Scenario, World

from attain.actions import process_logs

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "process" / "tiny.xes"


def process_import(w: World) -> None:
    with w.expect(ADMIN, "process.import"):
        process_logs.import_log(w.engine, ADMIN, TINY, name="tiny", amount="AMOUNT_REQ")


SCENARIOS: dict[str, Scenario] = {"process.import": process_import}
