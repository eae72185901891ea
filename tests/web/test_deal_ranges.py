"""A deal the engine cannot pay is refused before anything is kept: by the API, by the deal
action and by imports.

Guards: `POST /api/v1/deals` with an amount of 1e15 or a close date of 9999-12-31 committed the
deal and answered 500, after which every simulation and run over that period failed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from web_client import make_client
from web_company import Company

from attain.actions import deals as deal_actions
from attain.actions.imports import import_rows
from attain.audit.actor import Actor
from attain.data.ingest import InvalidRows
from attain.data.schema import Deal
from attain.data.store import get_engine

ADMIN = Actor("ada", "admin")
BAD = [
    ("amount", "1000000000000000", "amount"),
    ("amount", "1e15", "amount"),
    ("close_date", "9999-12-31", "close_date"),
    ("close_date", "1066-10-14", "close_date"),
]


def _stored(company: Company, deal: str) -> bool:
    with get_engine(company.url).connect() as conn:
        return conn.execute(select(Deal.id).where(Deal.id == deal)).first() is not None


def _body(company: Company, **changes: str) -> dict[str, str]:
    body = {
        "id": "D-RANGE-1",
        "owner": company.rep,
        "stage": "won",
        "amount": "1000.00",
        "currency": "USD",
        "close_date": dt.date.today().isoformat(),
    }
    return {**body, **changes}


def test_the_api_refuses_an_amount_or_day_out_of_range_and_keeps_nothing(
    company: Company,
) -> None:
    headers = {"Authorization": f"Bearer {company.tokens['admin']}"}
    with make_client(company) as c:
        for field, value, named in BAD:
            r = c.post("/api/v1/deals", json=_body(company, **{field: value}), headers=headers)
            assert r.status_code == 422, (value, r.status_code, r.text[:300])
            assert r.headers["content-type"].startswith("application/problem+json")
            assert named in r.text
            assert not _stored(company, "D-RANGE-1")
        top = "999999999999.99"  # the largest amount in cents the engine pays exactly
        r = c.post("/api/v1/deals", json=_body(company, amount=top), headers=headers)
        assert r.status_code == 201, r.text[:300]


@pytest.mark.parametrize(
    ("field", "value"),
    [("amount", Decimal("1e15")), ("close_date", dt.date(9999, 12, 31))],
)
def test_the_deal_action_refuses_out_of_range_values_before_writing(
    company: Company, field: str, value: object
) -> None:
    values: dict[str, object] = {
        **_body(company),
        "amount": Decimal("10"),
        "close_date": dt.date.today(),
        field: value,
    }
    with pytest.raises(deal_actions.DealRejected, match=field):
        deal_actions.upsert_deal(get_engine(company.url), ADMIN, values)
    assert not _stored(company, "D-RANGE-1")


def test_an_import_refuses_out_of_range_amounts_and_days(company: Company, tmp_path: Path) -> None:
    today = dt.date.today().isoformat()
    rows = [
        f"D-IMP-1,{company.rep},won,1000000000000000,USD,{today}",
        f"D-IMP-2,{company.rep},won,100,USD,9999-12-31",
    ]
    file = tmp_path / "deals.csv"
    file.write_text("id,owner,stage,amount,currency,close_date\n" + "\n".join(rows) + "\n")
    with pytest.raises(InvalidRows) as raised:
        import_rows(company.url, ADMIN, "deals", file)
    said = " ".join(str(p) for p in raised.value.problems)
    assert "too large" in said and "outside the days attain pays" in said
    assert not _stored(company, "D-IMP-1") and not _stored(company, "D-IMP-2")
