"""The lead score on UCI Bank Marketing (../shared): first 80% of calls to train, last 20% to test,
without `duration`. Measured on this split: AUC 0.742, ECE 0.061, top-decile lift 2.01 (the
issue's target, AUC 0.78 and ECE 0.02, is not reached; see docs/forecasts.md)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from attain.scores.bank_marketing import Backtest, backtest, default_file, load

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


@pytest.fixture(scope="module")
def calls() -> pd.DataFrame:
    """Read once for the module (the `shared_dir` fixture is per test, so the skip is here too)."""
    path = default_file(SHARED)
    if not path.is_file():
        pytest.skip(f"../shared is absent (looked for {path.name} beside the project)")
    return load(path)


@pytest.fixture(scope="module")
def result(calls: pd.DataFrame) -> Backtest:
    return backtest(calls)


def test_the_lead_score_reaches_the_measured_accuracy(shared_dir: Path, result: Backtest) -> None:
    """Guards the measured figures with no trend feature (AUC 0.676, ECE 0.170, lift 1.89; the
    issue's target of 0.78 and 0.02 is not reached, see docs/forecasts.md) and that the score
    beats the training base rate measured in the same run."""
    score, base_rate = result.score, result.base_rate
    assert score.baseline is not None and score.baseline.name == "logistic regression"
    assert (result.train_rows, result.test_rows) == (32_950, 8_238)
    assert score.auc >= 0.66
    assert score.ece <= 0.18
    assert score.lift >= 1.8
    assert score.brier < base_rate.brier
    assert base_rate.auc == 0.5 and base_rate.lift == pytest.approx(1.0)
    shown = {(g.segment, g.value) for g in score.segments}
    assert shown >= {("job", "admin."), ("contacted before", "yes"), ("age", "60 and over")}
    assert sum(g.n for g in score.segments if g.segment == "age") == result.test_rows


def test_duration_never_reaches_the_score(calls: pd.DataFrame, result: Backtest) -> None:
    """Scrambling the call length (it leaks the outcome) changes no score."""
    scrambled = calls.assign(duration=np.random.default_rng(0).permutation(calls["duration"]))
    assert np.array_equal(backtest(scrambled).test_scores, result.test_scores)


def test_the_test_outcomes_never_reach_the_model(calls: pd.DataFrame, result: Backtest) -> None:
    """Flip every outcome of the test 20%: the trained model and its calibration (fitted on the
    tail of the training part) give the test rows exactly the same scores."""
    cut = result.train_rows
    poisoned = calls.copy()
    poisoned.loc[poisoned.index[cut:], "y"] = 1 - poisoned["y"].iloc[cut:]
    again = backtest(poisoned)
    assert again.calibration == result.calibration
    assert np.array_equal(again.test_scores, result.test_scores)
    assert again.score.auc == pytest.approx(1 - result.score.auc)
