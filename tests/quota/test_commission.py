"""Commission cost comes from the compensation engine and matches the plan worked by hand."""

from __future__ import annotations

from decimal import Decimal

from attain.data.store import get_engine
from attain.quota import backtest


def _by_hand(quota: Decimal, sold: Decimal) -> Decimal:
    """The standard plan on the year: 10% of bookings up to quota, 15% of the rest."""
    below = min(sold, quota)
    return below * Decimal("0.10") + (sold - below) * Decimal("0.15")


def test_commission_of_each_method_matches_the_plan_by_hand(company_url: str) -> None:
    result = backtest(get_engine(company_url), 2025, methods=("top_down", "data_driven"))
    for name, frame in result.payees.items():
        priced = frame[frame["quota"] > 0]
        expected = sum(
            (
                _by_hand(Decimal(int(q)), a)
                for q, a in zip(priced["quota"], priced["actual_exact"], strict=True)
            ),
            Decimal(0),
        )
        engine_total = Decimal(str(result.metrics.loc[name, "commission"]))
        # The engine pays monthly year-to-date increments, each rounded to the cent.
        assert abs(engine_total - expected) <= Decimal("0.01") * 12 * len(priced), name
    assert "10%" in result.commission_plan
