"""Payroll export (CSV and XLSX, formula-like text escaped), accruals, the ASC 340-40 schedule,
manual adjustments on the statement, and disputes from raised to resolved."""

from __future__ import annotations

import csv
import hashlib
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pay_helpers import ADMIN, FINANCE, MANAGER, approve_and_close, run_and_publish, seed
from sqlalchemy import update
from typer.testing import CliRunner

from attain.audit import entries
from attain.audit.actor import Actor
from attain.cli import app
from attain.data.schema import Deal, Person
from attain.data.store import get_engine, session
from attain.pay import (
    NotAllowed,
    PayError,
    add_adjustment,
    assign_dispute,
    comment_dispute,
    disputes,
    ledger_lines,
    raise_dispute,
    resolve_dispute,
)
from attain.pay.accruals import accruals, asc340_schedule
from attain.pay.exports import (
    escape_cell,
    payroll_csv,
    payroll_download,
    payroll_rows,
    write_payroll,
)
from attain.pay.statements import statement
from cli_users import as_user

D = Decimal
runner = CliRunner()


def test_payroll_is_one_line_per_payee_period_and_pay_code_with_formulas_escaped(
    sqlite_url: str, plans_dir: Path, tmp_path: Path
) -> None:
    seed(sqlite_url)
    with session(sqlite_url) as s:
        s.execute(update(Person).where(Person.id == "ben").values(name='=HYPERLINK("x")'))
    run_and_publish(sqlite_url, plans_dir)
    add_adjustment(
        sqlite_url,
        FINANCE,
        payee="ana",
        period="2027-01",
        amount="-25.50",
        reason_code="correction",
        comment="duplicate deal",
    )
    with pytest.raises(PayError, match="approved periods only"):
        payroll_rows(sqlite_url, "2027-01")
    approve_and_close(sqlite_url, "2027-01")
    rows = payroll_rows(sqlite_url, "2027-01")
    assert [(r.payee, r.pay_code, r.amount) for r in rows] == [
        ("ana", "ADJ_CORRECTION", D("-25.50")),
        ("ana", "COMMISSION", D("1500.00")),
        ("ben", "COMMISSION", D("800.00")),
    ]
    got = list(csv.reader(io.StringIO(payroll_csv(rows))))
    assert got[0] == ["payee", "name", "period", "pay_code", "currency", "amount"]
    assert got[3] == ["ben", '\'=HYPERLINK("x")', "2027-01", "COMMISSION", "USD", "800.00"]
    assert rows[0].currency == "USD"  # an adjustment outside a plan: the payee's plan's currency
    assert [escape_cell(x) for x in ("+1", "-a", "@b", "\tc", "ok")] == [
        "'+1",
        "'-a",
        "'@b",
        "'\tc",
        "ok",
    ]
    xlsx = tmp_path / "payroll.xlsx"
    write_payroll(rows, xlsx)
    sheet = load_workbook(xlsx).active
    assert sheet is not None
    assert sheet["B4"].value == '\'=HYPERLINK("x")' and sheet["B4"].data_type == "s"
    assert sheet["F2"].value == -25.5
    target = tmp_path / "p.csv"
    out = runner.invoke(
        app,
        ["export", "payroll", "2027-01", "--out", str(target), "--db", sqlite_url],
        env=as_user(sqlite_url, "fay", "finance"),
    )
    assert out.exit_code == 0 and "3 lines, total 2,274.50" in " ".join(out.output.split())
    logged = entries(get_engine(sqlite_url), "period", "2027-01")[0]
    assert logged.action == "payroll.export" and logged.after["lines"] == 3
    assert logged.after["sha256"] == hashlib.sha256(target.read_bytes()).hexdigest()
    _, text = payroll_download(sqlite_url, "2027-01", FINANCE)  # the web app's download
    assert text == target.read_text()
    again = entries(get_engine(sqlite_url), "period", "2027-01")[0]
    assert again.action == "payroll.export" and again.after["file"] == "payroll-2027-01.csv"
    assert again.after["sha256"] == logged.after["sha256"]


