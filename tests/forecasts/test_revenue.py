"""B2C revenue forecasts: they add up across the hierarchy, beat seasonal naive where there is a
season and a trend to learn, hold about 80% of outcomes in their 80% intervals, read nothing
after the as-of day, convert each store's currency, and refuse bad input in one line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from revenue_store import EUR_RATE, fill_store, order_rows
from typer.testing import CliRunner

from attain.cli import app
from attain.data.store import get_engine
from attain.forecasts.accuracy import coverage, wape
from attain.forecasts.hierarchy_sums import store_hierarchy
from attain.forecasts.reconcile import METHODS, mapping, reconcile
from attain.forecasts.report_html import backtest_html
from attain.forecasts.revenue import forecast_revenue, load_store_history, rounded_coherent
from attain.forecasts.revenue_backtest import BASELINE, backtest_revenue
from attain.forecasts.revenue_models import forecast_series

HIERARCHY = store_hierarchy({"a": "North", "b": "North", "c": "South"})


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('revenue') / 'store.db'}"
    fill_store(get_engine(url))
    return url


def test_the_summing_matrix_by_hand() -> None:
    assert HIERARCHY.names == ("Company", "North", "South", "a", "b", "c")
    assert HIERARCHY.totals(np.array([1.0, 2.0, 4.0])).tolist() == [7, 3, 4, 1, 2, 4]


@pytest.mark.parametrize("method", METHODS)
def test_every_reconciliation_adds_up(method: str) -> None:
    """Base forecasts that do not add up (company 100 against stores 10 + 20 + 40) come out
    coherent: S G maps any base forecast onto sums of store forecasts."""
    rng = np.random.default_rng(1)
    base = np.array([[100.0], [35.0], [38.0], [10.0], [20.0], [40.0]])
    residuals = rng.normal(0, 1, (6, 30))
    rec = reconcile(method, HIERARCHY, base, np.full((6, 1), 4.0), residuals)
    stores = rec.mean[3:, 0]
    assert rec.mean[0, 0] == pytest.approx(stores.sum())
    assert rec.mean[1, 0] == pytest.approx(stores[:2].sum())
    assert (rec.low <= rec.mean).all() and (rec.mean <= rec.high).all()
    if method == "bottom-up":
        assert stores.tolist() == [10.0, 20.0, 40.0]
    else:  # the company's 100 pulls the stores up
        assert stores.sum() > 70.0
    # an interval of a sum is never wider than the sum of its parts' widths
    width = rec.high[:, 0] - rec.low[:, 0]
    assert width[0] <= width[3:].sum() + 1e-9


def test_wls_structural_by_hand() -> None:
    """One region of two stores: W = diag(2, 1, 1). Base total 12, stores 4 and 4: the
    reconciled stores are 4 + (12 - 8) * w/(sum) = 4 + 4/3 each (the GLS projection)."""
    h = store_hierarchy({"x": "R", "y": "R"})
    g = mapping("wls-structural", h)
    # series: Company, R, x, y - company and region carry the same sum
    out = h.summing @ g @ np.array([12.0, 12.0, 4.0, 4.0])
    # minimise 2(...) weights: stores move by (12-8)*(1/2+1/2)/(1/2+1/2+1+1) = 4/3
    assert out[2:] == pytest.approx([4 + 4 / 3, 4 + 4 / 3])
    assert out[0] == pytest.approx(out[2] + out[3])


def test_rounding_keeps_the_sums_to_the_cent() -> None:
    values = np.array([[0.0], [0.0], [0.0], [0.004], [0.004], [1.005]])
    shown = rounded_coherent(HIERARCHY, values)
    assert shown[3][0] + shown[4][0] + shown[5][0] == shown[0][0]
    assert shown[1][0] == shown[3][0] + shown[4][0]


def _seasonal_series(rng: np.random.Generator, n: int = 156) -> np.ndarray:
    t = np.arange(n)
    return 1000 + 3 * t + 250 * np.sin(2 * np.pi * t / 52) + rng.normal(0, 40, n)


def test_the_model_beats_seasonal_naive_on_a_season_and_a_trend() -> None:
    """Trend 3 a week and a 250 yearly swing: seasonal naive misses a year of trend (156) plus
    two noise draws; ETS learns both."""
    rng = np.random.default_rng(5)
    model_errors, naive_errors, actuals = [], [], []
    for _ in range(3):
        y = _seasonal_series(rng, 150)
        history, actual = y[:-13], y[-13:]
        fit = forecast_series("ets", history, 13, 52)
        naive = forecast_series("seasonal-naive", history, 13, 52)
        assert fit.seasonal and fit.model.endswith(",A)")
        model_errors.append(fit.mean)
        naive_errors.append(naive.mean)
        actuals.append(actual)
    a = np.concatenate(actuals)
    assert wape(a, np.concatenate(model_errors)) < 0.6 * wape(a, np.concatenate(naive_errors))


def test_interval_coverage_is_near_80_percent() -> None:
    """A local level with noise, the process ETS(A,N,N) assumes: over 50 series x 4 steps,
    the 80% interval holds between 70% and 90% of the outcomes."""
    rng = np.random.default_rng(11)
    held = []
    for _ in range(50):
        y = 500 + rng.normal(0, 10, 64).cumsum() + rng.normal(0, 10, 64)
        fit = forecast_series("ets", y[:60], 4, 52)
        assert not fit.seasonal  # 60 weeks: less than two seasons
        sd = np.sqrt(fit.variance)
        held.append(coverage(y[60:], fit.mean - 1.2816 * sd, fit.mean + 1.2816 * sd))
    assert 0.70 <= float(np.mean(held)) <= 0.90


def test_each_store_converts_its_own_currency(store: str) -> None:
    """S3 sells in EUR: its revenue is its order amounts x that month's EUR rate, the USD
    stores' revenue is their amounts as they are."""
    history = load_store_history(get_engine(store), "week")
    rows = order_rows()
    week = history.periods[0]  # 2024-01-01, a Monday, all in January 2024
    days = {week + dt.timedelta(days=d) for d in range(7)}
    for sid, rate in (("S1", Decimal(1)), ("S3", EUR_RATE[2024])):
        expected = sum(
            Decimal(str(r["amount"])) for r in rows if r["store"] == sid and r["date"] in days
        )
        got = history.revenue[history.stores.index(sid), 0]
        assert got == pytest.approx(float(expected * rate), abs=0.005)
    assert history.store_currency == {"S1": "USD", "S2": "USD", "S3": "EUR"}
    assert history.store_region == {"S1": "NA", "S2": "NA", "S3": "EMEA"}


