"""The hidden truths a generated company was built from, stored beside its data.

Analytics are tested against them: a quota model should rank territories like their true
potential, a lead-scoring model should recover the conversion coefficients, process mining
should name the bottleneck step.
"""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa
from sqlalchemy import Engine, text

from attain.data.store import get_engine


def truths_table(truths: dict[str, Any]) -> pa.Table:
    """One `synth_truths` row per truth: its key, and its value as JSON."""
    keys = sorted(truths)
    return pa.table(
        {
            "key": pa.array(keys, pa.string()),
            "value": pa.array([json.dumps(truths[k], sort_keys=True) for k in keys], pa.string()),
        }
    )


def truths(store: Engine | str | None = None) -> dict[str, Any]:
    """Every hidden truth of the company in `store` (an engine or URL; the default store if None).

    >>> truths("sqlite:///attain.db")["ticket_bottleneck"]["step"]  # doctest: +SKIP
    'investigating'
    """
    engine = store if isinstance(store, Engine) else get_engine(store)
    with engine.connect() as conn:
        found = conn.execute(text("SELECT key, value FROM synth_truths")).all()
    return {key: json.loads(value) for key, value in found}


def truth(store: Engine | str | None, key: str) -> Any:
    """One hidden truth by key, e.g. `truth(url, "lead_conversion_model")`."""
    found = truths(store)
    if key not in found:
        raise KeyError(
            f"no synth truth {key!r} in this store (it holds: {', '.join(sorted(found)) or 'none'})"
        )
    return found[key]
