"""A lead-conversion score: gradient boosting, calibrated on the latest training rows, with the
reasons behind each lead's score and a priority band.

Calibration is fitted on the last `calibration_share` of the training rows (in time order), never
on the rows being scored, so the probabilities match the most recent conversion rate the model
could know. Isotonic and sigmoid (Platt) are both tried on the first half of that tail and judged
by ECE on its second half; the winner is refitted on the whole tail.

`trend` features (the economy around the lead, say) are left out of the trees, which cannot
follow a value beyond the training range, and enter the sigmoid calibration linearly beside the
trees' log-odds instead; with trend features the sigmoid is used.

`additive` trees use one feature each (no interactions): the score is then a sum of per-feature
effects on the log-odds, like a points scorecard. Where attributes act on conversion separately,
as they mostly do for leads, this ranks better from a few thousand leads (see docs/forecasts.md).

Additive trees are compiled into a points table (attain.scores.points) and scored by lookups,
which is what lets a million leads be scored in seconds.

Refit: below `REFIT_ROWS` training rows, the trees are grown again on all rows once calibrated
(the latest quarter is worth learning from); above it, three quarters are plenty and the second
fit is skipped.

Threads: one by default (`threads`). The fits are small, and more threads mostly wait on each
other on a busy machine (on a loaded 2-core machine a 14,000-lead fit took 27 s on two threads
and 0.8 s on one).

Reasons: for each feature, the lead's score with that feature set to the training median (numbers)
or most frequent value (categories) against its real score; the features that moved it most, in
business words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from attain.scores.metrics import ece
from attain.scores.points import PointsTable

BANDS = ("A", "B", "C", "D")
REFIT_ROWS = 200_000
Describe = Callable[[str, object], str]


def plain_words(feature: str, value: object) -> str:
    """The fallback wording: the feature and its value."""
    return f"{feature.replace('_', ' ')} {value}"


@dataclass(frozen=True)
class Reason:
    """One feature that moved a lead's score, and by how much (probability points, signed)."""

    feature: str
    words: str
    effect: float

    def __str__(self) -> str:
        direction = "raises" if self.effect > 0 else "lowers"
        return f"{self.words} ({direction} the score by {abs(self.effect) * 100:.1f} points)"


@dataclass(frozen=True)
class ScoredLead:
    """A lead's calibrated conversion probability, its band and its top reasons."""

    score: float
    band: str
    reasons: tuple[Reason, ...]


class _Calibrator:
    """Maps the booster's raw probability (and any trend features, standardized, for the sigmoid)
    to a calibrated one."""

    def __init__(self, method: str) -> None:
        self.method = method
        self._iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
        self._sig = LogisticRegression(C=1e6)

    def fit(
        self, raw: NDArray[np.float64], trend: NDArray[np.float64], y: NDArray[np.int64]
    ) -> _Calibrator:
        if self.method == "isotonic":
            self._iso.fit(raw, y)
        else:
            self._sig.fit(np.column_stack([_logit(raw), trend]), y)
        return self

    def __call__(self, raw: NDArray[np.float64], trend: NDArray[np.float64]) -> NDArray[np.float64]:
        if self.method == "isotonic":
            return np.asarray(self._iso.predict(raw), dtype=np.float64)
        return np.asarray(self._sig.predict_proba(np.column_stack([_logit(raw), trend]))[:, 1])


def _logit(p: NDArray[np.float64]) -> NDArray[np.float64]:
    q = np.clip(p, 1e-6, 1 - 1e-6)
    return np.asarray(np.log(q / (1 - q)))


