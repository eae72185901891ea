"""`attain score ...`: backtest the lead score on real outcomes, beside simple baselines."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

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


HtmlOption = Annotated[
    Path | None,
    typer.Option("--html", help="Also write the report as a self-contained HTML page here."),
]


def print_report_rows(title: str, rows: list[list[str]], overall: int) -> None:
    """A report's rows as one table, a rule under the `overall` score rows."""
    out = Table(*rows[0], title=title)
    for i, r in enumerate(rows[1:]):
        out.add_row(*r, end_section=i == overall - 1)
    console.print(out)


def write_html(path: Path | None, title: str, reports: list[Any], notes: list[str]) -> None:
    """Write the HTML report if asked; an unwritable path is one line and exit 2."""
    if path is None:
        return
    from attain.scores.report import report_html

    try:
        path.write_text(report_html(title, reports, notes), encoding="utf-8")
    except OSError as e:
        fail(f"cannot write {path}: {e.strerror or e}")
    console.print(f"report written to {path}", highlight=False)


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
    html: HtmlOption = None,
) -> None:
    """The lead score on UCI Bank Marketing calls: first 80% of rows to train, last 20% to test."""
    from attain.scores.bank_marketing import ECONOMY, backtest, default_file, load, table_rows
    from attain.scores.report import reliability_text_rows

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
    title = (
        f"Lead score backtest: bank marketing ({result.train_rows:,} calls to train, "
        f"{result.test_rows:,} to test)"
    )
    print_report_rows(title, table_rows(result), overall=3)
    print_report_rows("Lead score reliability", reliability_text_rows(result.score), overall=0)
    note = (
        f"duration left out (it leaks the outcome); calibration {result.calibration}; "
        f"economy: {', '.join(chosen) or 'none'}"
    )
    console.print(note, highlight=False)
    write_html(html, title, [result.score, result.base_rate], [note])


def register(app: typer.Typer) -> None:
    from attain.cli import score_win_commands  # noqa: F401  (adds the win-score backtests)

    app.add_typer(score_app)
