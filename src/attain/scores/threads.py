"""How many threads a fit may use: gradient boosting on a few thousand rows is fastest on one
thread, and on a busy machine more threads mostly wait on each other (100x slower measured)."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Any

SMALL_ROWS = 50_000


def threads_for(rows: int) -> AbstractContextManager[Any]:
    """One thread for fewer than SMALL_ROWS rows, the library's default beyond."""
    if rows >= SMALL_ROWS:
        return nullcontext()
    from threadpoolctl import threadpool_limits

    limit: AbstractContextManager[Any] = threadpool_limits(limits=1)
    return limit
