"""`attain score backtest crm-maven` and `attain score backtest wins`: win scores replayed on
history, beside a simple baseline measured on the same deals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from attain.cli._common import console, fail, open_store
from attain.cli.score_commands import (
    SHARED,
    HtmlOption,
    backtest_app,
    print_report_rows,
    write_html,
)

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        "--store",
        help="Store URL (default: ATTAIN_DATABASE_URL, else sqlite:///attain.db, the demo's).",
        callback=open_store,
    ),
]


@backtest_app.command("crm-maven")
def crm_maven_command(
    folder: Annotated[
        Path | None,
        typer.Option("--folder", help="The crm-maven export (default: the one in ../shared)."),
    ] = None,
    rolling: Annotated[
        bool,
        typer.Option(
            "--rolling/--no-rolling", help="Also refit at each month-start cutoff (slower)."
        ),
    ] = True,
    html: HtmlOption = None,
) -> None:
    """Win probability of the CRM export's won and lost deals from what was known at engagement,
    trained on deals closed before a cutoff and tested on those closed after."""
    from attain.scores import crm_maven as cm
    from attain.scores.report import reliability_text_rows, report_text_rows

    path = folder or cm.default_folder(SHARED)
    try:
        frame = cm.load(path)
        split = cm.fit_and_score(frame, cm.CUTOFF)
        splits = cm.rolling(frame) if rolling else []
    except (ValueError, OSError) as e:
        fail(str(e))
    reports = [cm.report(f"win score, test from {split.cutoff}", split.test)]
    title = (
        f"Win score backtest: crm-maven ({split.train_rows:,} deals closed before "
        f"{split.cutoff} to train, {len(split.test):,} after to test)"
    )
    print_report_rows(title, report_text_rows(reports[0]), overall=2)
    if splits:
        pooled = cm.pooled(splits)
        first, last = splits[0].cutoff, splits[-1].cutoff
        reports.append(
            cm.report(f"win score, rolling monthly {first:%Y-%m} to {last:%Y-%m}", pooled)
        )
        print_report_rows(
            f"Rolling cutoffs: each month scored by a model fitted on the months before "
            f"({len(pooled):,} deals)",
            report_text_rows(reports[1])[:3],
            overall=2,
        )
        months = [["close month", "deals", "win rate", "mean score", "AUC within month"]]
        for month, n, rate, mean, a in cm.monthly_auc(pooled):
            months.append([month, f"{n:,}", f"{rate:.1%}", f"{mean:.1%}", _shown(a)])
        print_report_rows("Rolling cutoffs by close month", months, overall=0)
    print_report_rows("Win score reliability", reliability_text_rows(reports[0]), overall=0)
    note = (
        "features known at engagement only (close_value and close_date leak the outcome); "
        f"calibration {split.calibration}; baseline: the agent's smoothed win rate"
    )
    console.print(note, highlight=False)
    write_html(html, title, reports, [note])


def _shown(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


@backtest_app.command("wins")
def wins_command(
    db: StoreOption = None,
    months: Annotated[
        int, typer.Option("--months", min=1, help="How many monthly fit days to replay.")
    ] = 24,
    until: Annotated[
        str | None,
        typer.Option("--until", help="The last fit day, YYYY-MM-DD (default: the history's end)."),
    ] = None,
    html: HtmlOption = None,
) -> None:
    """Win scores replayed on the store's own history: at month starts, fit on what was known,
    score the open deals, and compare with what happened, beside the stage probabilities."""
    from attain.data.store import get_engine
    from attain.scores.report import reliability_text_rows, report_text_rows
    from attain.scores.win_backtest import backtest

    last = None
    if until is not None:
        try:
            last = dt.date.fromisoformat(until)
        except ValueError:
            fail(f"--until {until!r} is not a YYYY-MM-DD date")
    try:
        result = backtest(get_engine(db), months=months, last=last)
    except ValueError as e:
        fail(str(e))
    for target, report in result.reports.items():
        title = (
            f"Win score backtest: {target} on {report.n:,} open deals at {len(result.fit_days)} "
            f"fit days ({result.fit_days[0]} to {result.fit_days[-1]})"
        )
        print_report_rows(title, report_text_rows(report), overall=2)
        print_report_rows(f"{target} reliability", reliability_text_rows(report), overall=0)
    console.print("; ".join(result.notes), highlight=False)
    write_html(html, "Win score backtest", list(result.reports.values()), result.notes)
