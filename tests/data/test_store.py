from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text

from attain.data import migrate
from attain.data.schema import DATA_TABLES, Deal
from attain.data.store import get_engine, session, table_names


def test_store_is_migrated_on_first_use(store_url: str) -> None:
    engine = get_engine(store_url)
    names = set(table_names(engine))
    assert set(DATA_TABLES) <= names
    assert migrate.current(engine) is not None


def test_money_round_trips_exactly(store_url: str) -> None:
    with session(store_url) as s:
        s.add(Deal(id="d1", owner="ana", stage="won", amount=Decimal("0.10")))
        s.add(Deal(id="d2", owner="ana", stage="won", amount=Decimal("123456789012.345678")))
    with session(store_url) as s:
        assert s.get(Deal, "d1").amount == Decimal("0.10")  # type: ignore[union-attr]
        assert s.get(Deal, "d2").amount == Decimal("123456789012.345678")  # type: ignore[union-attr]
    with get_engine(store_url).connect() as conn:
        raw = conn.execute(text("select amount from deals where id = 'd1'")).scalar_one()
    assert not isinstance(raw, float), "money must never be stored as a binary float"
