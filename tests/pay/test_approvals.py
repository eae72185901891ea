"""Approvals: prepared, then approved level by level by someone else; reps see approved pay only.
On PostgreSQL, two approvals (or an approval and a recalculation) of one period race from
separate connections: exactly one wins and nothing is paid twice.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pay_helpers import ADMIN, FINANCE, MANAGER, PREPARER, payable, run_and_publish, seed
from sqlalchemy import func, select

from attain.audit import entries
from attain.audit.actor import Actor
from attain.comp.runs import calculate_run
from attain.data.schema import Deal
from attain.data.store import get_engine, session
from attain.pay import (
    NotAllowed,
    PayError,
    approvals,
    approve_period,
    close_period,
    period_state,
    prepare_period,
    publish_run,
    revoke_approval,
)
from attain.pay.schema import Approval
from attain.pay.statements import statement
from races import race


def test_the_approver_is_never_the_preparer_and_levels_go_in_order(
    sqlite_url: str, plans_dir: Path
) -> None:
    seed(sqlite_url)
    run_and_publish(sqlite_url, plans_dir)
    with pytest.raises(PayError, match="prepared"):
        approve_period(sqlite_url, "2027-01", MANAGER)  # nothing prepared yet
    prepare_period(sqlite_url, "2027-01", PREPARER)
    with pytest.raises(NotAllowed):
        approve_period(sqlite_url, "2027-01", Actor("pat", "manager"))  # pat prepared it
    with pytest.raises(PayError, match="manager approves before finance"):
        approve_period(sqlite_url, "2027-01", FINANCE, "finance")
    with pytest.raises(NotAllowed):
        approve_period(sqlite_url, "2027-01", Actor("ann", "rep"))
    with pytest.raises(PayError, match="approve its payouts"):
        close_period(sqlite_url, "2027-01", FINANCE)
    approve_period(sqlite_url, "2027-01", MANAGER)
    assert period_state(sqlite_url, "2027-01").status == "prepared"
    with pytest.raises(NotAllowed):
        approve_period(sqlite_url, "2027-01", Actor("mia", "admin"))  # one person, one level
    # a rep cannot see the statement until every level approved
    with pytest.raises(NotAllowed, match="not approved"):
        statement(sqlite_url, "ana", "2027-01", Actor("ana", "rep"))
    approve_period(sqlite_url, "2027-01", FINANCE)
    assert period_state(sqlite_url, "2027-01").status == "approved"
    assert [a.level for a in approvals(sqlite_url, "2027-01")] == ["manager", "finance"]
    assert statement(sqlite_url, "ana", "2027-01", Actor("ana", "rep")).total == Decimal("1500.00")
    with pytest.raises(NotAllowed):
        statement(sqlite_url, "ben", "2027-01", Actor("ana", "rep"))
    assert statement(sqlite_url, "ben", "2027-01", MANAGER).total == Decimal("800.00")
    with pytest.raises(NotAllowed):
        close_period(sqlite_url, "2027-01", MANAGER)  # finance closes
    close_period(sqlite_url, "2027-01", FINANCE)
    actions = [e.action for e in entries(get_engine(sqlite_url), "period", "2027-01")]
    assert actions == ["period.close", "period.approve", "period.approve", "period.prepare"]


def test_a_recalculation_sends_a_prepared_period_back_and_leaves_an_approved_one(
    sqlite_url: str, plans_dir: Path
) -> None:
    seed(sqlite_url)
    run_and_publish(sqlite_url, plans_dir)
    prepare_period(sqlite_url, "2027-01", PREPARER)
    prepare_period(sqlite_url, "2027-02", PREPARER)
    approve_period(sqlite_url, "2027-02", MANAGER)
    approve_period(sqlite_url, "2027-02", FINANCE)
    with session(sqlite_url) as s:
        s.get(Deal, "d2").amount = Decimal("6000")  # type: ignore[union-attr]
        s.get(Deal, "d4").amount = Decimal("3000")  # type: ignore[union-attr]
    run_and_publish(sqlite_url, plans_dir)
    assert period_state(sqlite_url, "2027-01").status == "open"  # its numbers changed
    assert payable(sqlite_url, "2027-01")[("ana", "calculated")] == Decimal("1600.00")
    # February was approved: its line stays, the difference waits in March
    assert payable(sqlite_url, "2027-02") == {("ana", "calculated"): Decimal("200.00")}
    assert payable(sqlite_url, "2027-03") == {("ana", "true_up"): Decimal("100.00")}
    revoke_approval(sqlite_url, "2027-02", FINANCE, "fold March's true-up back in")
    run_and_publish(sqlite_url, plans_dir)
    assert payable(sqlite_url, "2027-02") == {("ana", "calculated"): Decimal("300.00")}
    assert payable(sqlite_url, "2027-03") == {}


@pytest.mark.postgres
def test_two_approvals_of_one_period_have_exactly_one_winner(
    postgres_url: str, plans_dir: Path
) -> None:
    seed(postgres_url)
    run_and_publish(postgres_url, plans_dir)
    for round_ in range(3):
        period = f"2027-0{round_ + 1}" if round_ < 2 else "2027-01"
        if round_ == 2:
            revoke_approval(postgres_url, period, FINANCE, "again")
        prepare_period(postgres_url, period, PREPARER)
        outcomes = race(
            lambda p=period: approve_period(postgres_url, p, Actor("mia", "manager"), "manager"),
            lambda p=period: approve_period(postgres_url, p, Actor("max", "manager"), "manager"),
        )
        assert sum(isinstance(o, Exception) for o in outcomes) == 1, outcomes
        assert all(isinstance(o, PayError) for o in outcomes if isinstance(o, Exception)), outcomes
    with get_engine(postgres_url).connect() as conn:
        per_level = conn.execute(
            select(Approval.period, Approval.cycle, Approval.level, func.count()).group_by(
                Approval.period, Approval.cycle, Approval.level
            )
        ).all()
    assert all(n == 1 for *_, n in per_level) and len(per_level) == 3


@pytest.mark.postgres
def test_an_approval_racing_a_recalculation_has_one_winner_and_pays_once(
    postgres_url: str, plans_dir: Path
) -> None:
    from datetime import date

    seed(postgres_url)
    run_and_publish(postgres_url, plans_dir)
    prepare_period(postgres_url, "2027-01", PREPARER)
    approve_period(postgres_url, "2027-01", MANAGER)
    seen = period_state(postgres_url, "2027-01").version
    with session(postgres_url) as s:
        s.get(Deal, "d1").amount = Decimal("11000")  # type: ignore[union-attr]
    rerun = calculate_run(plans_dir, date(2027, 1, 1), date(2027, 2, 28), url=postgres_url)
    outcomes = race(
        lambda: approve_period(postgres_url, "2027-01", FINANCE, expected_version=seen),
        lambda: publish_run(postgres_url, rerun.id, FINANCE),
    )
    approval, published = outcomes
    assert not isinstance(published, Exception), published
    jan = payable(postgres_url, "2027-01")
    feb = payable(postgres_url, "2027-02")
    if isinstance(approval, Exception):  # the recalculation won: January back to open, new numbers
        assert isinstance(approval, PayError)
        assert period_state(postgres_url, "2027-01").status == "open"
        assert jan[("ana", "calculated")] == Decimal("1600.00") and ("ana", "true_up") not in feb
    else:  # the approval won: January keeps what was approved, February carries the difference
        assert period_state(postgres_url, "2027-01").status == "approved"
        assert jan[("ana", "calculated")] == Decimal("1500.00")
        assert feb[("ana", "true_up")] == Decimal("100.00")
    ana_total = sum(
        v
        for (p, _), v in {**jan, **{(k[0], "f" + k[1]): v for k, v in feb.items()}}.items()
        if p == "ana"
    )
    assert ana_total == Decimal("1800.00")  # (11,000 + 5,000 + 2,000) x 10%, paid once


def test_a_true_up_landing_in_a_prepared_period_sends_it_back(
    sqlite_url: str, plans_dir: Path
) -> None:
    from datetime import date

    from pay_helpers import approve_and_close

    seed(sqlite_url)
    run_and_publish(sqlite_url, plans_dir)
    approve_and_close(sqlite_url, "2027-01")
    prepare_period(sqlite_url, "2027-02", PREPARER)
    with session(sqlite_url) as s:
        s.get(Deal, "d3").amount = Decimal("9000")  # type: ignore[union-attr]
    january_only = calculate_run(plans_dir, date(2027, 1, 1), date(2027, 1, 31), url=sqlite_url)
    publish_run(sqlite_url, january_only.id, FINANCE)
    assert payable(sqlite_url, "2027-02")[("ben", "true_up")] == Decimal("100.00")
    assert period_state(sqlite_url, "2027-02").status == "open"


def test_public_surface() -> None:
    import attain.audit
    import attain.pay

    for module in (attain.pay, attain.audit):
        assert sorted(module.__all__) == sorted(
            name for name in vars(module) if not name.startswith("_") and name in module.__all__
        )
        for name in module.__all__:
            assert getattr(module, name) is not None


def test_a_manager_sees_the_statements_of_their_part_of_the_hierarchy(
    sqlite_url: str, plans_dir: Path
) -> None:
    from attain.data.schema import OPEN_START, Person

    seed(sqlite_url)
    with session(sqlite_url) as s:
        s.get(Person, ("mia", OPEN_START)).manager = "vic"  # type: ignore[union-attr]
        s.add_all([Person(id="vic", name="Vic Lund"), Person(id="tom", name="Tom Berg")])
    run_and_publish(sqlite_url, plans_dir)
    assert statement(sqlite_url, "ana", "2027-01", Actor("vic", "manager")).total == Decimal(
        "1500.00"
    )
    with pytest.raises(NotAllowed):
        statement(sqlite_url, "ana", "2027-01", Actor("tom", "manager"))


def test_an_approval_of_numbers_that_changed_since_is_refused(
    sqlite_url: str, plans_dir: Path
) -> None:
    from attain.pay import add_adjustment

    seed(sqlite_url)
    run_and_publish(sqlite_url, plans_dir)
    prepare_period(sqlite_url, "2027-01", PREPARER)
    seen = period_state(sqlite_url, "2027-01").version
    add_adjustment(
        sqlite_url,
        ADMIN,
        payee="ana",
        period="2027-01",
        amount="50",
        reason_code="correction",
        comment="a late spiff",
    )
    prepare_period(sqlite_url, "2027-01", PREPARER)
    with pytest.raises(PayError, match="changed since you looked"):
        approve_period(sqlite_url, "2027-01", MANAGER, expected_version=seen)
    approve_period(sqlite_url, "2027-01", MANAGER, expected_version=seen + 2)