def test_accruals_cover_periods_not_closed_and_asc340_amortises_over_the_term(
    sqlite_url: str, plans_dir: Path, tmp_path: Path
) -> None:
    seed(sqlite_url)
    with session(sqlite_url) as s:
        s.execute(update(Deal).where(Deal.id == "d1").values(term_months=24))
        s.execute(update(Deal).where(Deal.id == "d2").values(term_months=12))
    run_and_publish(sqlite_url, plans_dir)
    approve_and_close(sqlite_url, "2027-01")
    assert [(a.period, a.payee, a.amount) for a in accruals(sqlite_url)] == [
        ("2027-02", "ana", D("200.00"))
    ]
    for command in ("accruals", "asc340"):
        out = runner.invoke(
            app, ["export", command, "--out", str(tmp_path / f"{command}.csv"), "--db", sqlite_url]
        )
        assert out.exit_code == 0, out.output
    assert (tmp_path / "accruals.csv").read_text().splitlines()[1] == "2027-02,open,ana,ae,200.00"
    assert (
        (tmp_path / "asc340.csv").read_text().splitlines()[1].startswith("2027-01,2300.00,150.01,")
    )
    schedule, costs = asc340_schedule(sqlite_url)
    by_deal = {c.deal: c for c in costs}
    # ana's January line (1,500) split over d1 (10,000) and d2 (5,000): 1,000 and 500
    assert by_deal["d1"].amount == D("1000.00") and by_deal["d1"].term_months == 24
    assert by_deal["d2"].amount == D("500.00") and by_deal["d4"].term_months == 12  # default term
    jan = next(m for m in schedule if m.month == "2027-01")
    # capitalised in January: 1,500 + 800; amortised: 1,000/24 + 500/12 + 800/12
    assert jan.capitalised == D("2300.00")
    assert jan.amortised == D("41.67") + D("41.67") + D("66.67")
    assert schedule[-1].balance == D("0.00")
    assert sum((m.amortised for m in schedule), D(0)) == sum((c.amount for c in costs), D(0))
    quick, _ = asc340_schedule(sqlite_url, expedient=True)
    assert next(m for m in quick if m.month == "2027-01").expensed == D(
        "1300.00"
    )  # d2 and d3 at once


def test_adjustments_show_on_the_statement_with_reason_and_comment(
    sqlite_url: str, plans_dir: Path
) -> None:
    seed(sqlite_url)
    run_and_publish(sqlite_url, plans_dir)
    with pytest.raises(NotAllowed):
        add_adjustment(
            sqlite_url,
            MANAGER,
            payee="ana",
            period="2027-01",
            amount="10",
            reason_code="spiff",
            comment="x",
        )
    with pytest.raises(PayError, match="reason code"):
        add_adjustment(
            sqlite_url,
            FINANCE,
            payee="ana",
            period="2027-01",
            amount="10",
            reason_code="gift",
            comment="x",
        )
    out = runner.invoke(
        app,
        [
            "adjust",
            "ana",
            "2027-01",
            "250",
            "--reason-code",
            "spiff",
            "--comment",
            "Q1 launch contest",
            "--db",
            sqlite_url,
        ],
        env=as_user(sqlite_url, "ada", "admin"),
    )
    assert out.exit_code == 0, out.output
    s = statement(sqlite_url, "ana", "2027-01", FINANCE)
    manual = s.of_kind("manual")[0]
    assert (
        manual.amount == D("250.00")
        and "spiff" in manual.how[0]
        and "Q1 launch contest" in manual.how[0]
    )
    assert s.total == D("1750.00") and s.adjustments == D("250.00")
    # a run does not replace adjustments
    run_and_publish(sqlite_url, plans_dir)
    assert statement(sqlite_url, "ana", "2027-01", FINANCE).total == D("1750.00")