class LeadScorer:
    """Fit on leads in time order; score, band and explain new leads."""

    def __init__(
        self,
        numeric: Sequence[str],
        categorical: Sequence[str] = (),
        trend: Sequence[str] = (),
        describe: Describe = plain_words,
        calibration_share: float = 0.25,
        random_state: int = 0,
        refit: bool | None = None,
        additive: bool = False,
        rounds: int = 200,
        learning_rate: float = 0.05,
        min_leaf: int = 40,
        threads: int | None = 1,
    ) -> None:
        self.numeric = tuple(numeric)
        self.categorical = tuple(categorical)
        self.trend = tuple(trend)
        self.describe = describe
        self.calibration_share = calibration_share
        self.random_state = random_state
        self.refit = refit
        self.additive = additive
        self.rounds = rounds
        self.learning_rate = learning_rate
        self.min_leaf = min_leaf
        self.threads = threads
        self._points: PointsTable | None = None
        self.calibration = ""
        self.calibration_ece: dict[str, float] = {}
        self._levels: dict[str, list[object]] = {}
        self._typical: dict[str, object] = {}
        self._cuts: NDArray[np.float64] = np.zeros(3)
        self._trend_mean = np.zeros(len(self.trend))
        self._trend_scale = np.ones(len(self.trend))

    @property
    def features(self) -> tuple[str, ...]:
        return self.numeric + self.categorical + self.trend

    def _matrix(self, frame: pd.DataFrame) -> NDArray[np.float64]:
        cols = [frame[c].to_numpy(dtype=np.float64) for c in self.numeric]
        for c in self.categorical:
            codes = pd.Index(self._levels[c]).get_indexer(frame[c])  # -1: unseen or missing
            cols.append(np.where(codes < 0, np.nan, codes).astype(np.float64))
        return np.column_stack(cols)

    def _trend(self, frame: pd.DataFrame) -> NDArray[np.float64]:
        values = frame[list(self.trend)].to_numpy(dtype=np.float64).reshape(len(frame), -1)
        return np.asarray((values - self._trend_mean) / self._trend_scale)

    def fit(self, frame: pd.DataFrame, outcome: Sequence[int] | pd.Series) -> LeadScorer:
        """Train on `frame` (rows oldest first) against `outcome` (1 converted, 0 not)."""
        y = np.asarray(outcome, dtype=np.int64)
        if len(frame) != y.size or y.size < 40:
            raise ValueError("need at least 40 leads, each with an outcome")
        for c in self.categorical:
            self._levels[c] = sorted(frame[c].dropna().unique().tolist(), key=str)
            common = frame[c].mode()
            # A column with no value at all (deals without a product) has no typical value.
            self._typical[c] = common.iloc[0] if len(common) else None
        for c in self.numeric:
            self._typical[c] = float(frame[c].median())
        for c in self.trend:
            self._typical[c] = float(frame[c].median())
        if self.trend:
            values = frame[list(self.trend)].to_numpy(dtype=np.float64)
            self._trend_mean = values.mean(axis=0)
            self._trend_scale = np.where(values.std(axis=0) > 0, values.std(axis=0), 1.0)
        x = self._matrix(frame)
        t = self._trend(frame)
        with threadpool_limits(limits=self.threads, user_api="openmp"):
            self._fit(x, t, y)
        return self

    def _fit(self, x: NDArray[np.float64], t: NDArray[np.float64], y: NDArray[np.int64]) -> None:
        cut = int(len(x) * (1 - self.calibration_share))
        self._grow(x[:cut], y[:cut])
        raw, trend, tail = self._raw(x[cut:]), t[cut:], y[cut:]
        half = raw.size // 2
        for method in ("isotonic", "sigmoid"):
            probe = _Calibrator(method).fit(raw[:half], trend[:half], tail[:half])
            self.calibration_ece[method] = ece(probe(raw[half:], trend[half:]), tail[half:])
        self.calibration = (
            "sigmoid"
            if self.trend
            else min(self.calibration_ece, key=self.calibration_ece.__getitem__)
        )
        self._calibrate = _Calibrator(self.calibration).fit(raw, trend, tail)
        if self.refit if self.refit is not None else y.size < REFIT_ROWS:
            self._grow(x, y)
        self._cuts = np.quantile(self._calibrate(self._raw(x), t), [0.75, 0.5, 0.25])

    def _booster(self) -> HistGradientBoostingClassifier:
        return HistGradientBoostingClassifier(
            learning_rate=self.learning_rate,
            max_iter=self.rounds,
            max_leaf_nodes=15,
            min_samples_leaf=self.min_leaf,
            interaction_cst="no_interactions" if self.additive else None,
            l2_regularization=1.0,
            categorical_features=[len(self.numeric) + i for i in range(len(self.categorical))]
            or None,
            early_stopping=False,
            random_state=self.random_state,
        )

    def _grow(self, x: NDArray[np.float64], y: NDArray[np.int64]) -> None:
        """Fit the trees; additive ones are compiled to a points table, kept if it reproduces
        the trees' own log-odds on the first rows."""
        self._model = self._booster().fit(x, y)
        self._points = None
        complete = x[~np.isnan(x).any(axis=1)]
        if self.additive and len(complete):
            levels = [None] * len(self.numeric) + [len(self._levels[c]) for c in self.categorical]
            table = PointsTable.of(self._model, complete[0], levels)
            if table.matches(self._model, x[:2000]):
                self._points = table

    def _raw(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        if self._points is not None:
            return np.asarray(1.0 / (1.0 + np.exp(-self._points.log_odds(x))))
        return np.asarray(self._model.predict_proba(x)[:, 1], dtype=np.float64)

    def score(self, frame: pd.DataFrame) -> NDArray[np.float64]:
        """Calibrated conversion probability per lead."""
        with threadpool_limits(limits=self.threads, user_api="openmp"):
            return self._calibrate(self._raw(self._matrix(frame)), self._trend(frame))

    def bands(self, scores: NDArray[np.float64]) -> list[str]:
        """A for the training set's top quarter of scores, then B, C, D."""
        at = np.searchsorted(-self._cuts, -np.asarray(scores), side="left")
        return np.asarray(BANDS)[at].tolist()  # type: ignore[no-any-return]

    def reasons(self, frame: pd.DataFrame, top: int = 3) -> list[tuple[Reason, ...]]:
        """The `top` features that moved each lead's score most away from a typical lead's."""
        real = self.score(frame)
        effects = np.zeros((len(frame), len(self.features)))
        for j, feature in enumerate(self.features):
            typical = frame.copy()
            typical[feature] = self._typical[feature]
            effects[:, j] = real - self.score(typical)
        values = frame[list(self.features)].to_numpy(dtype=object)
        ranked = np.argsort(-np.abs(effects), axis=1, kind="mergesort")[:, :top]
        out = []
        for i, order in enumerate(ranked):
            out.append(
                tuple(
                    Reason(
                        self.features[j],
                        self.describe(self.features[j], values[i, j]),
                        float(effects[i, j]),
                    )
                    for j in order
                    if effects[i, j] != 0
                )
            )
        return out

    def scored(self, frame: pd.DataFrame, top: int = 3) -> list[ScoredLead]:
        """Score, band and reasons for each lead."""
        scores = self.score(frame)
        return [
            ScoredLead(float(s), b, r)
            for s, b, r in zip(scores, self.bands(scores), self.reasons(frame, top), strict=True)
        ]
