"""Territory potential to judge fairness by: the demo company's recorded truth when there is one,
else territory size (the employees of its accounts) as the best stand-in a real company has."""

from __future__ import annotations

import json

import duckdb
import pandas as pd

TRUTH_KEYS = ("territory_potential",)


def territory_potential(
    con: duckdb.DuckDBPyConnection, year: int, territories: pd.DataFrame
) -> tuple[pd.Series, str]:
    """Potential per territory for `year` and where it came from ("true potential" or a proxy)."""
    truth = _recorded(con, year)
    if truth is not None and not truth.empty:
        return truth, "true potential (recorded by the demo generator)"
    size = territories.set_index("territory")["size_total"].astype(float)
    return size, "territory size (employees of its accounts), as no true potential is recorded"


def _recorded(con: duckdb.DuckDBPyConnection, year: int) -> pd.Series | None:
    try:
        rows = con.execute("SELECT key, value FROM synth_truths").fetchall()
    except duckdb.Error:
        return None
    for key, value in rows:
        if not any(k in key for k in TRUTH_KEYS):
            continue
        data = json.loads(value)
        if isinstance(data, dict) and isinstance(data.get("values"), dict):
            data = data["values"]  # the demo generator: first-year potential, grown uniformly
        if isinstance(data, dict) and str(year) in data and isinstance(data[str(year)], dict):
            data = data[str(year)]
        if (
            isinstance(data, dict)
            and data
            and all(isinstance(v, int | float) for v in data.values())
        ):
            return pd.Series({str(k): float(v) for k, v in data.items()})
    return None
