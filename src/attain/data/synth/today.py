"""The demo's "today" is attain's (`attain.clock`): re-exported for the generator and the demo."""

from __future__ import annotations

from attain.clock import TODAY_VARIABLE, today

__all__ = ["TODAY_VARIABLE", "today"]
