"""The pipeline forecast on a hand-made store: every figure against a hand computation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from pipeline_store import AS_OF, FLAT_PLAN, PERIOD, FixedWins, build
from sqlalchemy import Engine

from attain.data.store import get_engine
from attain.forecasts.pipeline import PipelineForecast, forecast_from_book, forecast_pipeline
from attain.forecasts.pipeline_book import PipelineBook
from attain.forecasts.pipeline_simulation import band, simulate_owners


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The hand-made store, read-only for every test here."""
    e = get_engine(f"sqlite:///{tmp_path_factory.mktemp('pipeline-hand') / 'store.db'}")
    build(e)
    return e


@pytest.fixture(scope="module")
def book(engine: Engine) -> PipelineBook:
    return PipelineBook.load(engine)


_made: dict[tuple[int, str | None], PipelineForecast] = {}


def _forecast(engine: Engine, node: str | None = None) -> PipelineForecast:
    """The forecast with the fixed win model (made once per store and node)."""
    key = (id(engine), node)
    if key not in _made:
        _made[key] = forecast_pipeline(
            engine,
            PERIOD,
            AS_OF,
            node,
            simulations=2000,
            seed=1,
            win_model=lambda day: FixedWins(),
        )
    return _made[key]


def test_expected_weighted_and_roll_up_are_the_hand_computed_ones(engine: Engine) -> None:
    f = _forecast(engine)
    company = f.root
    (manager,) = company.children
    r1, r2 = manager.children
    assert (manager.node, r1.node, r2.node) == ("M", "R1", "R2")
    # R1: D1 won 2026-10-05 (1000) is closed; D5 was won in Q3 (not this period) but was
    # created after 2026-07-20, the same point of Q3: 700 not-yet-created over four past
    # quarters = 175 (no created volume to scale by). D2: 0.5 x 2000.
    assert r1.closed == Decimal("1000.00")
    assert r1.open_expected == Decimal("1000.00")
    assert r1.not_yet_created == Decimal("175.00")
    assert r1.expected == Decimal("2175.00")
    # D2 closes in the period at stage probability 0.5.
    assert r1.weighted_pipeline == Decimal("2000.00")
    # R2 sells in EUR, 1.10 USD in October: D3 0.2 x 1100, D4 0.1 x 550 (closes in 2027).
    assert r2.closed == Decimal("0.00")
    assert r2.open_expected == Decimal("275.00")
    assert r2.weighted_pipeline == Decimal("110.00")  # D3 only: 0.1 x 1100
    assert r2.quota == Decimal("1100.00")
    assert manager.expected == r1.expected + r2.expected == Decimal("2450.00")
    assert manager.weighted_pipeline == Decimal("2110.00")
    assert manager.quota == Decimal("4000.00")
    assert manager.expected_attainment == Decimal("0.6125")
    assert company.expected == manager.expected and company.quota == manager.quota
    assert f.currency == "USD" and all(n.currency == "USD" for n in company.walk())
    assert company.commit is None  # no calls recorded


def test_the_band_holds_the_expected_value_and_nodes_share_draws(engine: Engine) -> None:
    f = _forecast(engine)
    (manager,) = f.root.children
    for n in f.root.walk():
        assert n.low <= n.expected <= n.high
    # R1 wins at least its closed deal; at most everything (1000 + 2000 + 700 not yet created)
    r1 = manager.children[0]
    assert r1.low >= Decimal("1000.00") and r1.high <= Decimal("3700.00")


def test_a_node_is_its_part_of_the_hierarchy(book: PipelineBook) -> None:
    def made(node: str) -> PipelineForecast:
        return forecast_from_book(book, PERIOD, AS_OF, node, 500, win_model=lambda d: FixedWins())

    f = made("R2")
    assert f.root.node == "R2" and f.root.children == ()
    assert {d.deal for d in f.deals} == {"D3", "D4"}
    with pytest.raises(ValueError, match="not in the hierarchy"):
        made("nobody")


def test_deals_by_swing_with_expected_values(engine: Engine) -> None:
    f = _forecast(engine)
    assert [d.deal for d in f.deals] == ["D2", "D3", "D4"]  # 1000, 440, 165 of swing
    d2 = f.deals[0]
    assert d2.expected == Decimal("1000.00") and d2.swing == Decimal("1000.00")
    assert f.deals[1].swing == Decimal("440.00")  # 1100 x sqrt(0.2 x 0.8)


def test_the_stage_rates_model_runs_without_a_scorer(book: PipelineBook) -> None:
    f = forecast_from_book(book, PERIOD, AS_OF, simulations=200)
    assert f.model == "stage rates"
    assert f.root.closed == Decimal("1000.00")
    assert all(0.0 <= d.p_close_in_period <= 1.0 for d in f.deals)


def test_a_bad_period_or_day_is_refused(book: PipelineBook) -> None:
    with pytest.raises(ValueError, match="give a quarter"):
        forecast_from_book(book, "2026-13", AS_OF)
    with pytest.raises(ValueError, match="not within"):
        forecast_from_book(book, PERIOD, dt.date(2027, 3, 1))


