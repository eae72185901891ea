"""Scenarios for the forecast actions: a rep's call, and a model refresh."""

from __future__ import annotations

from decimal import Decimal

from actions_world import ADMIN, REP, Scenario, World

from attain import clock
from attain.actions.forecast_calls import submit_call
from attain.actions.forecast_models import refresh_models
from attain.comp.engine.periods import period_of


def forecast_call(w: World) -> None:
    period = period_of(clock.today(), "quarter").key
    with w.expect(REP, "forecast.call"):
        submit_call(w.engine, REP, REP.name, period, "commit", Decimal("12000.50"), "USD")


def forecast_refresh(w: World) -> None:
    with w.expect(ADMIN, "forecast.refresh"):
        refresh_models(w.engine, ADMIN)


SCENARIOS: dict[str, Scenario] = {
    "forecast.call": forecast_call,
    "forecast.refresh": forecast_refresh,
}
