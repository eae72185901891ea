"""Additive trees as a points table: each feature's value maps to points of log-odds, and a
lead's raw score is the base plus the sum of its points.

Trees that split on one feature each (scikit-learn's `interaction_cst="no_interactions"`) add up
to one step function per feature, changing only at the booster's bin thresholds (a numeric value
goes left when it is <= a threshold) or between category codes. Evaluating the booster once per
step and per feature gives the exact table, and a million leads are then scored with a lookup
per feature instead of a walk down every tree.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from sklearn.ensemble import HistGradientBoostingClassifier


class PointsTable:
    """Per feature: the step edges (numeric), or one entry per category code, plus one for
    missing; the base is the log-odds of a reference lead."""

    def __init__(
        self,
        base: float,
        edges: list[NDArray[np.float64] | None],
        points: list[NDArray[np.float64]],
    ) -> None:
        self.base = base
        self.edges = edges
        self.points = points

    @classmethod
    def of(
        cls,
        model: HistGradientBoostingClassifier,
        reference: NDArray[np.float64],
        levels: Sequence[int | None],
    ) -> PointsTable:
        """The table of a fitted booster whose trees use one feature each; `reference` is any row
        with no missing value; `levels` gives, per feature, its number of category codes (None
        for a number)."""
        thresholds = model._bin_mapper.bin_thresholds_
        # The booster puts its categorical columns first internally (its own column encoder).
        internal = list(range(reference.size))
        if getattr(model, "_preprocessor", None) is not None:
            order = [j for j, c in enumerate(model.is_categorical_) if c]
            order += [j for j, c in enumerate(model.is_categorical_) if not c]
            internal = [order.index(j) for j in range(reference.size)]
        rows: list[NDArray[np.float64]] = []
        spans: list[int] = []
        edges: list[NDArray[np.float64] | None] = []
        for j in range(reference.size):
            count = levels[j]
            if count is not None:
                steps = np.arange(count, dtype=np.float64)  # codes 0..count-1
                edges.append(None)
            else:
                t = np.asarray(thresholds[internal[j]], dtype=np.float64)
                top = t[-1] + 1.0 if t.size else reference[j]
                steps = np.r_[t, top]
                edges.append(t)
            grid = np.tile(reference, (steps.size + 1, 1))
            grid[:-1, j] = steps
            grid[-1, j] = np.nan  # missing
            rows.append(grid)
            spans.append(steps.size + 1)
        raw = np.asarray(model.decision_function(np.vstack([reference[None, :], *rows])))
        base, values = float(raw[0]), raw[1:] - raw[0]
        points, at = [], 0
        for span in spans:
            points.append(values[at : at + span])
            at += span
        return cls(base, edges, points)

    def log_odds(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """Base plus each feature's points, per row."""
        total = np.full(x.shape[0], self.base)
        for j, (edge, pts) in enumerate(zip(self.edges, self.points, strict=True)):
            v = x[:, j]
            missing = np.isnan(v)
            if edge is None:
                idx = np.where(missing, pts.size - 1, np.nan_to_num(v).astype(np.int64))
            else:
                idx = np.where(missing, pts.size - 1, np.searchsorted(edge, v, side="left"))
            total += pts[idx]
        return total

    def matches(self, model: HistGradientBoostingClassifier, x: NDArray[np.float64]) -> bool:
        """Whether the table gives the booster's own log-odds on these rows."""
        return bool(np.allclose(self.log_odds(x), model.decision_function(x), atol=1e-8))
