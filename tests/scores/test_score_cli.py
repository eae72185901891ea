"""`attain score backtest bank-marketing` on a small project-owned file shaped like the real one,
and its one-line errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from attain.cli import app


def _calls(path: Path, n: int = 400) -> Path:
    """Synthetic calls: the later the call (fewer employed), the likelier a deposit."""
    rng = np.random.default_rng(3)
    employed = np.linspace(5228.0, 4960.0, n)
    frame = pd.DataFrame(
        {
            "age": rng.integers(18, 90, n),
            "job": rng.choice(["admin.", "blue-collar", "technician", "retired", "student"], n),
            "marital": rng.choice(["married", "single"], n),
            "education": rng.choice(["basic.4y", "university.degree"], n),
            "default": rng.choice(["no", "unknown"], n),
            "housing": rng.choice(["no", "yes"], n),
            "loan": rng.choice(["no", "yes"], n),
            "duration": rng.integers(10, 900, n),
            "campaign": rng.integers(1, 8, n),
            "pdays": rng.choice([999, 3, 6], n, p=[0.8, 0.1, 0.1]),
            "previous": rng.integers(0, 3, n),
            "emp.var.rate": 1.1,
            "cons.price.idx": 93.9,
            "cons.conf.idx": -40.0,
            "euribor3m": 4.8,
            "nr.employed": employed,
        }
    )
    frame["y"] = (rng.random(n) < 0.05 + (5228.0 - employed) / 600).astype(int)
    out = path / "calls.csv"
    frame.to_csv(out, sep=";", index=False)
    return out


def test_the_backtest_prints_the_score_beside_its_baselines(tmp_path: Path) -> None:
    """The table has the lead score, both baselines and the segments."""
    result = CliRunner().invoke(
        app, ["score", "backtest", "bank-marketing", "--file", str(_calls(tmp_path))]
    )
    assert result.exit_code == 0, result.output
    for line in ("lead score", "logistic regression", "training base rate", "contacted before"):
        assert line in result.output
    assert "duration left out" in result.output


def test_the_backtest_writes_an_html_report(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    result = CliRunner().invoke(
        app,
        [
            "score",
            "backtest",
            "bank-marketing",
            "--file",
            str(_calls(tmp_path)),
            "--html",
            str(page),
        ],
    )
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert "<svg" in text and "logistic regression" in text and "<td>blue-collar</td>" in text


def test_a_missing_file_or_unknown_indicator_is_one_line_exit_2(tmp_path: Path) -> None:
    missing = CliRunner().invoke(
        app, ["score", "backtest", "bank-marketing", "--file", str(tmp_path / "none.csv")]
    )
    assert missing.exit_code == 2 and missing.output.strip().count("\n") == 0
    assert "no such file" in missing.output
    unknown = CliRunner().invoke(
        app,
        ["score", "backtest", "bank-marketing", "--file", str(_calls(tmp_path)), "--trend", "gdp"],
    )
    assert unknown.exit_code == 2 and "unknown indicator 'gdp'" in unknown.output


def test_the_leads_backtest_prints_the_score_beside_the_true_model(
    lead_store: str, tmp_path: Path
) -> None:
    page = tmp_path / "leads.html"
    result = CliRunner().invoke(
        app,
        ["score", "backtest", "leads", "--store", lead_store, "--html", str(page)],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    for words in ("true model", "region EMEA", "source referral", "Priority bands", "gap"):
        assert words in result.output
    text = page.read_text(encoding="utf-8")
    assert "<svg" in text and "AUC, true model" in text


def test_open_leads_are_scored_as_of_a_day_into_a_csv(lead_store: str, tmp_path: Path) -> None:
    out = tmp_path / "open.csv"
    result = CliRunner().invoke(
        app,
        ["score", "leads", "--db", lead_store, "--as-of", "2024-10-02", "--csv", str(out)],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "Open leads on 2024-10-02" in result.output
    rows = pd.read_csv(out)
    assert list(rows.columns[:3]) == ["id", "created", "age_days"]
    assert rows["band"].isin(list("ABCD")).all() and rows["probability"].between(0, 1).all()
    assert (pd.to_datetime(rows["created"]) <= "2024-10-02").all()
    assert rows["probability"].is_monotonic_decreasing


def test_a_bad_day_or_too_little_history_is_one_line_exit_2(lead_store: str) -> None:
    bad = CliRunner().invoke(app, ["score", "leads", "--db", lead_store, "--as-of", "soon"])
    assert bad.exit_code == 2 and "--as-of 'soon' is not a date" in bad.output
    early = CliRunner().invoke(
        app, ["score", "backtest", "leads", "--db", lead_store, "--cutoff", "2023-02-01"]
    )
    assert early.exit_code == 2 and "have a known outcome" in early.output
    assert early.output.strip().count("\n") == 0
