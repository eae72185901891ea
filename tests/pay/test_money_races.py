"""Money actions raced on separate connections (threads), on SQLite and PostgreSQL: whatever the
timing, a dispute is paid once, a run is published once, a hold is released once and a period
is closed once; the losers are told why."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from pay_helpers import (
    ADMIN,
    FINANCE,
    MANAGER,
    PREPARER,
    approve_and_close,
    run_and_publish,
    seed,
)
from sqlalchemy import update

from attain.audit import entries
from attain.audit.actor import Actor
from attain.comp.runs import calculate_run
from attain.data.schema import Deal
from attain.data.store import get_engine, session
from attain.pay import (
    PayError,
    approve_period,
    close_period,
    disputes,
    ledger_lines,
    prepare_period,
    publish_run,
    raise_dispute,
    reopen_period,
    resolve_dispute,
)
from races import race

ANA = Actor("ana", "rep")
ROUNDS = 3


def _actions(url: str, entity: str, entity_id: str) -> list[str]:
    return [e.action for e in entries(get_engine(url), entity=entity, entity_id=entity_id)]


def _refused(outcomes: list[object], words: str) -> list[object]:
    """The outcomes that are not refusals saying `words`; every other outcome must be one."""
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    losers = [o for o in outcomes if isinstance(o, Exception)]
    assert all(isinstance(o, PayError) and words in str(o) for o in losers), outcomes
    return winners


def test_parallel_resolves_of_one_dispute_pay_its_adjustment_once(
    store_url: str, plans_dir: Path
) -> None:
    """Guards the double payment: four resolves of one 100.00 dispute at once used to write four
    adjustment lines (the status was read outside the transaction that paid)."""
    seed(store_url)
    run_and_publish(store_url, plans_dir)
    for round_ in range(ROUNDS):
        found = raise_dispute(
            store_url, ANA, payee="ana", period="2027-01", subject="missing", deal=f"x{round_}"
        )
        outcomes = race(
            *[
                lambda d=found: resolve_dispute(store_url, FINANCE, d, "confirmed", amount="100.00")
                for _ in range(4)
            ]
        )
        winners = _refused(outcomes, f"dispute {found} is already resolved")
        assert len(winners) == 1, outcomes
        paid = [
            ln
            for ln in ledger_lines(store_url, period="2027-01", payee="ana")
            if ln.kind == "manual" and ln.comment.startswith(f"dispute {found}:")
        ]
        assert [(ln.id, ln.amount) for ln in paid] == [(winners[0], Decimal("100.00"))]
        (shown,) = [d for d in disputes(store_url, payee="ana") if d.id == found]
        assert shown.status == "resolved" and shown.adjustment == winners[0]
        assert [kind for _, _, kind, _ in shown.events].count("resolved") == 1
        assert _actions(store_url, "dispute", str(found)).count("dispute.resolve") == 1
        assert _actions(store_url, "adjustment", str(winners[0])) == ["adjustment.add"]
    every_adjustment = [e for e in entries(get_engine(store_url)) if e.action == "adjustment.add"]
    assert len(every_adjustment) == ROUNDS


def test_publishing_one_run_twice_at_once_has_one_winner(store_url: str, plans_dir: Path) -> None:
    """Guards a double publish (a double click): both publishes used to go through, each with its
    ledger.publish entry, or one failed on the snapshot's key with a store error."""
    seed(store_url)
    for round_ in range(ROUNDS):
        with session(store_url) as s:
            s.execute(update(Deal).where(Deal.id == "d1").values(amount=10000 + 1000 * round_))
        run = calculate_run(plans_dir, dt.date(2027, 1, 1), dt.date(2027, 2, 28), url=store_url)
        outcomes = race(
            lambda r=run.id: publish_run(store_url, r, FINANCE),
            lambda r=run.id: publish_run(store_url, r, PREPARER),
        )
        assert len(_refused(outcomes, f"run {run.id} is already published")) == 1, outcomes
        assert _actions(store_url, "run", run.id) == ["ledger.publish"]
        jan = [ln for ln in ledger_lines(store_url, period="2027-01", payee="ana")]
        assert [(ln.kind, ln.amount) for ln in jan] == [
            ("calculated", Decimal(15000 + 1000 * round_) / 10)
        ]


HOLD_PLAN = """
id: ae
currency: USD
period: month
credits:
  - {id: owner, from: deals, where: stage == "closed_won", to: owner, value: amount,
     date: close_date, hold: {until: paid_date}}
measures:
  bookings: {sum: value}
components:
  - {id: commission, measure: bookings, rate: 0.10}
"""


def test_a_hold_is_released_once_when_its_publish_is_raced(store_url: str, tmp_path: Path) -> None:
    """Guards a release paid twice or a publish failing half-way: the run that releases held
    pay, published twice at once, releases it once and has one winner."""
    plans = tmp_path / "hold"
    plans.mkdir()
    (plans / "ae.yaml").write_text(HOLD_PLAN)
    seed(store_url)
    for round_, paid in enumerate([dt.date(2027, 2, 3), dt.date(2027, 2, 17), None][:ROUNDS]):
        with session(store_url) as s:
            s.execute(update(Deal).where(Deal.id == "d2").values(paid_date=paid))
        run = calculate_run(plans, dt.date(2027, 1, 1), dt.date(2027, 2, 28), url=store_url)
        outcomes = race(*[lambda r=run.id: publish_run(store_url, r, FINANCE) for _ in range(3)])
        assert len(_refused(outcomes, f"run {run.id} is already published")) == 1, outcomes
        lines = ledger_lines(store_url, payee="ana")
        held: dict[str, Decimal] = {}
        for ln in lines:
            if ln.kind == "held":
                held[ln.period] = held.get(ln.period, Decimal(0)) + ln.amount
        released = [(ln.period, ln.amount) for ln in lines if ln.kind == "release"]
        # no deal of ana's is paid but d2 (5,000, January): all her pay is held until it is
        assert held == {"2027-01": Decimal("-1500.00"), "2027-02": Decimal("-200.00")}
        assert released == ([("2027-02", Decimal("500.00"))] if paid else []), round_


def test_closing_one_period_twice_at_once_has_one_winner(store_url: str, plans_dir: Path) -> None:
    """Regression guard: two finance users closing one approved period at once close it once."""
    seed(store_url)
    run_and_publish(store_url, plans_dir)
    approve_and_close(store_url, "2027-01")
    for round_ in range(ROUNDS):
        reopen_period(store_url, "2027-01", ADMIN, f"round {round_}")
        prepare_period(store_url, "2027-01", PREPARER)
        approve_period(store_url, "2027-01", MANAGER)
        approve_period(store_url, "2027-01", FINANCE)
        outcomes = race(
            lambda: close_period(store_url, "2027-01", FINANCE),
            lambda: close_period(store_url, "2027-01", Actor("fin", "finance")),
        )
        assert len(_refused(outcomes, "period 2027-01 is already closed")) == 1, outcomes
    closes = _actions(store_url, "period", "2027-01").count("period.close")
    assert closes == ROUNDS + 1
