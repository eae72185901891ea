"""What a dispute or an adjustment may not do: pay someone attain does not know, flood the queue,
repeat an open dispute, or reopen the talk on a settled one."""

from __future__ import annotations

from pathlib import Path

import pytest
from pay_helpers import ADMIN, FINANCE, run_and_publish, seed
from sqlalchemy import func, select

from attain.audit import entries
from attain.audit.actor import Actor
from attain.data.store import get_engine
from attain.pay import (
    PayError,
    add_adjustment,
    comment_dispute,
    disputes,
    ledger_lines,
    raise_dispute,
    resolve_dispute,
)
from attain.pay.schema import Dispute
from races import race

ANA = Actor("ana", "rep")


def _raise(url: str, deal: str) -> int:
    return raise_dispute(url, ANA, payee="ana", period="2027-01", subject="missing", deal=deal)


def _open(url: str) -> int:
    with get_engine(url).connect() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(Dispute)
                .where(Dispute.payee == "ana", Dispute.status.in_(("open", "investigating")))
            ).scalar_one()
        )


def test_an_adjustment_for_a_payee_nobody_knows_is_refused_naming_them(
    sqlite_url: str, plans_dir: Path
) -> None:
    """Guards pay to a typo: an adjustment for "anna" used to be written to the ledger."""
    seed(sqlite_url)
    run_and_publish(sqlite_url, plans_dir)
    with pytest.raises(PayError, match="no payee 'anna'"):
        add_adjustment(
            sqlite_url,
            FINANCE,
            payee="anna",
            period="2027-01",
            amount="50.00",
            reason_code="spiff",
            comment="typo",
        )
    assert [ln for ln in ledger_lines(sqlite_url) if ln.payee == "anna"] == []
    assert [e for e in entries(get_engine(sqlite_url)) if e.action == "adjustment.add"] == []


def test_a_second_open_dispute_about_one_line_or_deal_is_refused(
    sqlite_url: str, plans_dir: Path
) -> None:
    """Guards duplicates: the same line could be disputed again and again while still open."""
    seed(sqlite_url)
    run_and_publish(sqlite_url, plans_dir)
    line = next(ln.id for ln in ledger_lines(sqlite_url, period="2027-01", payee="ana"))
    first = raise_dispute(
        sqlite_url, ANA, payee="ana", period="2027-01", subject="too low", line=line
    )
    with pytest.raises(PayError, match=f"dispute {first} about ledger line {line} is still open"):
        raise_dispute(sqlite_url, ANA, payee="ana", period="2027-01", subject="again", line=line)
    deal = _raise(sqlite_url, "d9")
    with pytest.raises(PayError, match=f"dispute {deal} about deal d9 is still open"):
        _raise(sqlite_url, "d9")
    resolve_dispute(sqlite_url, FINANCE, first, "checked: correct", accept=False)
    raise_dispute(sqlite_url, ANA, payee="ana", period="2027-01", subject="new facts", line=line)


def test_a_settled_dispute_takes_no_more_comments(sqlite_url: str, plans_dir: Path) -> None:
    """Guards the settled record: a resolved dispute used to keep taking comments."""
    seed(sqlite_url)
    run_and_publish(sqlite_url, plans_dir)
    found = _raise(sqlite_url, "d9")
    comment_dispute(sqlite_url, ANA, found, "the order form is signed")
    resolve_dispute(sqlite_url, ADMIN, found, "closed in March", accept=False)
    with pytest.raises(PayError, match=f"dispute {found} is rejected: raise a new one"):
        comment_dispute(sqlite_url, ANA, found, "but why?")
    (shown,) = disputes(sqlite_url, payee="ana")
    assert [kind for _, _, kind, _ in shown.events] == ["raised", "comment", "rejected"]


def test_a_payee_has_at_most_the_cap_open_even_when_raises_race(
    store_url: str, plans_dir: Path
) -> None:
    """Guards the flood: a rep could raise unlimited disputes; at the cap, parallel raises (one
    deal each, and one deal raised four times) let exactly one through."""
    from attain.pay.disputes import OPEN_CAP

    seed(store_url)
    run_and_publish(store_url, plans_dir)
    ids = [_raise(store_url, f"d-{i}") for i in range(OPEN_CAP - 1)]
    for round_ in range(3):
        outcomes = race(*[lambda d=f"r{round_}-{i}": _raise(store_url, d) for i in range(3)])
        winners = [o for o in outcomes if not isinstance(o, Exception)]
        assert len(winners) == 1, outcomes
        for o in outcomes:
            if isinstance(o, Exception):
                assert isinstance(o, PayError), outcomes
                assert f"ana has {OPEN_CAP} disputes open (at most {OPEN_CAP})" in str(o)
        assert _open(store_url) == OPEN_CAP
        resolve_dispute(store_url, FINANCE, ids.pop(), "duplicate of another", accept=False)
    twins = race(*[lambda: _raise(store_url, "same") for _ in range(4)])
    assert sum(not isinstance(o, Exception) for o in twins) == 1, twins
    assert all("about deal same is still open" in str(o) for o in twins if isinstance(o, Exception))
    assert _open(store_url) == OPEN_CAP
