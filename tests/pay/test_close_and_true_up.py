"""The must-show scenario: run, approve, close January; change a January deal; rerun;
January's lines are unchanged and February carries the true-up that makes the total right.
Writes against a closed period fail through every path: store, CLI, import, recalculation.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from pay_helpers import ADMIN, FINANCE, approve_and_close, payable, run_and_publish, seed
from sqlalchemy import exc, text, update
from typer.testing import CliRunner

from attain.cli import app
from attain.comp.runs import calculate_run
from attain.data.ingest import import_file
from attain.data.schema import Deal
from attain.data.store import get_engine, session
from attain.pay import (
    PayError,
    PeriodClosed,
    add_adjustment,
    ledger_lines,
    publish_run,
    reopen_period,
)
from attain.pay.statements import statement
from cli_users import as_user

D = Decimal


def test_a_late_change_to_a_closed_month_pays_as_a_true_up_next_month(
    store_url: str, plans_dir: Path
) -> None:
    seed(store_url)
    run_and_publish(store_url, plans_dir)
    january = ledger_lines(store_url, period="2027-01")
    assert payable(store_url, "2027-01") == {
        ("ana", "calculated"): D("1500"),
        ("ben", "calculated"): D("800"),
    }
    approve_and_close(store_url, "2027-01")

    with session(store_url) as s:  # a corrected amount on a January deal, and a late January deal
        s.execute(update(Deal).where(Deal.id == "d1").values(amount=D("12000")))
        s.add(
            Deal(
                id="d9",
                owner="ben",
                stage="closed_won",
                amount=D("1000.05"),
                currency="USD",
                close_date=dt.date(2027, 1, 30),
            )
        )
    run_and_publish(store_url, plans_dir)

    assert [(x.id, x.amount, x.kind) for x in ledger_lines(store_url, period="2027-01")] == [
        (x.id, x.amount, x.kind) for x in january
    ]
    feb = {(x.payee, x.kind): x for x in ledger_lines(store_url, period="2027-02")}
    assert feb[("ana", "true_up")].amount == D("200.00")
    assert feb[("ben", "true_up")].amount == D("100.01")
    ana_jan = next(x for x in january if x.payee == "ana")
    assert feb[("ana", "true_up")].corrects_period == "2027-01"
    assert feb[("ana", "true_up")].corrects_line == ana_jan.id
    # January paid plus February's true-up is what January should have paid (12,000 + 5,000) x 10%
    assert ana_jan.amount + feb[("ana", "true_up")].amount == D("1700.00")

    # publishing again changes nothing: the true-up is replaced, not doubled
    run_and_publish(store_url, plans_dir)
    assert payable(store_url, "2027-02")[("ana", "true_up")] == D("200.00")

    s = statement(store_url, "ana", "2027-02", FINANCE)
    assert s.total == D("400.00") and s.adjustments == D("200.00")
    story = s.of_kind("true_up")[0].how[0]
    assert story == (
        f"2027-01 already paid USD 1,500.00 (line {ana_jan.id}); recalculated with later data"
        " it pays USD 1,700.00: the difference is paid here"
    )


def test_the_store_refuses_writes_to_a_closed_period(store_url: str, plans_dir: Path) -> None:
    seed(store_url)
    run_and_publish(store_url, plans_dir)
    approve_and_close(store_url, "2027-01")
    engine = get_engine(store_url)
    line = ledger_lines(store_url, period="2027-01")[0].id
    for sql in (
        f"UPDATE pay_ledger SET amount = '1' WHERE id = {line}",
        f"DELETE FROM pay_ledger WHERE id = {line}",
        "INSERT INTO pay_ledger (period, payee, plan, component, kind, amount, for_period, "
        "created_by, created_at) VALUES ('2027-01', 'ana', 'ae', 'x', 'manual', '5', '2027-01', "
        "'eve', '2027-02-01 00:00:00')",
        "UPDATE pay_ledger SET period = '2027-01' WHERE period = '2027-02'",
    ):
        with pytest.raises(exc.DBAPIError, match="period is closed"), engine.begin() as conn:
            conn.execute(text(sql))
    for sql in (  # nor can the period itself be quietly reopened or forgotten
        "UPDATE pay_periods SET status = 'open' WHERE period = '2027-01'",
        "UPDATE pay_periods SET period = '2027-13' WHERE period = '2027-01'",
        "DELETE FROM pay_periods WHERE period = '2027-01'",
    ):
        with pytest.raises(exc.DBAPIError, match="only attain period reopen"), engine.begin() as c:
            c.execute(text(sql))
    with pytest.raises(PeriodClosed, match="closed"):
        add_adjustment(
            store_url,
            FINANCE,
            payee="ana",
            period="2027-01",
            amount="10",
            reason_code="correction",
            comment="late",
        )
    # the CLI says so in one line, exit code 2
    result = CliRunner().invoke(
        app,
        [
            "adjust",
            "ana",
            "2027-01",
            "10",
            "--reason-code",
            "correction",
            "--comment",
            "late",
            "--db",
            store_url,
        ],
        env=as_user(store_url, "fay", "finance"),
    )
    assert result.exit_code == 2 and "closed" in result.output
    # reopening: admin only, with a reason; then the period may change again
    with pytest.raises(PayError):
        reopen_period(store_url, "2027-01", FINANCE, "because")
    with pytest.raises(PayError, match="reason"):
        reopen_period(store_url, "2027-01", ADMIN, " ")
    reopen_period(store_url, "2027-01", ADMIN, "payroll rejected the file")
    add_adjustment(
        store_url,
        FINANCE,
        payee="ana",
        period="2027-01",
        amount="10",
        reason_code="correction",
        comment="late",
    )


def test_an_import_after_close_only_ever_shows_as_an_adjustment(
    store_url: str, plans_dir: Path, tmp_path: Path
) -> None:
    seed(store_url)
    run_and_publish(store_url, plans_dir)
    approve_and_close(store_url, "2027-01")
    before = [(x.id, x.amount) for x in ledger_lines(store_url, period="2027-01")]
    csv = tmp_path / "deals.csv"
    csv.write_text(
        "id,owner,stage,amount,currency,close_date\n"
        "d2,ana,closed_won,4000,USD,2027-01-20\n"  # January deal corrected down
        "d5,ben,closed_won,3000,USD,2027-01-31\n"  # a January deal nobody had entered
    )
    report = import_file("deals", csv, db=store_url)  # the import itself succeeds
    assert report.inserted == 1 and report.updated == 1
    run_and_publish(store_url, plans_dir)
    assert [(x.id, x.amount) for x in ledger_lines(store_url, period="2027-01")] == before
    feb = payable(store_url, "2027-02")
    assert feb[("ana", "true_up")] == D("-100.00") and feb[("ben", "true_up")] == D("300.00")


def test_an_older_run_is_not_published_over_a_newer_one(sqlite_url: str, plans_dir: Path) -> None:
    seed(sqlite_url)
    old = calculate_run(plans_dir, dt.date(2027, 1, 1), dt.date(2027, 2, 28), url=sqlite_url)
    run_and_publish(sqlite_url, plans_dir)
    with pytest.raises(PayError, match="newer"):
        publish_run(sqlite_url, old.id, FINANCE)


def test_reopening_a_month_whose_true_up_was_paid_later_pays_nothing_twice(
    sqlite_url: str, plans_dir: Path
) -> None:
    seed(sqlite_url)
    run_and_publish(sqlite_url, plans_dir)
    approve_and_close(sqlite_url, "2027-01")
    with session(sqlite_url) as s:
        s.execute(update(Deal).where(Deal.id == "d1").values(amount=D("12000")))
    run_and_publish(sqlite_url, plans_dir)
    approve_and_close(sqlite_url, "2027-02")  # February paid January's 200 true-up
    reopen_period(sqlite_url, "2027-01", ADMIN, "restate January")
    with session(sqlite_url) as s:
        s.execute(update(Deal).where(Deal.id == "d1").values(amount=D("13000")))
    run_and_publish(sqlite_url, plans_dir)
    jan = payable(sqlite_url, "2027-01")
    assert jan[("ana", "calculated")] == D("1800.00")
    assert jan[("ana", "true_up")] == D("-200.00")  # already paid in February
    ana = sum(x.amount for x in ledger_lines(sqlite_url, payee="ana"))
    assert ana == D("2000.00")  # (13,000 + 5,000 + 2,000) x 10%, once