def test_the_forecast_adds_up_to_the_cent_and_reads_nothing_after_the_as_of_day(
    tmp_path: Path, store: str
) -> None:
    """Poison the future - huge orders and a wild EUR rate after the as-of day - and the
    forecast made as of that day does not move; shown figures add up to the cent."""
    as_of = dt.date(2025, 9, 20)
    clean = forecast_revenue(get_engine(store), grain="month", horizon=3, as_of=as_of)
    poisoned_url = f"sqlite:///{tmp_path / 'poisoned.db'}"
    rows = order_rows()
    for r in rows:
        if r["date"] > as_of:  # type: ignore[operator]
            r["amount"] = Decimal("999999.99")
    fill_store(get_engine(poisoned_url), rows)
    poisoned = forecast_revenue(get_engine(poisoned_url), grain="month", horizon=3, as_of=as_of)
    assert clean == poisoned
    later = forecast_revenue(get_engine(poisoned_url), grain="month", horizon=3)
    assert later.lines != poisoned.lines  # the poison is visible once it is history
    assert clean.history_periods == 20  # January 2024 .. August 2025; September is not whole
    assert clean.lines[0].period == dt.date(2025, 9, 1)
    assert not clean.seasonal and "no seasonal term" in clean.notes[0]
    by = {(x.series, x.period): x for x in clean.lines}
    for period in {x.period for x in clean.lines}:
        stores = [by[(s, period)].mean for s in ("S1", "S2", "S3")]
        assert by[("Company", period)].mean == sum(stores)
        assert by[("NA", period)].mean == stores[0] + stores[1]
        assert all(m == m.quantize(Decimal("0.01")) for m in stores)


def test_the_backtest_measures_model_and_baseline_on_the_same_origins(store: str) -> None:
    history = load_store_history(get_engine(store), "month")
    done = backtest_revenue(history, horizon=2, first_origin=14, every=3, methods=("bottom-up",))
    assert len(done.origins) == 4  # origins 14, 17, 20, 23 of 27 months (2-month horizon)
    model = done.score("model (bottom-up)", "store")
    naive = done.score(BASELINE, "store")
    assert set(model.wape) == {1, 2} and set(naive.coverage) == {1, 2}
    assert done.baseline_season == 12
    # the seasonal naive's WAPE at step 1 by hand from the same origins
    totals = history.hierarchy.totals(history.revenue)
    stores = totals[3:]
    actual = np.concatenate([stores[:, o] for o in (14, 17, 20, 23)])
    made = np.concatenate([stores[:, o - 12] for o in (14, 17, 20, 23)])
    assert naive.wape[1] == pytest.approx(wape(actual, made))
    page = backtest_html("Backtest", done)
    assert page.count("<svg") == 2 and "<script" not in page and "href=" not in page


def _run(args: list[str]) -> tuple[int, str]:
    shown = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    return shown.exit_code, shown.output


def test_the_cli_prints_money_with_its_currency_and_refuses_bad_input(
    tmp_path: Path, store: str
) -> None:
    code, out = _run(
        [
            "forecast",
            "revenue",
            "--store",
            store,
            "--by",
            "region",
            "--grain",
            "month",
            "--horizon",
            "2",
            "--as-of",
            "2025-09-20",
        ]
    )
    assert code == 0, out
    assert "EMEA" in out and "NA" in out and " USD" in out
    assert "2025-09-01" in out and "2025-10-01" in out and "2025-11-01" not in out
    said = " ".join(out.split())
    assert "20 whole months of history, less than two seasons (24): no seasonal term" in said
    assert "reconciled by wls-structural" in said
    code, out = _run(["forecast", "revenue", "--store", store, "--grain", "day"])
    assert code == 2 and out.strip().splitlines() == [
        "error: --grain must be week or month, not 'day'"
    ]
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    get_engine(empty)
    code, out = _run(["forecast", "revenue", "--store", empty])
    assert code == 2
    assert out.strip().splitlines() == ["error: no B2C orders in the store (table orders is empty)"]
    code, out = _run(["forecast", "revenue-backtest", "--store", empty])
    assert code == 2 and len(out.strip().splitlines()) == 1
