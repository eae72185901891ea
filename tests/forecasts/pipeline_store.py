"""A hand-made store for the pipeline forecast: a manager and two reps, six deals, so every
figure of the forecast can be computed by hand (see test_pipeline.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Engine, insert

from attain.data.schema import (
    Deal,
    DealStage,
    DealStageEvent,
    FxRate,
    Person,
    PlanAssignment,
    Quota,
)

AS_OF = dt.date(2026, 10, 20)
PERIOD = "2026-Q4"
P_CLOSE = {"D2": 0.5, "D3": 0.2, "D4": 0.1}
"""The fixed win model's chance that each open deal is won in the period."""


FLAT_PLAN = """
id: flat
currency: USD
period: quarter
credits:
  - id: owner
    from: deals
    where: stage == "won"
    to: owner
    value: amount
    currency: currency
    date: close_date
measures:
  bookings: {sum: value}
components:
  - {id: commission, measure: bookings, rate: 0.10}
"""
"""Ten percent of each rep's won bookings in the quarter, converted into USD."""


class FixedWins:
    """A win model that gives each open deal the chance in P_CLOSE."""

    def score(self, open_deals, period_end):  # type: ignore[no-untyped-def]
        import pandas as pd

        p = open_deals["deal"].map(P_CLOSE).astype(float)
        return pd.DataFrame(
            {
                "deal": open_deals["deal"],
                "p_win": p,
                "p_close_in_period": p,
                "reasons": [["fixed"]] * len(open_deals),
            },
            index=open_deals.index,
        )


def _deal(
    id: str, owner: str, amount: str, currency: str, stage: str, created: dt.date, close: dt.date
) -> dict[str, object]:
    return {
        "id": id,
        "name": f"Deal {id}",
        "owner": owner,
        "type": "new",
        "amount": Decimal(amount),
        "currency": currency,
        "stage": stage,
        "created": created,
        "close_date": close,
    }


def build(engine: Engine) -> None:
    d = dt.date
    with engine.begin() as conn:
        conn.execute(
            insert(DealStage),
            [
                {
                    "name": "prospecting",
                    "position": 1,
                    "category": "open",
                    "probability": Decimal("0.1"),
                },
                {
                    "name": "proposal",
                    "position": 2,
                    "category": "open",
                    "probability": Decimal("0.5"),
                },
                {"name": "won", "position": 3, "category": "won", "probability": Decimal("1")},
                {"name": "lost", "position": 4, "category": "lost", "probability": Decimal("0")},
            ],
        )
        conn.execute(
            insert(Person),
            [
                {
                    "id": "M",
                    "manager": None,
                    "valid_from": d(2020, 1, 1),
                    "name": "Mona Manager",
                    "role": "sales_manager",
                    "currency": "USD",
                },
                {
                    "id": "R1",
                    "valid_from": d(2020, 1, 1),
                    "name": "Rita Rep",
                    "role": "account_executive",
                    "manager": "M",
                    "currency": "USD",
                },
                {
                    "id": "R2",
                    "valid_from": d(2020, 1, 1),
                    "name": "Rolf Rep",
                    "role": "account_executive",
                    "manager": "M",
                    "currency": "EUR",
                },
            ],
        )
        conn.execute(
            insert(FxRate),
            [
                {"currency": "EUR", "month": "2026-09", "rate": Decimal("1.05")},
                {"currency": "EUR", "month": "2026-10", "rate": Decimal("1.10")},
            ],
        )
        conn.execute(
            insert(Deal),
            [
                _deal("D1", "R1", "1000", "USD", "won", d(2026, 9, 1), d(2026, 10, 5)),
                _deal("D2", "R1", "2000", "USD", "proposal", d(2026, 9, 10), d(2026, 11, 15)),
                _deal("D3", "R2", "1000", "EUR", "prospecting", d(2026, 10, 1), d(2026, 12, 20)),
                _deal("D4", "R2", "500", "EUR", "proposal", d(2026, 9, 5), d(2027, 2, 1)),
                _deal("D5", "R1", "700", "USD", "won", d(2026, 9, 1), d(2026, 9, 20)),
                _deal("D6", "R2", "900", "EUR", "lost", d(2026, 9, 2), d(2026, 10, 10)),
            ],
        )
        events = [
            ("D1", "prospecting", d(2026, 9, 1)),
            ("D1", "won", d(2026, 10, 5)),
            ("D2", "prospecting", d(2026, 9, 10)),
            ("D2", "proposal", d(2026, 10, 1)),
            ("D3", "prospecting", d(2026, 10, 1)),
            ("D4", "prospecting", d(2026, 9, 5)),
            ("D4", "proposal", d(2026, 9, 25)),
            ("D5", "prospecting", d(2026, 9, 1)),
            ("D5", "won", d(2026, 9, 20)),
            ("D6", "prospecting", d(2026, 9, 2)),
            ("D6", "lost", d(2026, 10, 10)),
        ]
        conn.execute(
            insert(DealStageEvent),
            [
                {
                    "id": f"{deal}-{k}",
                    "deal": deal,
                    "to_stage": stage,
                    "at": dt.datetime.combine(day, dt.time(9)),
                }
                for k, (deal, stage, day) in enumerate(events)
            ],
        )
        conn.execute(
            insert(Quota),
            [
                {
                    "payee": "R1",
                    "measure": "bookings",
                    "period": PERIOD,
                    "amount": Decimal("3000"),
                    "currency": "USD",
                },
                {
                    "payee": "R2",
                    "measure": "bookings",
                    "period": PERIOD,
                    "amount": Decimal("1000"),
                    "currency": "EUR",
                },
                {
                    "payee": "M",
                    "measure": "bookings",
                    "period": PERIOD,
                    "amount": Decimal("4000"),
                    "currency": "USD",
                },
            ],
        )
        conn.execute(
            insert(PlanAssignment),
            [
                {"payee": r, "plan": "flat", "valid_from": d(2026, 1, 1), "valid_to": None}
                for r in ("R1", "R2")
            ],
        )
