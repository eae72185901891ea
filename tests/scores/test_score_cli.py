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
