"""`attain score ...`: score open leads, and backtest the lead score on real outcomes, beside
simple baselines (or the true model of a generated company)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from attain.cli._common import console, fail, open_store

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


StoreOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        "--store",
        help="Store URL (default: ATTAIN_DATABASE_URL, else sqlite:///attain.db).",
        callback=open_store,
    ),
]
WindowOption = Annotated[
    int, typer.Option("--window", min=1, help="Days after creation a conversion counts within.")
]


def _day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value!r} is not a date (YYYY-MM-DD)")


TERMINAL_VALUES = 12


def _few_per_segment(report: Any, most: int) -> tuple[list[list[str]], dict[str, int]]:
    """The report's rows with at most `most` values per segment (the largest), and how many of
    each segment were left out."""
    from attain.scores.report import report_text_rows

    rows = report_text_rows(report)
    overall = 2 + (report.baseline is not None)
    kept, seen, hidden = rows[:overall], dict[str, int](), dict[str, int]()
    for g, row in zip(report.segments, rows[overall:], strict=True):
        seen[g.segment] = seen.get(g.segment, 0) + 1
        if seen[g.segment] <= most:
            kept.append(row)
        else:
            hidden[g.segment] = hidden.get(g.segment, 0) + 1
    return kept, hidden


@backtest_app.command("leads")
def leads_backtest_command(
    db: StoreOption = None,
    cutoff: Annotated[
        str | None,
        typer.Option(
            "--cutoff",
            help="Train on what was known this day, YYYY-MM-DD (default: a year and the "
            "window before the last day of data).",
        ),
    ] = None,
    window: WindowOption = 90,
    html: HtmlOption = None,
) -> None:
    """The lead score on the store's own leads: trained at a cutoff, judged on later leads, beside
    the true model (on a generated company) or the training conversion rate."""
    from attain.data.store import get_engine
    from attain.scores.lead_backtest import backtest_leads
    from attain.scores.report import reliability_text_rows

    day = _day(cutoff, "--cutoff")
    try:
        result = backtest_leads(get_engine(db), day, window)
    except ValueError as e:
        fail(str(e))
    report = result.report
    title = (
        f"Lead score backtest: trained on {result.train_rows:,} leads known on {result.cutoff}, "
        f"scored {report.n:,} leads created after it (converted within {window} days, "
        f"data to {result.last_day})"
    )
    rows, hidden = _few_per_segment(report, TERMINAL_VALUES)
    print_report_rows(title, rows, overall=2)
    if hidden:
        console.print(
            f"terminal shows the {TERMINAL_VALUES} largest values per segment; "
            + ", ".join(f"{n} more {seg}s" for seg, n in hidden.items())
            + " in the --html report",
            highlight=False,
        )
    bands = Table("band", "leads", "converted", "rate", "mean score", title="Priority bands")
    for b in result.bands:
        bands.add_row(
            b.band,
            f"{b.leads:,}",
            f"{b.converted:,}",
            f"{b.converted / b.leads:.1%}",
            f"{b.mean_score:.1%}",
        )
    console.print(bands)
    print_report_rows("Lead score reliability", reliability_text_rows(report), overall=0)
    notes = [f"calibration {result.calibration}; features: source, industry, size, region"]
    if report.baseline is not None:
        gap = report.baseline.auc - report.auc
        notes.append(
            f"AUC {report.auc:.3f} against {report.baseline.auc:.3f} for the "
            f"{report.baseline.name} on the same leads (gap {gap:+.3f})"
        )
    for note in notes:
        console.print(note, highlight=False)
    write_html(html, title, [report], notes)


@score_app.command("leads")
def leads_command(
    db: StoreOption = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Score as of this day, YYYY-MM-DD (default: the last day of data)."
        ),
    ] = None,
    window: WindowOption = 90,
    limit: Annotated[int, typer.Option("--limit", min=0, help="Rows to print (0: all).")] = 30,
    csv: Annotated[
        Path | None, typer.Option("--csv", help="Write every open lead's score here.")
    ] = None,
) -> None:
    """Score every lead open on a day (read-only): probability of converting within the window,
    priority band and the top reasons, trained only on what was known that day."""
    from attain.data.store import get_engine
    from attain.scores.lead_backtest import last_day_of
    from attain.scores.lead_history import read_leads
    from attain.scores.open_leads import score_open_leads

    leads = read_leads(get_engine(db))
    if leads.empty:
        fail("the store has no leads")
    day = _day(as_of, "--as-of") or last_day_of(leads)
    try:
        scored = score_open_leads(leads, day, window)
    except ValueError as e:
        fail(str(e))
    frame = scored.leads
    shown = frame if limit == 0 else frame.head(limit)
    out = Table(
        "lead",
        "created",
        "age",
        "source",
        "industry",
        "region",
        "owner",
        "probability",
        "band",
        "reasons",
        title=f"Open leads on {day}: {len(frame):,} (score trained on {scored.trained_on:,} "
        f"leads; converts within {window} days)",
    )
    for r in shown.itertuples():
        out.add_row(
            r.id,
            str(r.created.date()),
            str(r.age_days),
            r.source,
            r.industry,
            r.region,
            r.owner,
            f"{r.probability:.1%}",
            r.band,
            "; ".join(str(x) for x in r.reasons),
        )
    console.print(out)
    if csv is not None:
        flat = frame.assign(
            created=frame["created"].dt.date,
            probability=frame["probability"].round(4),
            reasons=["; ".join(str(x) for x in rs) for rs in frame["reasons"]],
        )
        try:
            flat.to_csv(csv, index=False)
        except OSError as e:
            fail(f"cannot write {csv}: {e.strerror or e}")
        console.print(f"{len(flat):,} open leads written to {csv}", highlight=False)


def register(app: typer.Typer) -> None:
    from attain.cli import score_win_commands  # noqa: F401  (adds the win-score backtests)

    app.add_typer(score_app)
