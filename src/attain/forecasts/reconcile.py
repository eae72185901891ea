"""Reconciliation: turn forecasts made for every series of a hierarchy on their own into ones
where stores add up to regions and regions to the company.

Each method is a matrix G mapping every series' base forecast to store forecasts; the
reconciled forecasts are S G yhat (S the summing matrix), so they add up by construction:
- bottom-up: the store forecasts alone, summed (G picks the stores);
- WLS structural: weights by how many stores a series sums (Athanasopoulos et al., 2017);
- MinT-shrink: weights by the base forecasts' error covariance, shrunk towards its diagonal
  (Wickramasuriya, Athanasopoulos and Hyndman, 2019; Schaefer and Strimmer, 2005).

Intervals are reconciled the same way: the variance of a reconciled forecast is the diagonal of
S G Sigma G' S', Sigma the base errors' covariance at that step (each series' own variance,
correlated as their past one-step errors were). So a region's interval is narrower than the sum
of its stores' intervals where their errors partly cancel, and never wider.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from attain.forecasts.hierarchy_sums import Hierarchy

Z80 = 1.2815515655446004
"""The standard normal's 90th percentile: an 80% central interval is mean +- Z80 sd."""
METHODS = ("bottom-up", "wls-structural", "mint-shrink")

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Reconciled:
    """Per series (rows, the hierarchy's order) and horizon step (columns)."""

    method: str
    mean: Array
    low: Array
    high: Array


def residual_correlation(residuals: Array) -> tuple[Array, float]:
    """The series' one-step error correlation, shrunk towards none by the Schaefer-Strimmer
    intensity (so a short history does not invent correlations); and that intensity."""
    r = residuals[:, ~np.isnan(residuals).any(axis=0)]
    n_series, t = r.shape
    if t < 3:
        return np.eye(n_series), 1.0
    sd = r.std(axis=1, ddof=1)
    sd = np.where(sd > 0, sd, 1.0)
    x = (r - r.mean(axis=1, keepdims=True)) / sd[:, None]
    corr = (x @ x.T) / (t - 1)
    w = np.einsum("it,jt->ijt", x, x)
    var_corr = w.var(axis=2, ddof=1) * t / (t - 1) ** 2
    off = ~np.eye(n_series, dtype=bool)
    denom = float((corr[off] ** 2).sum())
    lam = 1.0 if denom == 0 else float(np.clip(var_corr[off].sum() / denom, 0.0, 1.0))
    shrunk = corr * (1.0 - lam)
    np.fill_diagonal(shrunk, 1.0)
    return shrunk, lam


def mapping(method: str, hierarchy: Hierarchy, weights: Array | None = None) -> Array:
    """G (stores x series) for the method; `weights` is the base errors' covariance MinT needs."""
    s = hierarchy.summing
    n_all, n_bottom = s.shape
    if method == "bottom-up":
        return np.hstack([np.zeros((n_bottom, n_all - n_bottom)), np.eye(n_bottom)])
    if method == "wls-structural":
        w_inv = np.diag(1.0 / s.sum(axis=1))
    elif method == "mint-shrink":
        if weights is None:
            raise ValueError("MinT needs the base forecast errors' covariance")
        w_inv = np.linalg.pinv(weights)
    else:
        raise ValueError(f"no reconciliation method {method!r}; choose one of {', '.join(METHODS)}")
    g: Array = np.asarray(np.linalg.solve(s.T @ w_inv @ s, s.T @ w_inv), dtype=float)
    return g


def reconcile(
    method: str, hierarchy: Hierarchy, mean: Array, variance: Array, residuals: Array
) -> Reconciled:
    """Reconciled means and 80% intervals from every series' base mean and variance (series x
    steps) and in-sample one-step residuals (series x periods, NaN where unknown)."""
    corr, _ = residual_correlation(residuals)
    sd = np.sqrt(np.maximum(variance, 0.0))
    one_step = np.outer(sd[:, 0], sd[:, 0]) * corr
    g = mapping(method, hierarchy, one_step if method == "mint-shrink" else None)
    sg = hierarchy.summing @ g
    rec_mean = sg @ mean
    rec_sd = np.empty_like(mean)
    for k in range(mean.shape[1]):
        sigma = np.outer(sd[:, k], sd[:, k]) * corr
        rec_sd[:, k] = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", sg, sigma, sg), 0.0))
    return Reconciled(method, rec_mean, rec_mean - Z80 * rec_sd, rec_mean + Z80 * rec_sd)
