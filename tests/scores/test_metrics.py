"""Each score metric against a hand computation, and AUC and Brier against scikit-learn."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import brier_score_loss, roc_auc_score

from attain.scores.metrics import auc, brier, ece, reliability, top_decile_lift
from examples_budget import examples


def test_auc_counts_the_pairs_a_positive_wins() -> None:
    """Positives 0.35 and 0.8, negatives 0.1 and 0.4: 0.35 beats 0.1, loses to 0.4; 0.8 beats
    both: 3 of 4 pairs, AUC 0.75."""
    assert auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) == pytest.approx(0.75)


def test_auc_counts_a_tie_as_half_a_win() -> None:
    """Positives 0.5 and 0.9, negatives 0.5 and 0.2: the 0.5-0.5 pair is a tie (1/2), the other
    three pairs are wins: 3.5 / 4 = 0.875."""
    assert auc([0.5, 0.5, 0.2, 0.9], [1, 0, 0, 1]) == pytest.approx(0.875)


def test_auc_needs_both_outcomes() -> None:
    with pytest.raises(ValueError, match="both outcomes"):
        auc([0.2, 0.3], [1, 1])


def test_brier_is_the_mean_squared_miss() -> None:
    """(0.1-0)^2 + (0.4-0)^2 + (0.35-1)^2 + (0.8-1)^2 = 0.01 + 0.16 + 0.4225 + 0.04 = 0.6325;
    / 4 = 0.158125."""
    assert brier([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) == pytest.approx(0.158125)


def test_ece_with_ten_rows_puts_one_row_in_each_bin() -> None:
    """Scores 0.05, 0.15, ..., 0.95, outcomes 0 0 0 1 0 1 0 1 1 1: each bin's miss |s - y| is
    0.05 0.15 0.25 0.65 0.45 0.45 0.65 0.25 0.15 0.05, sum 3.1, each bin a tenth: ECE 0.31."""
    scores = [0.05 + 0.1 * i for i in range(10)]
    outcomes = [0, 0, 0, 1, 0, 1, 0, 1, 1, 1]
    assert ece(scores, outcomes) == pytest.approx(0.31)


def test_ece_bins_hold_nearly_equal_counts_larger_first() -> None:
    """Five rows in two bins, sorted by score: 0.1 (0), 0.2 (0), 0.3 (1) | 0.7 (0), 0.9 (1).
    Bin 1: mean score 0.2, rate 1/3, share 3/5; bin 2: mean 0.8, rate 1/2, share 2/5.
    ECE = 0.1333 x 0.6 + 0.3 x 0.4 = 0.08 + 0.12 = 0.2."""
    scores, outcomes = [0.9, 0.1, 0.3, 0.2, 0.7], [1, 0, 1, 0, 0]
    bins = reliability(scores, outcomes, bins=2)
    assert [b.count for b in bins] == [3, 2]
    assert bins[0].mean_score == pytest.approx(0.2)
    assert bins[0].observed_rate == pytest.approx(1 / 3)
    assert bins[1].mean_score == pytest.approx(0.8)
    assert bins[1].observed_rate == pytest.approx(0.5)
    assert ece(scores, outcomes, bins=2) == pytest.approx(0.2)


def test_top_decile_lift_is_the_top_tenths_rate_over_the_overall_rate() -> None:
    """20 rows, the top 2 by score both converted; 4 of 20 converted overall (0.2):
    lift = (2 / 2) / 0.2 = 5."""
    scores = [i / 20 for i in range(20)]
    outcomes = [0] * 18 + [1, 1]
    outcomes[0] = outcomes[5] = 1
    assert top_decile_lift(scores, outcomes) == pytest.approx(5.0)


def test_top_decile_lift_shares_the_last_place_among_ties() -> None:
    """10 rows, the top tenth is 1 row; two rows tie at the top score 0.9, one converted: that
    place counts 1/2. Overall 2 of 10 converted (0.2): lift = 0.5 / 0.2 = 2.5. A constant score
    has lift 1."""
    scores = [0.9, 0.9] + [0.1] * 8
    outcomes = [1, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert top_decile_lift(scores, outcomes) == pytest.approx(2.5)
    assert top_decile_lift([0.3] * 10, outcomes) == pytest.approx(1.0)


def test_outcomes_must_be_zero_or_one_and_match_the_scores() -> None:
    with pytest.raises(ValueError, match="0 or 1"):
        brier([0.5], [2])
    with pytest.raises(ValueError, match="outcomes"):
        brier([0.5, 0.2], [1])


rows = st.integers(min_value=2, max_value=60).flatmap(
    lambda n: st.tuples(
        st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]), min_size=n, max_size=n)
        | st.lists(st.floats(0, 1), min_size=n, max_size=n),
        st.lists(st.integers(0, 1), min_size=n, max_size=n),
    )
)


@settings(max_examples=examples(40, 400), deadline=None)
@given(rows)
def test_auc_and_brier_agree_with_scikit_learn(case: tuple[list[float], list[int]]) -> None:
    """Ties (scores drawn from a few values) included."""
    scores, outcomes = case
    assert brier(scores, outcomes) == pytest.approx(brier_score_loss(outcomes, scores))
    if 0 < sum(outcomes) < len(outcomes):
        assert auc(scores, outcomes) == pytest.approx(roc_auc_score(outcomes, scores))
