"""Four eyes per team: a manager approves only the lines of payees below them in the period,
never their own; the period passes the manager level once every team is approved; finance
approves the whole period only after that; each approval keeps the lines and totals it covered.

vic runs the company (and is paid); mia manages ana and ben, max manages cal, both under vic.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from pay_helpers import FINANCE, PREPARER, deal, run_and_publish
from sqlalchemy import select
from typer.testing import CliRunner

from attain.audit.actor import Actor
from attain.cli import app
from attain.comp.runs import calculate_run
from attain.data.schema import Deal, Person, PlanAssignment
from attain.data.store import get_engine, session
from attain.pay import (
    NotAllowed,
    PayError,
    approve_period,
    period_state,
    prepare_period,
    publish_run,
    revoke_approval,
)
from attain.pay.approvals import approval_cover, approvals, manager_progress
from attain.pay.schema import ApprovalLine, LedgerLine
from races import race

MIA, MAX, VIC = Actor("mia", "manager"), Actor("max", "manager"), Actor("vic", "manager")
JAN = "2027-01"


def company(url: str) -> None:
    d = dt.date
    with session(url) as s:
        s.add_all(
            [
                Person(id="vic", name="Vic Lund"),
                Person(id="mia", name="Mia Holt", manager="vic"),
                Person(id="max", name="Max Ohm", manager="vic"),
                Person(id="ana", name="Ana Reyes", manager="mia"),
                Person(id="ben", name="Ben Ode", manager="mia"),
                Person(id="cal", name="Cal Dunn", manager="max"),
            ]
        )
        s.add_all(
            [
                PlanAssignment(payee=p, plan="ae", valid_from=d(2027, 1, 1))
                for p in ("ana", "ben", "cal", "vic")
            ]
        )
        s.add_all(
            [
                deal("d1", "ana", "10000", d(2027, 1, 10)),
                deal("d2", "ben", "8000", d(2027, 1, 15)),
                deal("d3", "cal", "4000", d(2027, 1, 20)),
                deal("d4", "vic", "20000", d(2027, 1, 25)),
            ]
        )


def lines_of(url: str) -> dict[int, tuple[str, Decimal]]:
    with get_engine(url).connect() as conn:
        return {
            r.id: (r.payee, Decimal(r.amount))
            for r in conn.execute(select(LedgerLine).where(LedgerLine.period == JAN))
        }


def test_a_manager_approves_their_team_only_and_finance_waits_for_every_team(
    sqlite_url: str, plans_dir: Path
) -> None:
    """On main mia's approval passed the manager level for the whole company (vic's and cal's
    pay included) and finance could approve and close it."""
    company(sqlite_url)
    run_and_publish(sqlite_url, plans_dir, dt.date(2027, 1, 31))
    prepare_period(sqlite_url, JAN, PREPARER)
    shown = approval_cover(sqlite_url, JAN, MIA)
    assert shown.payees == ("ana", "ben") and str(shown) == "2 payees, 2 lines, USD 1,800.00"
    approve_period(
        sqlite_url,
        JAN,
        MIA,
        expected_version=period_state(sqlite_url, JAN).version,
        expected_lines=shown.ids,
    )
    (step,) = approvals(sqlite_url, JAN)
    assert (step.level, step.approved_by, step.lines, step.payees) == ("manager", "mia", 2, 2)
    assert step.totals == {"USD": Decimal("1800.00")}
    with get_engine(sqlite_url).connect() as conn:
        covered = set(conn.execute(select(ApprovalLine.ledger_line)).scalars())
    assert covered == shown.ids
    assert {lines_of(sqlite_url)[i][0] for i in covered} == {"ana", "ben"}
    assert str(manager_progress(sqlite_url, JAN)) == (
        "manager approvals: 1 of 3 teams, 2 of 4 payees, USD 1,800.00 of USD 4,200.00"
    )
    shown_by_cli = CliRunner().invoke(app, ["period", "show", JAN, "--db", sqlite_url]).output
    assert "manager approvals: 1 of 3 teams, 2 of 4 payees" in shown_by_cli
    assert "approved at level manager by mia (2 payees, 2 lines, USD 1,800.00;" in shown_by_cli
    with pytest.raises(PayError, match="manager approves before finance"):
        approve_period(sqlite_url, JAN, FINANCE, "finance")
    with pytest.raises(PayError, match="nothing of it waits for mia"):
        approve_period(sqlite_url, JAN, MIA)
    assert period_state(sqlite_url, JAN).status == "prepared"


def test_nobody_approves_their_own_pay(sqlite_url: str, plans_dir: Path) -> None:
    """On main vic, the only payee a manager of nobody paid could see, approved his own pay."""
    company(sqlite_url)
    with session(sqlite_url) as s:
        for p in ("ana", "ben", "cal"):
            s.get(PlanAssignment, (p, "ae", dt.date(2027, 1, 1))).valid_from = dt.date(2028, 1, 1)  # type: ignore[union-attr]
    run_and_publish(sqlite_url, plans_dir, dt.date(2027, 1, 31))
    prepare_period(sqlite_url, JAN, PREPARER)
    assert {p for p, _ in lines_of(sqlite_url).values()} == {"vic"}
    with pytest.raises(PayError, match="nothing of it waits for vic"):
        approve_period(sqlite_url, JAN, VIC)
    with pytest.raises(PayError, match="nothing of it waits for vic"):
        approve_period(sqlite_url, JAN, Actor("vic", "admin"))
    assert approvals(sqlite_url, JAN) == []
    # nobody is above vic: finance approves his pay at the manager level, someone else finance's
    approve_period(sqlite_url, JAN, FINANCE)
    with pytest.raises(NotAllowed, match="another level"):
        approve_period(sqlite_url, JAN, FINANCE)
    approve_period(sqlite_url, JAN, Actor("fin", "finance"))
    assert [(a.level, a.approved_by) for a in approvals(sqlite_url, JAN)] == [
        ("manager", "fay"),
        ("finance", "fin"),
    ]
    assert period_state(sqlite_url, JAN).status == "approved"


def test_the_manager_level_passes_once_every_team_is_approved(
    sqlite_url: str, plans_dir: Path
) -> None:
    """On main one manager approval passed the level; now each team counts, and a manager's
    own pay waits for the manager above them."""
    company(sqlite_url)
    run_and_publish(sqlite_url, plans_dir, dt.date(2027, 1, 31))
    prepare_period(sqlite_url, JAN, PREPARER)
    approve_period(sqlite_url, JAN, MAX)
    assert str(manager_progress(sqlite_url, JAN)).startswith("manager approvals: 1 of 3 teams")
    approve_period(sqlite_url, JAN, VIC)  # covers ana and ben, not his own line
    progress = manager_progress(sqlite_url, JAN)
    assert (progress.teams_approved, progress.payees_approved) == (2, 3)
    with pytest.raises(PayError, match="manager approves before finance"):
        approve_period(sqlite_url, JAN, Actor("fin", "finance"), "finance")
    approve_period(sqlite_url, JAN, FINANCE)  # vic has nobody above: finance, at manager level
    assert manager_progress(sqlite_url, JAN).complete
    whole = approve_period(sqlite_url, JAN, Actor("fin", "finance"))
    assert whole.status == "approved"
    finance = [a for a in approvals(sqlite_url, JAN) if a.level == "finance"]
    assert finance[0].lines == 4 and finance[0].totals == {"USD": Decimal("4200.00")}


def test_two_managers_approving_overlapping_teams_cover_each_line_once(
    store_url: str, plans_dir: Path
) -> None:
    """Parallel approvals by mia and vic (whose team holds mia's): vic's succeeds, mia's covers
    what vic's did not (or nothing is left for it), and every line is approved exactly once."""
    company(store_url)
    run_and_publish(store_url, plans_dir, dt.date(2027, 1, 31))
    for round_ in range(3):
        if round_:
            revoke_approval(store_url, JAN, FINANCE, "again")
        prepare_period(store_url, JAN, PREPARER)
        outcomes = race(
            lambda: approve_period(store_url, JAN, MIA),
            lambda: approve_period(store_url, JAN, VIC),
        )
        mia, vic = outcomes
        assert not isinstance(vic, Exception), vic
        if isinstance(mia, Exception):  # vic was first: his approval covered mia's team too
            assert isinstance(mia, PayError) and "nothing of it waits" in str(mia), mia
        cycle = period_state(store_url, JAN).cycle
        with get_engine(store_url).connect() as conn:
            covered = list(
                conn.execute(
                    select(ApprovalLine.ledger_line).where(ApprovalLine.cycle == cycle)
                ).scalars()
            )
        lines = lines_of(store_url)
        assert len(covered) == len(set(covered)) == 3
        assert {lines[i][0] for i in covered} == {"ana", "ben", "cal"}
        steps = approvals(store_url, JAN)
        assert sum(s.totals["USD"] for s in steps) == Decimal("2200.00")


def test_an_approval_racing_a_recalculation_approves_only_numbers_it_saw(
    store_url: str, plans_dir: Path
) -> None:
    """mia approves what she saw while a recalculation changes ana's pay: either her approval
    is refused, or it holds the old lines and the recalculation sends the period back."""
    company(store_url)
    run_and_publish(store_url, plans_dir, dt.date(2027, 1, 31))
    for round_ in range(3):
        prepare_period(store_url, JAN, PREPARER)
        seen = approval_cover(store_url, JAN, MIA)
        version = period_state(store_url, JAN).version
        with session(store_url) as s:
            s.get(Deal, "d1").amount = Decimal(11000 + round_ * 1000)  # type: ignore[union-attr]
        rerun = calculate_run(plans_dir, dt.date(2027, 1, 1), dt.date(2027, 1, 31), url=store_url)
        approval, published = race(
            lambda v=version, ids=seen.ids: approve_period(  # type: ignore[misc]
                store_url, JAN, MIA, expected_version=v, expected_lines=ids
            ),
            lambda run=rerun.id: publish_run(store_url, run, FINANCE),  # type: ignore[misc]
        )
        assert not isinstance(published, Exception), published
        state = period_state(store_url, JAN)
        assert state.status == "open" and approvals(store_url, JAN) == []
        with get_engine(store_url).connect() as conn:
            kept = list(
                conn.execute(
                    select(ApprovalLine.ledger_line, ApprovalLine.amount).where(
                        ApprovalLine.cycle == state.cycle - 1
                    )
                )
            )
        if isinstance(approval, Exception):
            assert isinstance(approval, PayError), approval
            assert kept == []
        else:
            assert {i for i, _ in kept} == seen.ids
            assert sum(Decimal(a) for _, a in kept) == seen.totals["USD"]


def test_a_statement_names_only_the_approvals_of_its_payees_lines(
    sqlite_url: str, plans_dir: Path
) -> None:
    """Before, a rep's statement listed every approval of the period, so ana learnt that max
    approved cal's pay; her statement names only mia (her manager) and finance."""
    from attain.pay import statement

    company(sqlite_url)
    run_and_publish(sqlite_url, plans_dir, dt.date(2027, 1, 31))
    prepare_period(sqlite_url, JAN, PREPARER)
    for who in (MIA, MAX):
        approve_period(sqlite_url, JAN, who)
    assert {a.approved_by for a in approvals(sqlite_url, JAN)} == {"mia", "max"}
    assert [a.approved_by for a in approvals(sqlite_url, JAN, payee="ana")] == ["mia"]
    assert [a.approved_by for a in approvals(sqlite_url, JAN, payee="cal")] == ["max"]
    shown = statement(sqlite_url, "ana", JAN, FINANCE).approvals
    assert len(shown) == 1 and shown[0].startswith("manager: mia ")