def test_the_simulated_band_is_the_binomial_one() -> None:
    """100 deals of 1 at p = 0.3: the band is Binomial(100, 0.3)'s 10th-90th percentile, and
    independent outcomes land inside it about 80% of the time."""
    from scipy.stats import binom

    n, p = 100, 0.3
    rng = np.random.default_rng(5)
    sims = simulate_owners(rng, 20_000, np.zeros(n, int), np.full(n, p), np.ones(n), 1, None, None)
    low, high = band(sims[:, 0])
    assert abs(low - binom.ppf(0.1, n, p)) <= 1 and abs(high - binom.ppf(0.9, n, p)) <= 1
    outcomes = rng.binomial(n, p, 5000)
    inside = np.mean((outcomes >= low) & (outcomes <= high))
    assert 0.75 <= inside <= 0.88  # discrete: the closed band holds a little more than 80%


def test_owners_share_one_set_of_draws() -> None:
    """A two-owner node's outcome in each simulation is the sum of its owners' outcomes."""
    rng = np.random.default_rng(2)
    sims = simulate_owners(
        rng,
        500,
        np.array([0, 0, 1]),
        np.array([0.5, 0.5, 0.5]),
        np.array([1.0, 2.0, 4.0]),
        2,
        None,
        None,
    )
    assert set(np.unique(sims[:, 0])) <= {0.0, 1.0, 2.0, 3.0}
    assert set(np.unique(sims[:, 1])) <= {0.0, 4.0}
    total = sims.sum(axis=1)
    assert np.percentile(total, 90) <= np.percentile(sims[:, 0], 90) + np.percentile(sims[:, 1], 90)


def test_the_cli_table_carries_the_currency_and_refuses_a_bad_period(engine: Engine) -> None:
    from typer.testing import CliRunner

    from attain.cli import app

    url = str(engine.url)
    run = CliRunner().invoke(
        app,
        [
            "forecast",
            "pipeline",
            "--period",
            PERIOD,
            "--as-of",
            str(AS_OF),
            "--db",
            url,
            "--model",
            "stage-rates",
        ],
        env={"COLUMNS": "250"},
    )
    assert run.exit_code == 0, run.output
    assert "USD 1,000.00" in run.output and "Mona Manager" in run.output
    bad = CliRunner().invoke(app, ["forecast", "pipeline", "--period", "Q9", "--db", url])
    assert bad.exit_code == 2 and "give a quarter" in bad.output


def test_expected_commission_is_the_plan_run_on_the_expected_outcome(engine: Engine) -> None:
    """10% of: R1's 1000 won + 0.5 x 2000 + 175 not yet created; R2's 0.2 x 1000 EUR and
    0.1 x 500 EUR (taken as won by the period's end), at 1.10 USD (October's rate carried on)."""
    from attain.comp.language import load_plans

    f = forecast_pipeline(
        engine,
        PERIOD,
        AS_OF,
        simulations=100,
        win_model=lambda day: FixedWins(),
        plans=load_plans(FLAT_PLAN),
    )
    (manager,) = f.root.children
    r1, r2 = manager.children
    assert r1.expected_commission == Decimal("217.50")
    assert r2.expected_commission == Decimal("27.50")
    assert manager.expected_commission == Decimal("245.00")  # the manager has no plan


RETAIL_PLAN = """
id: retail
currency: USD
period: month
credits:
  - {id: seller, from: orders, to: seller, value: amount, currency: currency, date: date}
measures:
  revenue: {sum: value}
components:
  - {id: commission, measure: revenue, tier_basis: attainment,
     tiers: [{from: 0, rate: 0.01}, {from: 1.0, rate: 0.02}]}
"""
"""A plan on orders whose quotas do not exist: it cannot be priced, and moves with no deal."""


def test_a_plan_that_cannot_be_priced_leaves_the_deal_plans_commission(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A B2C plan missing its quotas for the period must not blank the B2B commission forecast."""
    from sqlalchemy import insert

    from attain.comp.language import load_plans
    from attain.data.schema import PlanAssignment

    e = get_engine(f"sqlite:///{tmp_path / 'store.db'}")
    build(e)
    with e.begin() as conn:
        conn.execute(
            insert(PlanAssignment),
            [
                {
                    "payee": "R1",
                    "plan": "retail",
                    "valid_from": dt.date(2026, 1, 1),
                    "valid_to": None,
                }
            ],
        )
    plans = [*load_plans(FLAT_PLAN), *load_plans(RETAIL_PLAN)]
    f = forecast_pipeline(
        e, PERIOD, AS_OF, simulations=100, win_model=lambda day: FixedWins(), plans=plans
    )
    (manager,) = f.root.children
    r1, r2 = manager.children
    assert r1.expected_commission == Decimal("217.50")
    assert r2.expected_commission == Decimal("27.50")
