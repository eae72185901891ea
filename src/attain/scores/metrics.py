"""How good a probability score is, measured the same way everywhere in attain.

Every metric takes `scores` (probabilities in [0, 1]) and `outcomes` (0 or 1), same length.

- AUC: the chance a random positive scores above a random negative (ties count one half), from
  ranks: (sum of the positives' ranks - n1 (n1 + 1) / 2) / (n1 n0), tied scores sharing the mean
  of their ranks.
- Brier score: the mean of (score - outcome) squared.
- Reliability bins: sort by score (stable), split into `bins` groups of nearly equal count
  (numpy.array_split: the first `n mod bins` groups hold one row more), and give each group's
  mean score, observed rate and count.
- Expected calibration error (ECE): the sum over those bins of
  |mean score - observed rate| x (bin count / n).
- Top-decile lift: the observed rate among the top k = ceil(n / 10) rows by score divided by the
  overall rate. Rows tied with the k-th highest score share the places left among the k: they
  count at their mean outcome, so a constant score has a lift of exactly 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray


@dataclass(frozen=True)
class ReliabilityBin:
    """One equal-mass bin: what the score said and what happened."""

    mean_score: float
    observed_rate: float
    count: int


def _pair(scores: ArrayLike, outcomes: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    s = np.asarray(scores, dtype=np.float64).ravel()
    y = np.asarray(outcomes).ravel()
    if s.shape != y.shape:
        raise ValueError(f"{s.size} scores but {y.size} outcomes")
    if s.size == 0:
        raise ValueError("no scores to measure")
    if not np.isin(y, (0, 1)).all():
        raise ValueError("outcomes must be 0 or 1")
    return s, y.astype(np.int64)


def _ranks(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """1-based ranks, tied values sharing the mean of their ranks."""
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], ordered.size]
    mean_rank = (starts + 1 + ends) / 2.0  # mean of ranks starts+1 .. ends
    ranks = np.empty(values.size, dtype=np.float64)
    ranks[order] = np.repeat(mean_rank, ends - starts)
    return ranks


def auc(scores: ArrayLike, outcomes: ArrayLike) -> float:
    """Rank-based area under the ROC curve; undefined (ValueError) with one class only."""
    s, y = _pair(scores, outcomes)
    n1 = int(y.sum())
    n0 = y.size - n1
    if n1 == 0 or n0 == 0:
        raise ValueError("AUC needs both outcomes among the rows")
    r = _ranks(s)
    return float((r[y == 1].sum() - n1 * (n1 + 1) / 2.0) / (n1 * n0))


def brier(scores: ArrayLike, outcomes: ArrayLike) -> float:
    """Mean squared difference between score and outcome."""
    s, y = _pair(scores, outcomes)
    return float(np.mean((s - y) ** 2))


def reliability(scores: ArrayLike, outcomes: ArrayLike, bins: int = 10) -> list[ReliabilityBin]:
    """Equal-mass bins in score order (empty bins, when n < bins, are left out)."""
    s, y = _pair(scores, outcomes)
    order = np.argsort(s, kind="mergesort")
    out = []
    for part in np.array_split(order, bins):
        if part.size:
            out.append(ReliabilityBin(float(s[part].mean()), float(y[part].mean()), part.size))
    return out


def ece(scores: ArrayLike, outcomes: ArrayLike, bins: int = 10) -> float:
    """Expected calibration error over `bins` equal-mass bins."""
    s, _ = _pair(scores, outcomes)
    return float(
        sum(
            abs(b.mean_score - b.observed_rate) * b.count
            for b in reliability(scores, outcomes, bins)
        )
        / s.size
    )


def top_decile_lift(scores: ArrayLike, outcomes: ArrayLike) -> float:
    """How many times the overall rate the top tenth by score converts."""
    s, y = _pair(scores, outcomes)
    rate = y.mean()
    if rate == 0:
        raise ValueError("lift needs at least one positive outcome")
    k = int(np.ceil(s.size / 10))
    edge = np.sort(s)[::-1][k - 1]
    above, tied = s > edge, s == edge
    hits = y[above].sum() + (k - above.sum()) * y[tied].mean()
    return float(hits / k / rate)
