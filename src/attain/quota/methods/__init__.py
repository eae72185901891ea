"""The quota-setting methods, by name: each takes a History and a PlanRequest, gives a QuotaSet."""

from __future__ import annotations

from collections.abc import Callable

from attain.quota.errors import QuotaError
from attain.quota.history import History
from attain.quota.methods.bottom_up import bottom_up
from attain.quota.methods.data_driven import data_driven
from attain.quota.methods.historical_growth import historical_growth
from attain.quota.methods.top_down import top_down
from attain.quota.plan import PlanRequest, QuotaSet

Method = Callable[[History, PlanRequest], QuotaSet]

METHODS: dict[str, Method] = {
    "top_down": top_down,
    "historical_growth": historical_growth,
    "bottom_up": bottom_up,
    "data_driven": data_driven,
}


def method(name: str) -> Method:
    """The method called `name` (dashes or underscores)."""
    key = name.replace("-", "_")
    if key not in METHODS:
        raise QuotaError(f"unknown method {name!r}: choose one of {', '.join(METHODS)}")
    return METHODS[key]


__all__ = [
    "METHODS",
    "Method",
    "bottom_up",
    "data_driven",
    "historical_growth",
    "method",
    "top_down",
]
