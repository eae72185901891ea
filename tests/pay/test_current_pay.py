"""What is paid now reads the same everywhere: after a deal changes, a rep's earnings, their
manager's team, the payouts by period, the period's lines and the CSV of them show the same
figure, and it is the new one. On the tiny company of tests/web/figures_company, whose figures
are known by hand (ana is past her yearly quota, so a further deal earns 9% of its amount)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from examples_budget import examples

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))

from figures_company import TODAY, build

from attain.actions.deals import upsert_deal
from attain.audit.actor import SYSTEM
from attain.data.store import get_engine
from attain.pay import current as pay
from attain.pay.current import lines as current_module

MARCH = "2027-03"
TEAM = ["ana", "ben", "eva"]


def _deal(engine: Engine, id: str, owner: str, amount: str, stage: str = "won") -> None:
    upsert_deal(
        engine,
        SYSTEM,
        {
            "id": id,
            "name": f"Deal {id}",
            "owner": owner,
            "account": "A1",
            "stage": stage,
            "amount": Decimal(amount),
            "currency": "USD",
            "close_date": dt.date(2027, 3, 20),
        },
    )


def _figures(engine: Engine, payee: str) -> dict[str, Decimal]:
    """The payee's March pay as each reader shows it."""
    e = pay.earnings(engine, payee, TODAY)
    member = next(m for m in pay.selection(engine, TEAM, TODAY).members if m.payee == payee)
    lines = pay.period_lines(engine, MARCH)
    rows = csv.DictReader(io.StringIO(pay.current_csv(engine, MARCH)))
    return {
        "dashboard": e.this_period_by.get("USD", Decimal(0)),
        "team": member.this_period.get("USD", Decimal(0)),
        "period lines": sum((ln.amount for ln in lines if ln.payee == payee), Decimal(0)),
        "csv": sum((Decimal(r["amount"]) for r in rows if r["payee"] == payee), Decimal(0)),
        "dashboard ytd": e.year_to_date_by.get("USD", Decimal(0)),
        "team ytd": member.year_to_date.get("USD", Decimal(0)),
    }


def _march_total(engine: Engine) -> Decimal:
    """Finance's March total for the AE plan."""
    return next(
        t.total for t in pay.payouts_by_period(engine) if (t.period, t.plan) == (MARCH, "ae")
    )


def _agree(figures: dict[str, Decimal]) -> tuple[Decimal, Decimal]:
    this = {figures[k] for k in ("dashboard", "team", "period lines", "csv")}
    ytd = {figures[k] for k in ("dashboard ytd", "team ytd")}
    assert len(this) == 1 and len(ytd) == 1, figures
    return this.pop(), ytd.pop()


@pytest.fixture
def engine(store_url: str, tmp_path: Path) -> Engine:
    build(store_url, tmp_path)
    return get_engine(store_url)


def test_every_reader_shows_the_live_change(engine: Engine) -> None:
    before = _agree(_figures(engine, "ana"))
    finance_before = _march_total(engine)
    assert before == (Decimal("4700.01"), Decimal("7700.01"))
    assert finance_before == Decimal("4700.01")  # ana alone closed deals in March

    _deal(engine, "D9", "ana", "50000")

    after = _agree(_figures(engine, "ana"))
    assert after == (Decimal("9200.01"), Decimal("12200.01"))  # + 9% of 50,000
    assert _march_total(engine) == Decimal("9200.01")
    team = pay.selection(engine, TEAM, TODAY)
    assert team.this_period[MARCH] == {"USD": Decimal("9200.01")}
    assert team.year_to_date == {"USD": Decimal("13700.01"), "EUR": Decimal("4000.00")}


def test_a_lost_deal_takes_its_pay_back_everywhere(engine: Engine) -> None:
    _deal(engine, "D9", "ana", "50000")
    assert _agree(_figures(engine, "ana"))[0] == Decimal("9200.01")
    _deal(engine, "D9", "ana", "50000", stage="lost")
    assert _agree(_figures(engine, "ana")) == (Decimal("4700.01"), Decimal("7700.01"))
    assert _march_total(engine) == Decimal("4700.01")


def test_a_change_for_another_rep_moves_only_their_figures(engine: Engine) -> None:
    _deal(engine, "D9", "ben", "10000")  # ben is below quota: 5% of 10,000
    assert _agree(_figures(engine, "ben")) == (Decimal("500.00"), Decimal("2000.00"))
    assert _agree(_figures(engine, "ana")) == (Decimal("4700.01"), Decimal("7700.01"))
    assert _march_total(engine) == Decimal("5200.01")


def test_large_lists_are_read_in_chunks_with_the_same_result(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _deal(engine, "D9", "ana", "50000")
    whole = pay.current_lines(engine, TEAM, traces="full")
    monkeypatch.setattr(current_module, "CHUNK", 1)
    assert pay.current_lines(engine, TEAM, traces="full") == whole
    assert {ln.payee for ln in whole} == set(TEAM)
    heads = pay.current_lines(engine, TEAM, period=MARCH)
    assert all("credit_ids" not in ln.trace for ln in heads)  # the light trace
    assert sum(ln.amount for ln in heads) == Decimal("9200.01")


def test_a_newer_published_run_replaces_the_live_lines(engine: Engine, tmp_path: Path) -> None:
    from figures_company import AE, EMEA, END, FINANCE, START, plan_folder

    from attain.comp.runs import calculate_run
    from attain.pay import publish_run

    _deal(engine, "D9", "ana", "50000")
    live = _agree(_figures(engine, "ana"))
    run = calculate_run(plan_folder(tmp_path / "again", AE, EMEA), START, END, url=str(engine.url))
    publish_run(engine, run.id, FINANCE)
    assert _agree(_figures(engine, "ana")) == live  # the run now holds what was live
    assert pay.current_lines(engine, ["ana"], period=MARCH)[0].trace  # from the new run


@pytest.mark.slow
@settings(
    max_examples=examples(3, 20),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    changes=st.lists(
        st.tuples(
            st.sampled_from(["ana", "ben"]),
            st.integers(min_value=0, max_value=3),
            st.integers(min_value=1, max_value=200_000),
            st.sampled_from(["won", "lost"]),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_readers_agree_after_any_changes(
    changes: list[tuple[str, int, int, str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Whatever deals change, each rep's dashboard, the team, the period's lines and finance's
    total agree (the team's March total is finance's)."""
    folder = tmp_path_factory.mktemp("company")
    url = f"sqlite:///{folder / 'attain.db'}"
    build(url, folder)
    engine = get_engine(url)
    for owner, n, amount, stage in changes:
        _deal(engine, f"H{n}", owner, str(amount), stage)
    for payee in ("ana", "ben"):
        _agree(_figures(engine, payee))
    team = pay.selection(engine, TEAM, TODAY)
    assert team.this_period[MARCH]["USD"] == _march_total(engine)
    engine.dispose()