def test_a_dispute_is_raised_owned_discussed_and_resolved_with_an_adjustment(
    sqlite_url: str, plans_dir: Path
) -> None:
    seed(sqlite_url)
    run_and_publish(sqlite_url, plans_dir)
    ana = Actor("ana", "rep")
    line = next(x for x in ledger_lines(sqlite_url, period="2027-01") if x.payee == "ana")
    with pytest.raises(NotAllowed):
        raise_dispute(sqlite_url, ana, payee="ben", period="2027-01", subject="x", line=line.id)
    first = raise_dispute(
        sqlite_url, ana, payee="ana", period="2027-01", subject="d2 was 6,000", line=line.id
    )
    missing = raise_dispute(
        sqlite_url, ana, payee="ana", period="2027-01", subject="Acme deal missing", deal="d77"
    )
    assign_dispute(sqlite_url, FINANCE, first, "fay")
    comment_dispute(sqlite_url, ana, first, "the signed order form says 6,000")
    adj = resolve_dispute(sqlite_url, FINANCE, first, "order form confirms 6,000", amount="100")
    resolve_dispute(sqlite_url, ADMIN, missing, "deal d77 closed in March", accept=False)
    found = {d.id: d for d in disputes(sqlite_url, payee="ana")}
    assert found[first].status == "resolved" and found[first].adjustment == adj
    assert [e[2] for e in found[first].events] == ["raised", "assigned", "comment", "resolved"]
    assert found[missing].status == "rejected"
    assert statement(sqlite_url, "ana", "2027-01", FINANCE).total == D("1600.00")
    logged = [e.action for e in entries(get_engine(sqlite_url), "dispute", str(first))]
    assert logged == ["dispute.resolve", "dispute.comment", "dispute.assign", "dispute.raise"]
    with pytest.raises(PayError, match="already resolved"):
        resolve_dispute(sqlite_url, FINANCE, first, "again")
    listed = runner.invoke(app, ["dispute", "list", "--payee", "ana", "--db", sqlite_url])
    assert "Acme deal missing" in listed.output and "rejected" in listed.output


def test_cli_walks_a_period_from_published_to_closed(sqlite_url: str, plans_dir: Path) -> None:
    seed(sqlite_url)
    ada = as_user(sqlite_url, "ada", "admin")
    fay = as_user(sqlite_url, "fay", "finance")
    pat = as_user(sqlite_url, "pat", "finance")
    mia = as_user(sqlite_url, "mia", "manager", "mia")
    steps = [
        (
            ada,
            [
                "comp",
                "run",
                "--plans",
                str(plans_dir),
                "--from",
                "2027-01-01",
                "--to",
                "2027-02-28",
            ],
        ),
        (ada, ["comp", "verify", "latest"]),  # a run never published is verified too
        (fay, ["comp", "publish", "latest"]),
        (pat, ["period", "prepare", "2027-01"]),
        (mia, ["comp", "approve", "2027-01"]),
        (fay, ["comp", "approve", "2027-01"]),
        (fay, ["period", "close", "2027-01"]),
        (ada, ["period", "reopen", "2027-01", "--reason", "late deal"]),
    ]
    for env, args in steps:
        out = runner.invoke(app, [*args, "--db", sqlite_url], env=env)
        assert out.exit_code == 0, (args, out.output)
    refused = runner.invoke(
        app, ["period", "reopen", "2027-01", "--reason", "x", "--db", sqlite_url], env=ada
    )
    assert refused.exit_code == 2 and "not closed" in refused.output
    shown = runner.invoke(app, ["period", "show", "2027-01", "--db", sqlite_url])
    assert "2,300.00" in shown.output and "open, version" in shown.output  # reopened: a new cycle
    log = runner.invoke(app, ["audit", "log", "--entity", "period", "--db", sqlite_url])
    assert "late deal" in log.output and "period.reopen" in log.output
    assert [x.amount for x in ledger_lines(sqlite_url, period="2027-01")] == [D("1500"), D("800")]
