"""Each accuracy measure against a hand computation, and the invariants that hold for any input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.forecasts.accuracy import bias, coverage, mase, smape, wape
from attain.forecasts.baselines import naive, seasonal_naive
from examples_budget import examples

ACTUAL = [100.0, 200.0, 50.0]
FORECAST = [110.0, 150.0, 50.0]


def test_smape_by_hand() -> None:
    # |100-110|/(100+110) = 10/210; |200-150|/350 = 50/350; 0/100 = 0
    # 200/3 * (0.047619 + 0.142857 + 0) = 12.698...
    assert smape(ACTUAL, FORECAST) == pytest.approx(200 / 3 * (10 / 210 + 50 / 350))


def test_smape_counts_zero_against_zero_as_no_error() -> None:
    assert smape([0.0, 10.0], [0.0, 10.0]) == 0.0


def test_mase_by_hand() -> None:
    # history 10, 12, 11, 15: lag-1 errors 2, 1, 4 -> scale 7/3
    # forecast errors |100-110| = 10, 50, 0 -> mean 20; MASE = 20 / (7/3) = 60/7
    assert mase(ACTUAL, FORECAST, [10.0, 12.0, 11.0, 15.0]) == pytest.approx(60 / 7)
    # lag 2: errors |11-10| = 1, |15-12| = 3 -> scale 2; MASE = 20 / 2 = 10
    assert mase(ACTUAL, FORECAST, [10.0, 12.0, 11.0, 15.0], season=2) == pytest.approx(10.0)


def test_wape_and_bias_by_hand() -> None:
    # absolute errors 10 + 50 + 0 = 60 over actual total 350
    assert wape(ACTUAL, FORECAST) == pytest.approx(100 * 60 / 350)
    # forecast total 310 - actual 350 = -40: under-forecast by 11.43%
    assert bias(ACTUAL, FORECAST) == pytest.approx(-100 * 40 / 350)


def test_coverage_by_hand() -> None:
    # 100 in [90, 110]; 200 not in [210, 250]; 50 in [50, 50] (the ends count)
    assert coverage(ACTUAL, [90, 210, 50], [110, 250, 50]) == pytest.approx(2 / 3)


def test_baselines_by_hand() -> None:
    assert list(naive([3.0, 5.0, 4.0], 2)) == [4.0, 4.0]
    assert list(seasonal_naive([1.0, 2.0, 3.0, 4.0, 5.0], 5, season=3)) == [3, 4, 5, 3, 4]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: smape([1.0, 2.0], [1.0]), "equal length"),
        (lambda: smape([1.0, math.nan], [1.0, 2.0]), "NaN"),
        (lambda: mase([1.0], [1.0], [5.0, 5.0, 5.0]), "never changes"),
        (lambda: mase([1.0], [1.0], [5.0], season=1), "more than 1 past values"),
        (lambda: wape([0.0], [1.0]), "every actual is zero"),
        (lambda: coverage([1.0], [2.0], [0.0]), "low end is above"),
        (lambda: seasonal_naive([1.0], 3, season=52), "full season"),
    ],
)
def test_bad_input_is_refused_not_guessed(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


SERIES = st.lists(st.floats(min_value=0.01, max_value=1e6), min_size=1, max_size=20)


@settings(max_examples=examples(40, 400), deadline=None)
@given(data=st.data(), actual=SERIES)
def test_smape_is_bounded_symmetric_and_zero_only_when_exact(
    data: st.DataObject, actual: list[float]
) -> None:
    forecast = data.draw(
        st.lists(
            st.floats(min_value=0.0, max_value=1e6), min_size=len(actual), max_size=len(actual)
        )
    )
    value = smape(actual, forecast)
    assert 0.0 <= value <= 200.0 + 1e-9
    assert value == pytest.approx(smape(forecast, actual))
    assert smape(actual, actual) == 0.0
    assert wape(actual, forecast) == pytest.approx(
        100 * np.abs(np.subtract(actual, forecast)).sum() / np.sum(actual)
    )
