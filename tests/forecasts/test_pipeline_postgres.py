"""The pipeline forecast reads PostgreSQL as it reads SQLite: the hand-made store's figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pipeline_store import AS_OF, PERIOD, FixedWins, build

from attain.data.store import get_engine
from attain.forecasts.pipeline import forecast_pipeline


@pytest.mark.postgres
def test_the_hand_made_store_on_postgres(postgres_url: str) -> None:
    engine = get_engine(postgres_url)
    build(engine)
    f = forecast_pipeline(engine, PERIOD, AS_OF, simulations=200, win_model=lambda d: FixedWins())
    (manager,) = f.root.children
    assert manager.expected == Decimal("2450.00")
    assert manager.weighted_pipeline == Decimal("2110.00")
    assert manager.quota == Decimal("4000.00")
