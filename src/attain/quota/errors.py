"""The one error quota planning raises for bad input: its message is shown as is to the user."""

from __future__ import annotations


class QuotaError(ValueError):
    """A request quota planning cannot honour (too little history, unknown method, bad draft)."""
