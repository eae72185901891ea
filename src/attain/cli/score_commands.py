"""`attain score ...`: backtest the lead score on real outcomes, beside simple baselines."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from attain.cli._common import console, fail

score_app = typer.Typer(
    name="score",
    help="Lead scores: backtests of their accuracy and calibration.",
    no_args_is_help=True,
)
backtest_app = typer.Typer(
    name="backtest",
    help="Replay history: score with what was known, compare.",
    no_args_is_help=True,
)
score_app.add_typer(backtest_app)

SHARED = Path(__file__).resolve().parents[3].parent / "shared"


@backtest_app.command("bank-marketing")
def bank_marketing_command(
    file: Annotated[
        Path | None,
        typer.Option("--file", help="bank-additional-full.csv (default: the one in ../shared)."),
    ] = None,
    trend: Annotated[
        str,
        typer.Option(
            "--trend", help="Economic indicators for the score, comma-separated, or none."
        ),
    ] = "none",
) -> None:
    """The lead score on UCI Bank Marketing calls: first 80% of rows to train, last 20% to test."""
    from attain.scores.bank_marketing import ECONOMY, backtest, default_file, load, table_rows

    path = file or default_file(SHARED)
    if not path.is_file():
        fail(f"no such file: {path.name} (pass --file PATH)")
    chosen = tuple(t.strip() for t in trend.split(",") if t.strip() and t.strip() != "none")
    unknown = [t for t in chosen if t not in ECONOMY]
    if unknown:
        fail(f"unknown indicator {unknown[0]!r}; choose from {', '.join(ECONOMY)}")
    try:
        frame = load(path)
        result = backtest(frame, trend=chosen)
    except (ValueError, OSError) as e:
        fail(str(e))
    rows = table_rows(result)
    out = Table(
        *rows[0],
        title=f"Lead score backtest: bank marketing ({result.train_rows:,} calls to train, "
        f"{result.test_rows:,} to test)",
    )
    for i, r in enumerate(rows[1:]):
        out.add_row(*r, end_section=i == len(result.overall) - 1)
    console.print(out)
    chart = Table("bin", "mean score", "observed rate", "calls", title="Lead score reliability")
    for i, b in enumerate(result.reliability, start=1):
        chart.add_row(str(i), f"{b.mean_score:.1%}", f"{b.observed_rate:.1%}", f"{b.count:,}")
    console.print(chart)
    console.print(
        f"duration left out (it leaks the outcome); calibration {result.calibration}; "
        f"economy: {', '.join(chosen) or 'none'}",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(score_app)
