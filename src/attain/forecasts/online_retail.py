"""The UCI Online Retail transactions (Chen, Sain and Guo, 2012) as weekly net revenue per
country: the B2C series a store forecast meets in practice, one year long."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

FILE = "online_retail.csv.gz"
COUNTRIES = 6
"""The largest countries by revenue get a series each; the rest are summed into one."""


def weekly_revenue(path: Path) -> dict[str, npt.NDArray[np.float64]]:
    """Net revenue (quantity x unit price, cancellations included as the negative lines they are)
    per ISO week (Monday to Sunday) and country, for the weeks wholly inside the file's span: it
    starts on a Wednesday and ends on a Friday, and a part week would read as a collapse. Weeks
    without a sale are 0.
    Keys: the largest countries, "Other countries" and "All countries"."""
    import duckdb

    if not path.is_file():
        raise ValueError(f"{path}: no such file")
    con = duckdb.connect()
    rows = con.execute(
        """
        WITH lines AS (
            SELECT Country AS country,
                   date_trunc('week', InvoiceDate) AS week,
                   CAST(Quantity AS DECIMAL(18, 0)) * CAST(UnitPrice AS DECIMAL(18, 4)) AS amount,
                   InvoiceDate AS sold_at
            FROM read_csv(?, header = true)
        ),
        span AS (SELECT min(sold_at) AS first, max(sold_at) AS last FROM lines),
        full_weeks AS (
            SELECT DISTINCT week FROM lines, span
            WHERE week >= CAST(first AS DATE) AND week + INTERVAL 6 DAY <= CAST(last AS DATE)
        )
        SELECT country, week, sum(amount) FROM lines
        WHERE week IN (SELECT week FROM full_weeks)
        GROUP BY country, week ORDER BY country, week
        """,
        [str(path)],
    ).fetchall()
    weeks = sorted({w for _, w, _ in rows})
    index = {w: i for i, w in enumerate(weeks)}
    by_country: dict[str, npt.NDArray[np.float64]] = {}
    for country, week, amount in rows:
        values = by_country.setdefault(country, np.zeros(len(weeks)))
        values[index[week]] += float(amount)
    ranked = sorted(by_country, key=lambda c: -by_country[c].sum())
    out = {c: by_country[c] for c in ranked[:COUNTRIES]}
    out["Other countries"] = sum((by_country[c] for c in ranked[COUNTRIES:]), np.zeros(len(weeks)))
    out["All countries"] = sum(by_country.values(), np.zeros(len(weeks)))
    return out
