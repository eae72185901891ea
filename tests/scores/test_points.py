"""Additive trees compiled to a points table score exactly like the trees, missing and unseen
values included; trees with interactions are never compiled."""

from __future__ import annotations

import numpy as np
import pandas as pd

from attain.scores.leads import LeadScorer


def _leads(n: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "size": np.exp(rng.normal(4.8, 1.6, n)),
            "meetings": rng.integers(0, 5, n).astype(float),
            "source": rng.choice(["web", "referral", "event"], n),
            "industry": rng.choice(["software", "retail", "finance", "education"], n),
        }
    )
    logit = -2 + 0.5 * np.log10(frame["size"]) + 1.0 * (frame["source"] == "referral")
    return frame, (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int).to_numpy()


def test_the_points_table_scores_like_the_trees() -> None:
    frame, y = _leads(3000, 1)
    scorer = LeadScorer(["size", "meetings"], ["source", "industry"], additive=True).fit(frame, y)
    assert scorer._points is not None
    test, _ = _leads(1000, 2)
    test.loc[:50, "size"] = np.nan
    test.loc[50:100, "source"] = "cold call"  # never seen in training
    x = scorer._matrix(test)
    trees = scorer._model.decision_function(x)
    assert np.allclose(scorer._points.log_odds(x), trees, atol=1e-9)
    assert np.ptp(trees) > 0.5  # the trees say something, so agreement is not trivial


def test_trees_with_interactions_are_scored_by_the_trees() -> None:
    frame, y = _leads(1000, 3)
    scorer = LeadScorer(["size", "meetings"], ["source", "industry"]).fit(frame, y)
    assert scorer._points is None
