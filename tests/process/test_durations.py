"""Durations written for people: the two largest units, rounded to the smaller one shown."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attain.process.durations import UNITS, humanised


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (None, "–"),
        (0, "0 s"),
        (0.4, "< 1 s"),
        (59.6, "1 min"),
        (90, "1 min 30 s"),
        (3599.9, "1 h"),
        (3661, "1 h 1 min"),
        (86_399, "1 d"),
        (273_600, "3 d 4 h"),
        (400 * 86_400, "400 d"),
        (133_897 * 86_400, "133,897 d"),
        (-120, "-2 min"),
    ],
)
def test_examples(seconds: float | None, shown: str) -> None:
    assert humanised(seconds) == shown


SIZE = dict(UNITS)


@given(st.floats(min_value=0.5, max_value=1e9, allow_nan=False))
def test_what_is_shown_is_within_half_the_smaller_unit(seconds: float) -> None:
    parts = humanised(seconds).replace(",", "").split()
    total = sum(int(n) * SIZE[u] for n, u in zip(parts[::2], parts[1::2], strict=True))
    smallest = SIZE[parts[-1]]
    smaller = {"d": 3600, "h": 60, "min": 1, "s": 1}[parts[1]] if len(parts) == 2 else smallest
    assert abs(total - seconds) <= max(smaller, 1) / 2 + 1e-6
