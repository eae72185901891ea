"""How good a set of quotas was, once the year is known: hit rate, spread, accuracy, fairness."""

from __future__ import annotations

import numpy as np
import pandas as pd


def gini(values: np.ndarray) -> float:
    """0 when everyone attains the same, towards 1 when a few carry the whole team."""
    v = np.sort(np.clip(np.asarray(values, dtype=float), 0, None))
    if v.size == 0 or v.sum() == 0:
        return float("nan")
    n = v.size
    return float((2 * np.arange(1, n + 1) - n - 1).dot(v) / (n * v.sum()))


def _corr(a: pd.Series, b: pd.Series, method: str = "pearson") -> float:
    if len(a) < 3 or a.nunique() < 2 or b.nunique() < 2:
        return float("nan")
    return float(a.corr(b, method=method))


def score(scored: pd.DataFrame) -> dict[str, float]:
    """Metrics of one method from rows of payee, quota, actual and potential (quota > 0).

    - at_quota: share of payees at or above 100% attainment (practitioners aim for 60-70%);
    - attainment spread: standard deviation, interquartile range and Gini of attainment;
    - accuracy: correlation and WAPE (sum |actual - quota| / sum actual) between quota and actual;
    - fairness: rank correlation of attainment with territory potential (0 is fair) and median
      attainment by potential tercile (and the gap between the highest and lowest).
    """
    q = scored["quota"].astype(float)
    a = scored["actual"].astype(float)
    att = a / q
    out: dict[str, float] = {
        "payees": float(len(scored)),
        "at_quota": float((att >= 1.0).mean()) if len(att) else float("nan"),
        "median_attainment": float(att.median()),
        "attainment_sd": float(att.std(ddof=0)),
        "attainment_iqr": float(att.quantile(0.75) - att.quantile(0.25)),
        "attainment_gini": gini(att.to_numpy()),
        "quota_actual_corr": _corr(q, a),
        "wape": float((a - q).abs().sum() / a.sum()) if a.sum() > 0 else float("nan"),
        "fairness_corr": _corr(att, scored["potential"].astype(float), "spearman"),
    }
    out["interval_coverage"] = _coverage(scored)
    terciles = _terciles(scored["potential"].astype(float))
    for label in ("low", "mid", "high"):
        picked = att[terciles == label]
        out[f"attainment_{label}_tercile"] = float(picked.median()) if len(picked) else float("nan")
    medians = [out[f"attainment_{t}_tercile"] for t in ("low", "mid", "high")]
    out["tercile_gap"] = (
        float(np.nanmax(medians) - np.nanmin(medians)) if len(att) >= 3 else float("nan")
    )
    return out


def _coverage(scored: pd.DataFrame) -> float:
    """Share of payees whose actual fell inside their 80% interval, once the interval is moved
    from the quota's level (target and over-assignment) to the level the year actually reached."""
    if "low" not in scored or scored["low"].isna().all() or scored["quota"].sum() <= 0:
        return float("nan")
    level = scored["actual"].sum() / scored["quota"].sum()
    a = scored["actual"]
    inside = (a >= scored["low"] * level) & (a <= scored["high"] * level)
    return float(inside.mean())


def _terciles(potential: pd.Series) -> pd.Series:
    if len(potential) < 3:
        return pd.Series(["mid"] * len(potential), index=potential.index)
    ranks = potential.rank(method="first")
    return pd.cut(ranks, 3, labels=["low", "mid", "high"]).astype(str)
