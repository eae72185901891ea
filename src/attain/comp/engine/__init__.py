"""The calculation engine: credit -> measure -> pay -> settle -> trace, over Ibis tables."""

from __future__ import annotations

from attain.comp.engine.calculate import calculate, credit_span
from attain.comp.engine.result import Result
from attain.comp.engine.tables import schemas_of
from attain.comp.engine.trace import Credit, LineTrace, PayoutLine, TierSlice

__all__ = [
    "Credit",
    "LineTrace",
    "PayoutLine",
    "Result",
    "TierSlice",
    "calculate",
    "credit_span",
    "schemas_of",
]
