"""`attain pay now` prints what the pages show: a payee's, a team's and a period's pay now, live
changes included, each amount with its currency and cents; bad input is one line and exit 2.
On the tiny company of tests/web/figures_company, as of its fixed day."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))

from figures_company import TODAY, build

from attain.actions.deals import upsert_deal
from attain.audit.actor import SYSTEM
from attain.cli import app
from attain.data.store import get_engine


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The company with ana's 50,000 March deal recalculated live (not in the published run)."""
    folder = tmp_path_factory.mktemp("pay-now")
    url = f"sqlite:///{folder / 'attain.db'}"
    build(url, folder)
    upsert_deal(
        get_engine(url),
        SYSTEM,
        {
            "id": "D9",
            "name": "Acme add-on",
            "owner": "ana",
            "account": "A1",
            "stage": "won",
            "amount": Decimal(50000),
            "currency": "USD",
            "close_date": dt.date(2027, 3, 20),
        },
    )
    return url


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["pay", "now", *args, "--as-of", TODAY.isoformat()])
    cells = result.output.replace("│", " ").replace("┃", " ")  # table rules out, cells kept
    return result.exit_code, " ".join(cells.split())


def test_a_payee_now_includes_the_live_change(store: str) -> None:
    code, out = _run("--payee", "ana", "--db", store)
    assert code == 0, out
    assert "this period 2027-03 USD 9,200.01" in out  # 4,700.01 in the published run
    assert "year to date 2027 USD 12,200.01" in out
    assert "recalculated" in out


def test_a_team_now_matches_each_payee(store: str) -> None:
    code, out = _run("--team", "mia", "--db", store)
    assert code == 0, out
    assert "ana Ana Reyes 2027-03 USD 9,200.01 USD 12,200.01 180.0%" in out
    assert "eva Eva Lind 2027-Q1 EUR 4,000.00 EUR 4,000.00" in out
    assert "3 people: this period 2027-03 USD 9,200.01; 2027-Q1 EUR 4,000.00" in out
    assert "year to date EUR 4,000.00, USD 13,700.01" in out  # never added across currencies


def test_a_period_now(store: str) -> None:
    code, out = _run("--period", "2027-03", "--db", store)
    assert code == 0, out
    assert "ana ae commission USD 9,200.01" in out
    assert "2027-03: 1 lines for 1 payees, total USD 9,200.01" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give exactly one of --payee, --team or --period"),
        (("--payee", "ana", "--team", "mia"), "give exactly one of --payee, --team or --period"),
        (("--period", "2027-13"), "not a period name: '2027-13'"),
        (("--payee", "zed"), "no person 'zed' in the hierarchy"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(store: str, args: tuple[str, ...], message: str) -> None:
    code, out = _run(*args, "--db", store)
    assert code == 2 and message in out and "Traceback" not in out
