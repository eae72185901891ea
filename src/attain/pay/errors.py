"""What the pay lifecycle refuses, said in one line."""

from __future__ import annotations


class PayError(Exception):
    """A request the lifecycle refuses: a closed period, a wrong state, bad input."""


class NotAllowed(PayError):
    """The actor's role may not do this (or they may not do it to their own work)."""


class PeriodClosed(PayError):
    """A write that would change a closed period's lines."""
