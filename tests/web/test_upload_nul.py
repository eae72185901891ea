"""NUL characters inside an upload (a cell of the file, a query field): PostgreSQL cannot store
one, so a cell holding one is a rejected row naming its row and column, and a field a 422, on
both stores, never a 500 (before, an import of such a cell failed with a 500 on PostgreSQL and
its dry run said all was well)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from served_app import Served

DEALS = b"id,name,owner,amount,currency,stage,close_date\nN1,Nul deal,E00001,100.00,USD,closed_won,2026-01-05\n"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def admin(request: pytest.FixtureRequest) -> Iterator[httpx.Client]:
    served: Served = request.getfixturevalue(
        "on_sqlite" if request.param == "sqlite" else "on_postgres"
    )
    headers = {"Authorization": f"Bearer {served.tokens['admin']}"}
    with httpx.Client(base_url=served.base_url, headers=headers, timeout=60) as client:
        yield client


@pytest.mark.parametrize(
    ("data", "column"),
    [(DEALS.replace(b"N1", b"N\x001"), "id"), (DEALS.replace(b"Nul deal", b"Nul\x00deal"), "name")],
    ids=["key cell", "text cell"],
)
@pytest.mark.parametrize("dry_run", [True, False], ids=["dry run", "import"])
def test_a_nul_in_a_cell_rejects_its_row(
    admin: httpx.Client, data: bytes, column: str, dry_run: bool
) -> None:
    r = admin.post(
        f"/api/v1/imports/deals?confirm={str(not dry_run).lower()}",
        files={"file": ("deals.csv", data, "text/csv")},
    )
    assert r.status_code == 200, (r.status_code, r.text[:300])
    report = r.json()
    assert (report["rejected"], report["inserted"]) == (1, 0), report
    assert "NUL character" in str(report["problems"]) and column in str(report["problems"])


def test_a_nul_in_a_field_is_422(admin: httpx.Client) -> None:
    r = admin.post(
        "/api/v1/imports/deals?mapping=m%00x", files={"file": ("deals.csv", DEALS, "text/csv")}
    )
    assert r.status_code == 422, (r.status_code, r.text[:300])
