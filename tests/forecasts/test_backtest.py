"""Rolling-origin backtests: hand-computed errors, nothing after an origin reaches its forecast,
and the Online Retail weekly series as the CLI reports them."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from attain.cli import app
from attain.forecasts.backtest import backtest, forecasts_at
from attain.forecasts.baselines import naive
from attain.forecasts.models import theta
from attain.forecasts.online_retail import weekly_revenue

RETAIL = (
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "online-retail"
) / "online_retail.csv.gz"


def test_a_backtest_by_hand() -> None:
    # series 10, 20, 30, 40; naive from origins 2 and 3 with horizon 1:
    # origin 2 forecasts 20 for 30 (error 10), origin 3 forecasts 30 for 40 (error 10)
    # WAPE = (10 + 10) / (30 + 40) = 28.57%; bias = (50 - 70) / 70 = -28.57%
    done = backtest("naive", naive, {"s": np.array([10.0, 20, 30, 40])}, horizon=1, first_origin=2)
    assert done.origins == 2
    assert done.wape[1] == pytest.approx(100 * 20 / 70)
    assert done.bias[1] == pytest.approx(-100 * 20 / 70)


def test_nothing_after_the_origin_reaches_its_forecast() -> None:
    """Poison every value from the origin on: the forecast made at the origin does not move."""
    rng = np.random.default_rng(7)
    values = 100 + rng.normal(0, 5, 40).cumsum()
    poisoned = values.copy()
    poisoned[30:] = 1e12
    assert np.array_equal(forecasts_at(values, 30, 4, theta), forecasts_at(poisoned, 30, 4, theta))
    assert not np.array_equal(
        forecasts_at(values, 31, 4, theta), forecasts_at(poisoned, 31, 4, theta)
    )


def test_too_short_a_series_is_refused() -> None:
    with pytest.raises(ValueError, match="no origin from week 5"):
        backtest("naive", naive, {"s": np.arange(6.0)}, horizon=4, first_origin=5)


def _retail_file(path: Path) -> Path:
    """A project-owned stand-in in the file's layout: Wednesday 2010-12-01 to Monday 2010-12-27,
    so only the weeks of 6, 13 and 20 December are whole; one cancellation."""
    lines = ["InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"]
    for day in range(1, 28):
        lines.append(f"5{day:02d},A,Mug,2,2010-12-{day:02d} 10:00,1.25,1,United Kingdom")
    lines.append("C599,A,Mug,-2,2010-12-08 11:00,1.25,1,United Kingdom")
    lines.append("600,B,Tin,1,2010-12-14 09:30,10.00,2,France")
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path


def test_weekly_revenue_keeps_whole_weeks_and_nets_cancellations(tmp_path: Path) -> None:
    series = weekly_revenue(_retail_file(tmp_path / "retail.csv.gz"))
    # 7 days x 2 x 1.25 = 17.50 a week; the week of the 6th loses a cancelled 2.50
    assert list(series["United Kingdom"]) == [15.0, 17.5, 17.5]
    assert list(series["France"]) == [0.0, 10.0, 0.0]
    assert list(series["All countries"]) == [15.0, 27.5, 17.5]


def test_the_online_retail_backtest_as_the_cli_reports_it() -> None:
    """51 whole weeks; 4 weeks ahead, Theta's WAPE is lower than the naive forecast's. A 52-week
    seasonal naive cannot be measured on one year, and the report says so."""
    if not RETAIL.is_file():
        pytest.skip("../shared is absent (looked for shared/data/online-retail)")
    series = weekly_revenue(RETAIL)
    assert {len(v) for v in series.values()} == {51}
    countries = {k: v for k, v in series.items() if k != "All countries"}
    th = backtest("Theta", theta, countries, horizon=4, first_origin=26)
    nv = backtest("Naive", naive, countries, horizon=4, first_origin=26)
    assert th.wape[4] < 0.9 * nv.wape[4]
    shown = CliRunner().invoke(
        app, ["forecast", "backtest", "--file", str(RETAIL)], env={"COLUMNS": "200"}
    )
    assert shown.exit_code == 0, shown.output
    assert "7 country series, 51 weeks" in shown.output
    assert "a 52-week seasonal naive needs 56 weeks to be measured; the file holds 51" in (
        " ".join(shown.output.split())
    )
    missing = CliRunner().invoke(app, ["forecast", "backtest", "--file", "/no/such.csv"])
    assert missing.exit_code == 2 and missing.output.strip().count("/no/such.csv") == 1
