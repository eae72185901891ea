"""Refreshing the forecast models: who asked for a re-fit, and when, in the audit log.

The models are fitted from the store when a forecast is first asked for and kept until the data
changes; a refresh drops what is kept (its subscribers do: `attain.web.forecast_cache`), so the
next forecast fits again on what the store holds now.
"""

from __future__ import annotations

from sqlalchemy import Engine

from attain import clock
from attain.actions.core import audit, require, transaction, user_action
from attain.audit.actor import Actor


@user_action("forecast.refresh", capability="forecast.models")
def refresh_models(engine: Engine, actor: Actor) -> None:
    """Ask for every forecast model to be fitted again at its next use."""
    require(actor, "forecast.models")
    with transaction(engine) as conn:
        audit(
            conn,
            actor,
            "forecast.refresh",
            "forecast_models",
            "all",
            after={"refreshed_at": clock.now(whole_seconds=True).isoformat()},
        )
