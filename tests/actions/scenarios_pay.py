"""Scenarios for the pay lifecycle's actions: periods, approvals, adjustments, disputes,
publishing a run, payroll."""

from __future__ import annotations

import datetime as dt

from actions_world import ADMIN, FINANCE, MANAGER, PREPARER, REP, Scenario, World

from attain.comp.runs import calculate_run
from attain.pay import (
    add_adjustment,
    approve_period,
    assign_dispute,
    close_period,
    comment_dispute,
    prepare_period,
    publish_run,
    raise_dispute,
    reopen_period,
    resolve_dispute,
    revoke_approval,
)
from attain.pay.exports import export_payroll

PERIOD = "2027-01"


def _approved(w: World) -> None:
    prepare_period(w.url, PERIOD, PREPARER)
    approve_period(w.url, PERIOD, MANAGER)
    approve_period(w.url, PERIOD, FINANCE)


def period_prepare(w: World) -> None:
    with w.expect(PREPARER, "period.prepare"):
        prepare_period(w.url, PERIOD, PREPARER)


def period_approve(w: World) -> None:
    prepare_period(w.url, PERIOD, PREPARER)
    with w.expect(MANAGER, "period.approve"):
        approve_period(w.url, PERIOD, MANAGER)


def period_revoke(w: World) -> None:
    prepare_period(w.url, PERIOD, PREPARER)
    with w.expect(FINANCE, "period.revoke"):
        revoke_approval(w.url, PERIOD, FINANCE, "a deal is missing")


def period_close(w: World) -> None:
    _approved(w)
    with w.expect(FINANCE, "period.close"):
        close_period(w.url, PERIOD, FINANCE)


def period_reopen(w: World) -> None:
    _approved(w)
    close_period(w.url, PERIOD, FINANCE)
    with w.expect(ADMIN, "period.reopen"):
        reopen_period(w.url, PERIOD, ADMIN, "a late credit memo")


def adjustment_add(w: World) -> None:
    with w.expect(FINANCE, "adjustment.add"):
        add_adjustment(
            w.url,
            FINANCE,
            payee="ana",
            period="2027-02",
            amount="150.00",
            reason_code="spiff",
            comment="Q1 spiff",
        )


def _dispute(w: World) -> int:
    return raise_dispute(w.url, REP, payee="ana", period=PERIOD, subject="d5", deal="d5")


def dispute_raise(w: World) -> None:
    with w.expect(REP, "dispute.raise"):
        _dispute(w)


def dispute_comment(w: World) -> None:
    found = _dispute(w)
    with w.expect(REP, "dispute.comment"):
        comment_dispute(w.url, REP, found, "the order form is signed")


def dispute_assign(w: World) -> None:
    found = _dispute(w)
    with w.expect(MANAGER, "dispute.assign"):
        assign_dispute(w.url, MANAGER, found, "fay")


def dispute_resolve(w: World) -> None:
    found = _dispute(w)
    with w.expect(FINANCE, "dispute.reject"):
        resolve_dispute(w.url, FINANCE, found, "the deal closed in March", accept=False)
    other = _dispute(w)
    with w.expect(FINANCE, "adjustment.add", "dispute.resolve"):
        resolve_dispute(
            w.url, FINANCE, other, "paid as a one-off", amount="200.00", period="2027-02"
        )


def ledger_publish(w: World) -> None:
    summary = calculate_run(w.plans, *_span(), url=w.url)
    with w.expect(FINANCE, "ledger.publish"):
        publish_run(w.url, summary.id, FINANCE)


def payroll_export(w: World) -> None:
    _approved(w)
    with w.expect(FINANCE, "payroll.export"):
        export_payroll(w.url, PERIOD, FINANCE, w.files / "payroll.csv")


def _span() -> tuple[dt.date, dt.date]:
    return dt.date(2027, 1, 1), dt.date(2027, 2, 28)


SCENARIOS: dict[str, Scenario] = {
    "period.prepare": period_prepare,
    "period.approve": period_approve,
    "period.revoke": period_revoke,
    "period.close": period_close,
    "period.reopen": period_reopen,
    "adjustment.add": adjustment_add,
    "dispute.raise": dispute_raise,
    "dispute.comment": dispute_comment,
    "dispute.assign": dispute_assign,
    "dispute.resolve": dispute_resolve,
    "ledger.publish": ledger_publish,
    "payroll.export": payroll_export,
}
