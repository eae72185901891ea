"""The win score on a small generated company: nothing after the fit day reaches it (the future
poisoned in the store, the scores unchanged), it beats the stage probabilities in a short
backtest, and `attain score backtest wins` prints the report or fails in one line."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from attain.cli import app
from attain.data.asof import deals_as_of
from attain.data.store import get_engine
from attain.data.synth import SynthSpec, generate, write_store
from attain.scores.win_backtest import backtest
from attain.scores.win_features import quarter_end
from attain.scores.wins import MODEL, WinScorer

FIT_DAY = dt.date(2025, 7, 1)
EVERY, LOOKBACK = 42, 365
"""Few snapshots, to keep the tests light (the defaults are every 14 days over two years)."""


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 reps, 2024-2025: about 1,700 deals with their history (read-only; copy to write)."""
    path = tmp_path_factory.mktemp("wins") / "company.db"
    spec = SynthSpec(seed=3, b2b_reps=12, years=2, start=dt.date(2024, 1, 1))
    write_store(generate(spec), get_engine(f"sqlite:///{path}"))
    return path


def _scores(url: str):  # type: ignore[no-untyped-def]
    engine = get_engine(url)
    scorer = WinScorer.fit(engine, FIT_DAY, every=EVERY, lookback=LOOKBACK)
    frame = deals_as_of(engine, FIT_DAY)
    open_deals = frame[frame["category"] == "open"]
    return scorer, scorer.score(open_deals, quarter_end(FIT_DAY), day=FIT_DAY)


def test_the_future_never_reaches_the_score(company: Path, tmp_path: Path) -> None:
    """After the fit day: every outcome flipped, every later snapshot's amount tripled and close
    date pushed out, later stage events reversed, new deals created. The fitted scores of the
    deals open on the fit day do not move."""
    clean = f"sqlite:///{company}"
    scorer, before = _scores(clean)
    assert scorer.basis == MODEL and len(before) > 50
    poisoned = tmp_path / "poisoned.db"
    with sqlite3.connect(company) as src, sqlite3.connect(poisoned) as dst:
        src.backup(dst)  # the store's pages and its write-ahead log, as one file
    cut = dt.datetime.combine(FIT_DAY + dt.timedelta(days=1), dt.time())
    engine = get_engine(f"sqlite:///{poisoned}")
    with engine.begin() as conn:
        flip = "CASE stage WHEN 'won' THEN 'lost' WHEN 'lost' THEN 'won' ELSE stage END"
        conn.execute(text(f"UPDATE deals SET stage = {flip} WHERE close_date > :d"), {"d": FIT_DAY})
        conn.execute(text("UPDATE deals SET amount = amount * 5"))
        conn.execute(
            text(
                f"UPDATE deal_history SET stage = {flip}, amount = amount * 3, "
                "close_date = date(close_date, '+100 days') WHERE at >= :c"
            ),
            {"c": cut},
        )
        conn.execute(
            text(
                "UPDATE deal_stage_events SET to_stage = CASE to_stage WHEN 'won' THEN 'lost' "
                "WHEN 'lost' THEN 'won' ELSE to_stage END WHERE at >= :c"
            ),
            {"c": cut},
        )
        conn.execute(
            text(
                "INSERT INTO deals (id, owner, account, product, type, amount, currency, stage, "
                "created, close_date) SELECT id || 'X', owner, account, product, type, amount, "
                "currency, 'won', :later, :later FROM deals LIMIT 40"
            ),
            {"later": FIT_DAY + dt.timedelta(days=3)},
        )
    _, after = _scores(f"sqlite:///{poisoned}")
    assert after["deal"].tolist() == before["deal"].tolist()
    assert np.array_equal(after["p_win"], before["p_win"])
    assert np.array_equal(after["p_close_in_period"], before["p_close_in_period"])
    assert after["reasons"].tolist() == before["reasons"].tolist()


def test_a_short_backtest_beats_the_stage_probabilities(company: Path) -> None:
    """Two fit days: the score ranks and calibrates better than the stage catalog on the same
    rows, and the reports carry the segments the issue asks for."""
    result = backtest(get_engine(f"sqlite:///{company}"), months=2, every=EVERY, lookback=LOOKBACK)
    win = result.reports["p_win"]
    assert win.baseline is not None and win.n == win.baseline.n > 100
    assert win.auc > win.baseline.auc and win.brier < win.baseline.brier
    assert {g.segment for g in win.segments} == {"region", "type", "team"}
    assert len(result.fit_days) == 2 and any("largest possible" in n for n in result.notes)


def test_the_cli_reports_or_fails_in_one_line(company: Path, tmp_path: Path) -> None:
    """Fitted three months into the history, too few deals are decided: the score says it used
    the stage probabilities, beside the same baseline."""
    url = f"sqlite:///{company}"
    ok = CliRunner().invoke(
        app,
        ["score", "backtest", "wins", "--store", url, "--months", "1", "--until", "2024-04-01"],
        env={"COLUMNS": "200"},
    )
    assert ok.exit_code == 0, ok.output
    assert "stage probability" in ok.output and "p_close_in_period" in ok.output
    assert "scorer basis: stage probabilities" in ok.output
    bad = CliRunner().invoke(app, ["score", "backtest", "wins", "--db", url, "--until", "June"])
    assert bad.exit_code == 2 and bad.output.strip().count("\n") == 0
    empty = CliRunner().invoke(
        app, ["score", "backtest", "wins", "--db", f"sqlite:///{tmp_path / 'empty.db'}"]
    )
    assert empty.exit_code == 2 and "no deals" in empty.output
    assert empty.output.strip().count("\n") == 0
