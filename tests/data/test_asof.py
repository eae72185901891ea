"""The pipeline as of a day: hand-computed on a small store, and blind to everything later."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import func, select, update

from attain.data.asof import DealHistory, calls_as_of, deals_as_of
from attain.data.schema import (
    Deal,
    DealHistoryRow,
    DealStage,
    DealStageEvent,
    ForecastCall,
)
from attain.data.store import get_engine, session
from attain.data.synth import SynthSpec, generate
from attain.data.synth.write import write_store

T = dt.datetime


def _stages(s: object) -> None:
    for k, (name, category) in enumerate(
        [("prospecting", "open"), ("negotiation", "open"), ("won", "won"), ("lost", "lost")]
    ):
        s.add(DealStage(name=name, position=k + 1, category=category))  # type: ignore[attr-defined]


@pytest.fixture
def store(store_url: str) -> str:
    """Deal A has snapshots, B only stage events, C is created after the days asked about."""
    with session(store_url) as s:
        _stages(s)
        s.add_all(
            [
                Deal(
                    id="A", owner="ben", stage="won", amount=Decimal(25000), currency="EUR",
                    created=dt.date(2027, 1, 5), close_date=dt.date(2027, 2, 10),
                ),
                Deal(
                    id="B", owner="ben", stage="lost", amount=Decimal(5000), currency="EUR",
                    created=dt.date(2027, 1, 10), close_date=dt.date(2027, 3, 1),
                ),
                Deal(
                    id="C", owner="ben", stage="prospecting", amount=Decimal(1), currency="EUR",
                    created=dt.date(2027, 2, 20), close_date=dt.date(2027, 3, 1),
                ),
            ]
        )  # fmt: skip
        for n, (at, stage, amount, close, category) in enumerate(
            [
                (T(2027, 1, 5, 9), "prospecting", 30000, dt.date(2027, 1, 31), "pipeline"),
                (T(2027, 1, 20, 15), "prospecting", 30000, dt.date(2027, 2, 15), "best_case"),
                (T(2027, 1, 25, 10), "negotiation", 28000, dt.date(2027, 2, 15), "commit"),
                (T(2027, 2, 1, 12), "negotiation", 28000, dt.date(2027, 2, 28), "commit"),
                (T(2027, 2, 10, 16, 40), "won", 25000, dt.date(2027, 2, 10), "closed"),
            ]
        ):
            s.add(
                DealHistoryRow(
                    id=f"A-{n}", deal="A", at=at, stage=stage, amount=Decimal(amount),
                    close_date=close, forecast_category=category, by="ben",
                )
            )  # fmt: skip
        for n, (at, before, after) in enumerate(
            [
                (T(2027, 1, 10, 9), None, "prospecting"),
                (T(2027, 2, 3, 11), "prospecting", "negotiation"),
                (T(2027, 3, 1, 15), "negotiation", "lost"),
            ]
        ):
            s.add(DealStageEvent(id=f"B-{n}", deal="B", from_stage=before, to_stage=after, at=at))
        for at, category, amount, period in [
            (T(2027, 1, 4, 9, 30), "commit", 200000, "2027-Q1"),
            (T(2027, 1, 4, 9, 30), "best_case", 260000, "2027-Q1"),
            (T(2027, 2, 1, 9, 30), "commit", 180000, "2027-Q1"),
            (T(2027, 2, 8, 9, 30), "commit", 150000, "2027-Q1"),
            (T(2027, 2, 1, 9, 30), "commit", 999, "2027-Q2"),
        ]:
            s.add(
                ForecastCall(
                    payee="ben", period=period, category=category, submitted_at=at,
                    amount=Decimal(amount), currency="EUR", submitted_by="ben",
                )
            )  # fmt: skip
    return store_url


def test_the_pipeline_as_of_a_day_matches_the_hand_computation(store: str) -> None:
    history = DealHistory.load(get_engine(store))
    df = history.as_of(dt.date(2027, 2, 5)).set_index("deal")
    assert list(df.index) == ["A", "B"], "C was created later"
    a = df.loc["A"]
    assert (a["stage"], a["category"], a["forecast_category"]) == ("negotiation", "open", "commit")
    assert a["stage_entered"] == pd.Timestamp("2027-01-25")
    assert (a["days_in_stage"], a["age_days"]) == (11, 31)
    assert (a["amount"], a["first_amount"], a["amount_changes"]) == (28000.0, 30000.0, 1)
    assert a["close_date"] == pd.Timestamp("2027-02-28")
    assert a["first_close_date"] == pd.Timestamp("2027-01-31")
    assert (a["slips"], a["slip_days"]) == (2, 15 + 13)
    assert pd.isna(a["decided"]) and a["from_history"]

    won = history.as_of(dt.date(2027, 2, 10)).set_index("deal").loc["A"]
    assert (won["stage"], won["category"], won["forecast_category"]) == ("won", "won", "closed")
    assert won["decided"] == won["close_date"] == pd.Timestamp("2027-02-10")
    assert (won["amount"], won["amount_changes"], won["slips"]) == (25000.0, 2, 2)

    # B has no snapshots: its stage comes from its events, amount and close date are today's.
    b = df.loc["B"]
    assert not b["from_history"]
    assert (b["stage"], b["category"], b["forecast_category"]) == (
        "negotiation",
        "open",
        "pipeline",
    )
    assert b["stage_entered"] == pd.Timestamp("2027-02-03") and b["days_in_stage"] == 2
    assert (b["amount"], b["close_date"]) == (5000.0, pd.Timestamp("2027-03-01"))
    assert (b["slips"], b["amount_changes"]) == (0, 0) and pd.isna(b["decided"])


def test_the_call_in_force_is_the_latest_submitted_by_the_end_of_the_day(store: str) -> None:
    engine = get_engine(store)
    calls = calls_as_of(engine, dt.date(2027, 2, 5), "2027-Q1").set_index("category")
    assert calls.loc["commit", "amount"] == Decimal(180000)
    assert calls.loc["best_case", "amount"] == Decimal(260000)
    same_day = calls_as_of(engine, dt.date(2027, 2, 1), "2027-Q1").set_index("category")
    assert same_day.loc["commit", "amount"] == Decimal(180000)
    assert calls_as_of(engine, dt.date(2027, 1, 3), "2027-Q1").empty


DAY = dt.date(2025, 5, 14)
CUTOFF = dt.datetime(2025, 5, 15)


def test_nothing_dated_after_the_day_reaches_the_pipeline_or_the_calls(sqlite_url: str) -> None:
    spec = SynthSpec(seed=9, b2b_reps=6, years=2, start=dt.date(2024, 1, 1))
    engine = get_engine(sqlite_url)
    write_store(generate(spec), engine)
    before = deals_as_of(engine, DAY)
    calls_before = calls_as_of(engine, DAY, "2025-Q2")
    assert len(before) > 100 and (before["category"] == "open").sum() > 20
    assert before["slips"].sum() > 0 and len(calls_before) > 10

    with session(sqlite_url) as s:
        changed = s.execute(
            update(DealHistoryRow)
            .where(DealHistoryRow.at >= CUTOFF)
            .values(
                stage="won", amount=Decimal(1), close_date=dt.date(2030, 1, 1),
                forecast_category="commit",
            )
        ).rowcount  # fmt: skip
        s.execute(update(DealStageEvent).where(DealStageEvent.at >= CUTOFF).values(to_stage="won"))
        undecided = s.execute(
            update(Deal)
            .where(Deal.close_date > DAY)
            .values(stage="lost", amount=Decimal(2), close_date=DAY - dt.timedelta(days=3))
        ).rowcount
        s.add(
            Deal(
                id="LATE", owner="x", stage="won", amount=Decimal(9), created=DAY + dt.timedelta(1)
            )
        )
        s.add(DealHistoryRow(id="LATE-1", deal="LATE", at=CUTOFF, stage="won", amount=Decimal(9)))
        some_deal = before["deal"].iloc[0]
        s.add(DealHistoryRow(id="X-1", deal=some_deal, at=CUTOFF, stage="lost", amount=Decimal(3)))
        s.execute(
            update(ForecastCall)
            .where(ForecastCall.submitted_at >= CUTOFF)
            .values(amount=Decimal(7))
        )
        payee = calls_before["payee"].iloc[0]
        s.add(
            ForecastCall(
                payee=payee, period="2025-Q2", category="commit", submitted_at=CUTOFF,
                amount=Decimal(8), currency="USD", submitted_by=payee,
            )
        )  # fmt: skip
    assert changed > 100 and undecided > 20, "the poison reached the rows it is meant for"
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(DealHistoryRow)).scalar_one() > 0

    pd.testing.assert_frame_equal(deals_as_of(engine, DAY), before)
    pd.testing.assert_frame_equal(calls_as_of(engine, DAY, "2025-Q2"), calls_before)
    later = deals_as_of(engine, DAY + dt.timedelta(days=1))
    assert "LATE" in set(later["deal"]), "the same reader does see the poison a day later"
