"""The lead score on 300 synthetic leads: probabilities, bands and reasons are well formed and
the reasons name the feature that truly drives conversion."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd
import pytest

from attain.scores.leads import BANDS, LeadScorer


def _leads(n: int = 300, seed: int = 7) -> tuple[pd.DataFrame, np.ndarray]:
    """Referred leads convert far more often; meetings help; the rest is noise."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "meetings": rng.integers(0, 6, n),
            "employees": rng.integers(5, 5000, n),
            "source": rng.choice(["referral", "webinar", "cold call"], n, p=[0.3, 0.3, 0.4]),
        }
    )
    logit = -2.0 + 2.5 * (frame["source"] == "referral") + 0.4 * frame["meetings"]
    converted = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return frame, converted.to_numpy()


def _words(feature: str, value: object) -> str:
    return {"source": f"came from {value}", "meetings": f"{value} meetings held"}.get(
        feature, f"{value} employees"
    )


@pytest.fixture(scope="module")
def scorer() -> LeadScorer:
    frame, converted = _leads()
    return LeadScorer(["meetings", "employees"], ["source"], describe=_words).fit(frame, converted)


def test_scores_are_probabilities_and_bands_follow_them(scorer: LeadScorer) -> None:
    frame, _ = _leads(seed=8)
    scored = scorer.scored(frame)
    assert len(scored) == len(frame)
    assert all(0.0 <= s.score <= 1.0 for s in scored)
    assert {s.band for s in scored} <= set(BANDS)
    by_band = {b: [s.score for s in scored if s.band == b] for b in BANDS}
    for better, worse in pairwise(BANDS):
        if by_band[better] and by_band[worse]:
            assert min(by_band[better]) >= max(by_band[worse])
    assert scorer.calibration in ("isotonic", "sigmoid")


def test_reasons_are_in_words_and_led_by_the_true_driver(scorer: LeadScorer) -> None:
    """Most referred leads have their source as the top reason, and it raises the score."""
    frame, _ = _leads(seed=9)
    scored = scorer.scored(frame)
    for lead in scored:
        assert len(lead.reasons) <= 3
        effects = [abs(r.effect) for r in lead.reasons]
        assert effects == sorted(effects, reverse=True)
        assert all(r.words and "points" in str(r) for r in lead.reasons)
    referred = [s for s, src in zip(scored, frame["source"], strict=True) if src == "referral"]
    led = [s.reasons[0] for s in referred if s.reasons]
    top = [r for r in led if r.feature == "source"]
    assert len(top) >= 0.7 * len(referred)  # 78 of 98 with these seeds
    assert all(r.words == "came from referral" and r.effect > 0 for r in top)


def test_too_few_leads_are_refused() -> None:
    frame, converted = _leads(n=30)
    with pytest.raises(ValueError, match="at least 40"):
        LeadScorer(["meetings"], ["source"]).fit(frame, converted)


def test_a_category_with_no_value_at_all_is_scored_as_unknown() -> None:
    """Deals imported without a product still get a score (the column is simply uninformative)."""
    frame, converted = _leads()
    frame["product"] = pd.Series([None] * len(frame), dtype="object")
    scorer = LeadScorer(["meetings"], ["source", "product"]).fit(frame, converted)
    scored = scorer.scored(frame.head(20))
    assert len(scored) == 20
    assert all(0.0 < s.score < 1.0 for s in scored)
