"""The figures people see, on a company small enough to pay by hand (tests/web/figures_company):
the published run only, this period as its column names it, totals over the whole selection per
period and currency, a currency on every amount, readable traces, charts with axes, statements
that name their deals, and the one payroll export. On SQLite and PostgreSQL, as of fixed dates."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from collections.abc import Iterator
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from figures_company import AE, END, FINANCE, PASSWORD, START, TODAY, build, plan_folder
from sqlalchemy import update
from web_client import log_in

from attain.audit.actor import Actor
from attain.comp.runs import calculate_run
from attain.comp.runs.published import shown_run
from attain.data.schema import Deal
from attain.data.store import session
from attain.pay import add_adjustment, approve_period, close_period, prepare_period, publish_run
from attain.web.app import create_app


@pytest.fixture
def company(store_url: str, tmp_path: Path) -> tuple[str, dict[str, str]]:
    return store_url, build(store_url, tmp_path)


def as_of(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    """The pages and the API look at the company on `day` (the date they take from deps)."""
    import attain.web.api.payees
    import attain.web.deps
    import attain.web.ui.pay_pages

    for module in (attain.web.deps, attain.web.ui.pay_pages, attain.web.api.payees):
        monkeypatch.setattr(module, "today", lambda: day)
    monkeypatch.setenv("ATTAIN_TODAY", day.isoformat())  # the lifecycle's day too


@pytest.fixture
def clients(
    company: tuple[str, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, TestClient]]:
    as_of(monkeypatch, TODAY)
    url, _ = company
    out: dict[str, TestClient] = {}
    for role in ("admin", "finance", "manager", "rep"):
        c = TestClient(create_app(url, secure_cookies=False), follow_redirects=False)
        c.__enter__()
        log_in(c, role, PASSWORD)
        out[role] = c
    yield out
    for c in out.values():
        c.__exit__(None, None, None)


def _api(company: tuple[str, dict[str, str]], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {company[1][role]}"}


class _Text(HTMLParser):
    """The text inside the element with one id, however deeply its tags nest."""

    def __init__(self, element_id: str) -> None:
        super().__init__()
        self.element_id, self.depth, self.parts = element_id, 0, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += 1
        elif ("id", self.element_id) in attrs:
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def text_of(page: str, element_id: str) -> str:
    """The text inside the element with this id (tags dropped, spaces collapsed)."""
    assert f'id="{element_id}"' in page, f"no #{element_id} on the page"
    parser = _Text(element_id)
    parser.feed(page)
    return " ".join("".join(parser.parts).split())


def rows_of(page: str, table_id: str) -> list[str]:
    table = page.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", "<tr" + r)).split())
        for r in table.split("<tr")[2:]
    ]


def test_pages_show_the_published_run_not_a_later_test_run(
    company: tuple[str, dict[str, str]], clients: dict[str, TestClient], tmp_path: Path
) -> None:
    url, _ = company
    published = shown_run(pay_engine(url))
    assert published is not None
    # a one-plan test run from the CLI, never published: nobody's figures may move
    test_run = calculate_run(plan_folder(tmp_path / "one", AE), START, END, url=url)
    assert test_run.id != published.id
    eva = clients["finance"].get("/payees/eva").text
    assert text_of(eva, "this-period") == "EUR 4,000.00"
    assert f"from run {published.id}" in eva
    earned = clients["finance"].get("/api/v1/payees/eva/earnings", headers=_api(company, "finance"))
    assert earned.json()["run_id"] == published.id
    assert (earned.json()["this_period"], earned.json()["currency"]) == ("4000.00", "EUR")
    team = rows_of(clients["manager"].get("/team").text, "team")
    assert any(r.startswith("Eva Lind") and "EUR 4,000.00" in r for r in team), team
    finance = clients["finance"].get("/finance").text
    assert "emea" in text_of(finance, "payouts") and published.id in finance
    # an admin may open any run by id; a rep may not
    in_test = clients["admin"].get(f"/payees/eva?run={test_run.id}").text
    assert text_of(in_test, "chosen-run").startswith(f"Run {test_run.id}")
    assert text_of(in_test, "this-period") == "0.00"  # the test run has no plan for her
    assert clients["rep"].get(f"/payees/ana?run={test_run.id}").status_code == 403
    assert text_of(clients["admin"].get("/payees/eva").text, "this-period") == "EUR 4,000.00"
    publish_run(url, test_run.id, FINANCE)  # once published, it is what everyone sees
    assert shown_run(pay_engine(url)).id == test_run.id  # type: ignore[union-attr]


def pay_engine(url: str):  # type: ignore[no-untyped-def]
    from attain.data.store import get_engine

    return get_engine(url)


def test_payees_tiles_total_the_whole_selection_per_period_and_currency(
    clients: dict[str, TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    import attain.web.ui.pay_pages

    monkeypatch.setattr(attain.web.ui.pay_pages, "PAGE", 2)  # three people: two pages
    first = clients["finance"].get("/payees").text
    second = clients["finance"].get("/payees?page=2").text
    for page in (first, second):
        assert text_of(page, "people") == "3"
        # March's months and Q1's quarter apart, dollars and euros apart: never added together
        assert text_of(page, "earned-this-period") == (
            "2027-03: USD 4,700.01 2027-Q1: EUR 4,000.00"
        )
        assert text_of(page, "year-to-date") == "EUR 4,000.00 · USD 9,200.01"
    assert [r.split(" ")[0] for r in rows_of(first, "team")] == ["Ana", "Ben"]
    assert [r.split(" ")[0] for r in rows_of(second, "team")] == ["Eva"]


@pytest.mark.parametrize(
    ("day", "ben", "ana"),
    [  # on 10 April the run's last month, March, is this period; on 15 February, February
        (TODAY, "2027-03 USD 0.00 USD 1,500.00", "2027-03 USD 4,700.01 USD 7,700.01"),
        (
            dt.date(2027, 2, 15),
            "2027-02 USD 1,500.00 USD 1,500.00",
            "2027-02 USD 0.00 USD 3,000.00",
        ),
    ],
)
def test_this_period_is_the_period_its_column_names_or_zero(
    company: tuple[str, dict[str, str]],
    clients: dict[str, TestClient],
    monkeypatch: pytest.MonkeyPatch,
    day: dt.date,
    ben: str,
    ana: str,
) -> None:
    as_of(monkeypatch, day)
    page = clients["manager"].get("/team").text
    month = min(day, END).strftime("%Y-%m")
    assert f"This period ({month}, 2027-Q1)" in page
    rows = {r.split(" ")[0]: r for r in rows_of(page, "team")}
    assert ben in rows["Ben"]  # Ben closed nothing this month: zero, not February's pay
    assert ana in rows["Ana"]
    assert "2027-Q1 EUR 4,000.00" in rows["Eva"]
    team = clients["manager"].get("/api/v1/payees/mia/team", headers=_api(company, "manager"))
    got = {m["payee"]: (m["period"], m["this_period"], m["currency"]) for m in team.json()}
    assert got["ben"][0] == month and got["ben"][2] == "USD"
    assert got["eva"] == ("2027-Q1", "4000.00", "EUR")


def test_every_amount_on_a_reps_pages_carries_its_currency(
    company: tuple[str, dict[str, str]], clients: dict[str, TestClient]
) -> None:
    me = clients["rep"].get("/me").text
    assert text_of(me, "this-period") == "USD 4,700.01"
    assert text_of(me, "year-to-date") == "USD 7,700.01"
    amounts = [r for r in rows_of(me, "lines")]
    assert amounts and all(re.search(r"USD [\d,]+\.\d\d", r) for r in amounts)
    eva = clients["finance"].get("/payees/eva").text
    assert all("EUR 4,000.00" in r for r in rows_of(eva, "lines"))
    lines = clients["rep"].get("/api/v1/payees/ana/lines", headers=_api(company, "rep")).json()
    assert {(x["period"], x["amount"], x["currency"]) for x in lines["items"]} == {
        ("2027-01", "3000.00", "USD"),
        ("2027-03", "4700.01", "USD"),
    }
    live = clients["rep"].get("/api/v1/payees/ana/live", headers=_api(company, "rep")).json()
    assert (live["currency"], live["this_period_text"]) == ("USD", "USD\u00a04,700.01")


def test_every_money_field_of_the_api_has_a_currency_beside_it() -> None:
    from pydantic import BaseModel

    from attain.web.api import models

    money_serializer = models.Money.__metadata__[0]  # type: ignore[attr-defined]
    missing = []
    for name, model in vars(models).items():
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            continue
        for field, info in model.model_fields.items():
            money = any(m is money_serializer for m in info.metadata) or (
                "Money" in str(info.annotation) or money_serializer in _args(info.annotation)
            )
            if money and "currency" not in model.model_fields:
                missing.append(f"{name}.{field}")
    assert not missing, missing
    schema = create_app("sqlite://", secure_cookies=False).openapi()["components"]["schemas"]
    for shape in ("Line", "EarningsOut", "TeamMemberOut", "PeriodTotalOut", "StatementOut"):
        assert "currency" in schema[shape]["properties"], shape


def _args(annotation: object) -> list[object]:
    out: list[object] = []
    for a in getattr(annotation, "__args__", ()):
        out += list(getattr(a, "__metadata__", ())) + _args(a)
    return out


def test_traces_show_cents_currency_and_percentages_with_the_exact_value_at_hand(
    clients: dict[str, TestClient], company: tuple[str, dict[str, str]]
) -> None:
    me = clients["rep"].get("/me").text
    march = me.split('id="lines"', 1)[1].split("</tr>", 2)[1]
    shown = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", march)).split())
    assert "bookings YTD USD 130,000.12" in shown
    assert "quota USD 100,000.00; attainment 130.0%" in shown
    assert "tier 2 from 100.0% of quota (= USD 100,000.00) at rate 0.09" in shown
    assert "USD 30,000.12 x 0.09 = USD 2,700.01" in shown
    assert "130000.123456" not in shown.split("Exact values")[0]  # raw digits only on request
    assert 'title="exact: measure bookings (year to date) = 130000.123456; quota 100000;' in march
    assert "attainment 1.30000123456" in march
    assert "/api/v1/payees/ana/lines?period=2027-03" in march  # and the JSON trace


def test_the_cli_shows_the_same_readable_trace(company: tuple[str, dict[str, str]]) -> None:
    from typer.testing import CliRunner

    from attain.cli import app

    url, _ = company
    run = shown_run(pay_engine(url))
    assert run is not None
    out = CliRunner().invoke(
        app, ["comp", "show", run.id, "--payee", "ana", "--period", "2027-03", "--db", url]
    )
    assert out.exit_code == 0, out.output
    text = " ".join(out.output.split())
    assert "attainment 130.0%" in text and "USD 130,000.12" in text
    assert "130000.123456" not in text and "1.30000123456" not in text


def test_charts_have_value_axes_keep_every_month_and_are_not_drawn_empty(
    clients: dict[str, TestClient],
) -> None:
    me = clients["rep"].get("/me").text
    chart = me.split("<svg", 1)[1].split("</svg>", 1)[0]
    labels = re.findall(r'class="x-label"[^>]*>([^<]+)<', chart)
    assert labels == ["2027-01", "2027-02", "2027-03"]  # February kept in its place
    # no line in February: the year to date did not move, drawn grey at January's 60%
    assert "2027-02: no line this period; year to date unchanged at 60.0%" in chart
    from attain.web.charts import attainment_chart

    monthly = attainment_chart(  # a period window: a month without a line is zero
        [("2027-01", Decimal("0.5"), Decimal(1), True), ("2027-02", None, Decimal(1), False)]
    )
    assert "2027-02: no line this period (0.0%)" in monthly
    assert re.findall(r'class="y-label"[^>]*>([^<]+)<', chart)[:3] == ["0%", "25%", "50%"]
    finance = clients["finance"].get("/finance").text
    money_axis = re.findall(r'class="y-label"[^>]*>([^<]+)<', finance)
    assert money_axis and all(v.startswith("USD ") for v in money_axis)
    eva = clients["finance"].get("/payees/eva").text  # a rate plan: no attainment at all
    assert "<svg" not in eva.split("Attainment and pace", 1)[1].split("Lines this year", 1)[0]
    assert "No attainment to chart yet" in eva


def test_statements_name_deals_and_accounts_and_link_their_pdf(
    company: tuple[str, dict[str, str]], clients: dict[str, TestClient]
) -> None:
    url, _ = company
    provisional = clients["rep"].get("/payees/ana/statements/2027-03").text
    credits = rows_of(provisional, "credits")
    assert any("Acme expansion Acme Corp deals D2" in r and "USD 70,000.12" in r for r in credits)
    official = clients["finance"].get("/payees/ana/statements/2027-03").text
    assert "Acme expansion (Acme Corp), deals D2" in html.unescape(official)
    assert 'id="statement-pdf" href="/payees/ana/statements/2027-03/pdf"' in official
    pdf = clients["finance"].get("/payees/ana/statements/2027-03/pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Acme expansion (Acme Corp)" in " ".join(text.split())
    assert "USD 4,700.01" in text
    # the same rule as the page: a rep waits for approval, another rep's is not there
    assert clients["rep"].get("/payees/ana/statements/2027-03/pdf").status_code == 409
    assert clients["rep"].get("/payees/ben/statements/2027-02/pdf").status_code == 404
    prepare_period(url, "2027-03", Actor("pat", "finance"))
    approve_period(url, "2027-03", Actor("mia", "manager"))
    approve_period(url, "2027-03", FINANCE)
    assert clients["rep"].get("/payees/ana/statements/2027-03/pdf").status_code == 200


def test_the_finance_button_is_the_one_payroll_export(
    company: tuple[str, dict[str, str]], clients: dict[str, TestClient], tmp_path: Path
) -> None:
    url, _ = company
    page = clients["finance"].get("/finance").text
    assert 'id="export-none"' in page and 'id="export"' not in page  # nothing approved yet
    prepare_period(url, "2027-01", Actor("pat", "finance"))
    approve_period(url, "2027-01", Actor("mia", "manager"))
    approve_period(url, "2027-01", FINANCE)
    close_period(url, "2027-01", FINANCE)
    with session(url) as s:  # a late change to a closed month: a true-up in February
        s.execute(update(Deal).where(Deal.id == "D1").values(amount=Decimal("62000.50")))
    run = calculate_run(plan_folder(tmp_path / "again", AE), START, END, url=url)
    publish_run(url, run.id, FINANCE)
    add_adjustment(
        url,
        FINANCE,
        payee="ben",
        period="2027-02",
        amount="-25.5",
        reason_code="correction",
        comment="duplicate deal",
    )
    prepare_period(url, "2027-02", Actor("pat", "finance"))
    approve_period(url, "2027-02", Actor("mia", "manager"))
    approve_period(url, "2027-02", FINANCE)
    page = clients["finance"].get("/finance").text
    form = page.split('id="export-period"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r"<option>([^<]+)</option>", form) == ["2027-02", "2027-01"]
    action = re.search(
        r'<form method="get" action="([^"]+)">\s*<select name="period" id="export-period"', page
    )
    assert action and action.group(1) == "/api/v1/exports/payroll.csv"
    got = clients["finance"].get(action.group(1), params={"period": "2027-02"})
    assert got.status_code == 200
    rows = list(csv.DictReader(io.StringIO(got.text)))
    assert [(r["payee"], r["pay_code"], r["currency"], r["amount"]) for r in rows] == [
        ("ana", "TRUE_UP", "USD", "100.03"),
        ("ben", "ADJ_CORRECTION", "USD", "-25.50"),
        ("ben", "COMMISSION", "USD", "1500.00"),
    ]
    from attain.pay.exports import payroll_csv, payroll_rows

    assert got.text == payroll_csv(payroll_rows(url, "2027-02"))  # the CLI's rows, the same file
    refused = clients["finance"].get(action.group(1), params={"period": "2027-03"})
    assert refused.status_code == 409 and "approved periods only" in refused.text
