"""ISO 4217 currency codes, so a typo like `USS` is caught on import rather than in a pay run."""

from __future__ import annotations

from functools import cache

import pyarrow as pa
import pycountry


@cache
def currency_codes() -> pa.Array:
    """Every ISO 4217 alphabetic code (USD, EUR, ...), as a value set for vectorised lookups."""
    return pa.array(sorted(c.alpha_3 for c in pycountry.currencies), pa.string())
