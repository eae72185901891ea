"""How many random examples the heavy property tests draw: few in `make test` (which must stay
under 15 minutes on two cores), many in `make test-thorough` (ATTAIN_THOROUGH=1)."""

from __future__ import annotations

import os

THOROUGH = os.environ.get("ATTAIN_THOROUGH") == "1"


def examples(everyday: int, thorough: int) -> int:
    """`everyday` examples in `make test`, `thorough` when ATTAIN_THOROUGH=1."""
    return thorough if THOROUGH else everyday
