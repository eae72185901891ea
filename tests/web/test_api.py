"""The REST API: money as decimal strings, pages, problem+json, Idempotency-Key, exports, live."""

from __future__ import annotations

import csv
import io
import time
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from web_client import make_client
from web_company import Company


def _auth(company: Company, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {company.tokens[role]}"}


def test_earnings_are_decimal_strings(shared_company: Company) -> None:
    with make_client(shared_company) as c:
        body = c.get(
            f"/api/v1/payees/{shared_company.rep}/earnings", headers=_auth(shared_company, "rep")
        ).json()
    assert isinstance(body["this_period"], str) and isinstance(body["year_to_date"], str)
    assert Decimal(body["year_to_date"]) >= Decimal(body["this_period"]) >= 0
    assert body["attainment"] and isinstance(body["attainment"][0]["attainment"], str)


def test_lists_are_paginated(shared_company: Company) -> None:
    with make_client(shared_company) as c:
        first = c.get("/api/v1/payees?limit=3", headers=_auth(shared_company, "admin")).json()
        second = c.get(
            "/api/v1/payees?limit=3&offset=3", headers=_auth(shared_company, "admin")
        ).json()
    assert len(first["items"]) == 3 and first["total"] > 3
    assert not {p["id"] for p in first["items"]} & {p["id"] for p in second["items"]}


def test_search_and_lists_never_show_another_reps_pay(shared_company: Company) -> None:
    with make_client(shared_company) as c:
        mine = c.get("/api/v1/payees", headers=_auth(shared_company, "rep")).json()
        search = c.get(
            f"/api/v1/payees?q={shared_company.other_rep}", headers=_auth(shared_company, "rep")
        ).json()
    assert [p["id"] for p in mine["items"]] == [shared_company.rep]
    assert search["items"] == [] and search["total"] == 0


def test_errors_are_problem_json(shared_company: Company) -> None:
    with make_client(shared_company) as c:
        r = c.get(
            f"/api/v1/payees/{shared_company.other_rep}/earnings",
            headers=_auth(shared_company, "rep"),
        )
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["status"] == 404 and r.json()["title"] == "Not found"
        r = c.get("/api/v1/payees?limit=0", headers=_auth(shared_company, "rep"))
        assert r.status_code == 422 and r.json()["errors"]
        r = c.get("/api/v1/users", headers=_auth(shared_company, "rep"))
        assert r.status_code == 403 and r.headers["content-type"].startswith(
            "application/problem+json"
        )


def test_openapi_describes_every_api_route(shared_company: Company) -> None:
    with make_client(shared_company) as c:
        schema = c.get("/openapi.json").json()
    assert "/api/v1/payees/{payee}/earnings" in schema["paths"]
    assert not any(p.startswith("/payees") for p in schema["paths"])  # pages are not the API


def test_idempotency_key_creates_once(company: Company) -> None:
    body = {"username": "idem", "password": "x1-long-password-1", "role": "finance"}
    headers = {**_auth(company, "admin"), "Idempotency-Key": "k-1"}
    with make_client(company) as c:
        first = c.post("/api/v1/users", json=body, headers=headers)
        again = c.post("/api/v1/users", json=body, headers=headers)
        users = c.get("/api/v1/users", headers=_auth(company, "admin")).json()
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again.headers["idempotent-replayed"] == "true"
    assert [u["username"] for u in users["items"]].count("idem") == 1


def test_exported_csv_escapes_formula_cells(company: Company) -> None:
    from sqlalchemy import update

    from attain.data.schema import Person
    from attain.data.store import get_engine
    from attain.pay import Actor, approve_period, prepare_period

    with get_engine(company.url).begin() as conn:
        conn.execute(
            update(Person).where(Person.id == company.rep).values(name="=cmd()|' /C calc'!A0")
        )
    with make_client(company) as c:
        lines = c.get(
            f"/api/v1/payees/{company.rep}/lines", headers=_auth(company, "finance")
        ).json()
        period = max(ln["period"] for ln in lines["items"])
        prepare_period(company.url, period, Actor("pat", "finance"))
        approve_period(company.url, period, Actor("ada", "admin"))  # every team
        approve_period(company.url, period, Actor("fay", "finance"))
        r = c.get(f"/api/v1/exports/payroll.csv?period={period}", headers=_auth(company, "finance"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    from attain.audit import entries

    newest = entries(get_engine(company.url), limit=1)[0]
    assert newest.action == "payroll.export"
    assert r.headers["audit-checkpoint"] == f"entry={newest.seq} hash={newest.hash}"
    rows = list(csv.DictReader(io.StringIO(r.text)))
    mine = [row for row in rows if row["payee"] == company.rep]
    assert mine and all(row["name"] == "'=cmd()|' /C calc'!A0" for row in mine)
    assert all(
        Decimal(row["amount"]) == Decimal(row["amount"]) for row in rows
    )  # numbers stay numbers


def _deal(company: Company, amount: str, client: TestClient) -> dict[str, object]:
    import datetime as dt

    r = client.post(
        "/api/v1/deals",
        json={
            "id": "D-LIVE-1",
            "owner": company.rep,
            "stage": "won",
            "amount": amount,
            "currency": "USD",
            "close_date": dt.date.today().isoformat(),
        },
        headers=_auth(company, "admin"),
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_a_new_deal_updates_the_reps_figure_and_their_managers(company: Company) -> None:
    with make_client(company) as c:
        before = c.get(f"/api/v1/payees/{company.rep}/live", headers=_auth(company, "rep")).json()
        began = time.perf_counter()
        done = _deal(company, "250000", c)
        took = time.perf_counter() - began
        after = c.get(f"/api/v1/payees/{company.rep}/live", headers=_auth(company, "rep")).json()
    assert company.rep in done["recalculated_payees"]  # type: ignore[operator]
    assert company.manager in done["recalculated_payees"]  # type: ignore[operator]
    assert len(done["recalculated_payees"]) < 10  # type: ignore[arg-type]  # not everyone
    assert Decimal(after["year_to_date"]) > Decimal(before["year_to_date"])
    assert after["updated_at"] is not None
    assert took < 10


def test_whatif_names_the_tier_reached(shared_company: Company) -> None:
    with make_client(shared_company) as c:
        r = c.post(
            f"/api/v1/payees/{shared_company.rep}/whatif",
            json={"amount": "10000000"},
            headers=_auth(shared_company, "rep"),
        )
    assert r.status_code == 200
    est = [e for e in r.json()["estimates"] if e["tier_then"] is not None]
    assert est and est[0]["tier_then"] >= (est[0]["tier_now"] or 0)
    assert Decimal(est[0]["extra"]) > 0
    assert {e["currency"] for e in r.json()["estimates"]} <= {"USD", "EUR", "GBP"}


def test_a_published_statement_over_the_api(company: Company) -> None:
    from attain.comp.runs import run_lines
    from attain.data.store import get_engine

    # the company's run was published when it was built
    period = max(
        ln.period for ln in run_lines(get_engine(company.url), company.run_id, payee=company.rep)
    )
    with make_client(company) as c:
        r = c.get(
            f"/api/v1/payees/{company.rep}/statements/{period}", headers=_auth(company, "finance")
        )
        assert r.status_code == 200
        body = r.json()
        assert body["status"] == "open" and Decimal(body["total"]) > 0 and body["lines"]
        # a rep sees their statement once the period is approved, not before
        r = c.get(
            f"/api/v1/payees/{company.rep}/statements/{period}", headers=_auth(company, "rep")
        )
        assert r.status_code == 409


def test_a_later_change_keeps_an_earlier_ones_effect(company: Company) -> None:
    """Two deals changed one after the other, in different periods: both stay counted."""
    import datetime as dt

    from attain.data.store import get_engine
    from attain.pay.current import earnings

    def ytd_measure() -> Decimal:
        """The year-to-date measure of the newest line (a live line reaches today's period)."""
        e = earnings(get_engine(company.url), company.rep)
        yearly = [ln for ln in e.lines if ln.trace.get("window") == "year"]
        newest = max(ln.period for ln in yearly)
        return max(Decimal(ln.trace["measure_value"]) for ln in yearly if ln.period == newest)

    today = dt.date.today()
    if today.month == 1:
        pytest.skip("needs two months of this year")
    before = ytd_measure()
    with make_client(company) as c:
        for deal, day in (("D-EARLY", dt.date(today.year, 1, 15)), ("D-LATE", today)):
            r = c.post(
                "/api/v1/deals",
                json={
                    "id": deal,
                    "owner": company.rep,
                    "stage": "won",
                    "amount": "100000",
                    "currency": "USD",
                    "close_date": day.isoformat(),
                },
                headers=_auth(company, "admin"),
            )
            assert r.status_code == 201, r.text
    assert ytd_measure() == before + Decimal(200000)
