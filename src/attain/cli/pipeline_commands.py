"""`attain forecast pipeline` and `attain forecast backtest pipeline`: the B2B pipeline forecast
of a period, rolled up the hierarchy, and its week-N backtest."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from attain.cli._common import console, fail, open_store

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        "--store",
        help="Store URL (default: ATTAIN_DATABASE_URL, else sqlite:///attain.db).",
        callback=open_store,
    ),
]
MODELS = ("auto", "win-scores", "stage-rates")


def _win_model(engine: Any, model: str, book: Any = None) -> Any:
    """The win scorer the forecast uses: WinScorer where attain has it, else stage rates. Fits
    on many days (a backtest) share one history reader and their snapshots."""
    if model == "stage-rates":
        return None
    try:
        from attain.scores.wins import WinScorer, as_of_reader
    except ImportError:
        if model == "win-scores":
            fail("win scores are not available in this build; use --model stage-rates")
        return None
    reader: Any
    if book is not None and book.history is not None:
        history = book.history
        reader = lambda _engine, day: history.as_of(day)  # noqa: E731
    else:
        reader = as_of_reader(engine)
    cache: dict[dt.date, Any] = {}
    return lambda day: WinScorer.fit(engine, day, cache=cache, as_of=reader)


def pipeline(
    period: Annotated[str, typer.Option("--period", help="A quarter (2026-Q4) or a month.")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The day it is made at (default: today).")
    ] = None,
    node: Annotated[
        str | None, typer.Option("--node", help="A person id: their part of the hierarchy.")
    ] = None,
    top: Annotated[int, typer.Option("--top", min=0, help="Deals shown by swing.")] = 10,
    model: Annotated[
        str, typer.Option("--model", help="auto, win-scores or stage-rates.")
    ] = "auto",
    db: StoreOption = None,
) -> None:
    """Forecast a period's won bookings: closed, expected, 80% band, stage-weighted pipeline,
    calls, quota, attainment and commission per node; then the deals that move it most."""
    from attain.clock import today
    from attain.data.store import get_engine
    from attain.forecasts.periods import parse_period
    from attain.forecasts.pipeline import forecast_from_book
    from attain.forecasts.pipeline_book import PipelineBook
    from attain.money_format import money

    if model not in MODELS:
        fail(f"--model {model!r}: choose one of {', '.join(MODELS)}")
    try:
        window = parse_period(period)
        day = dt.date.fromisoformat(as_of) if as_of else min(today(), window.end)
    except ValueError as exc:
        fail(f"--period/--as-of: {exc}")
    engine = get_engine(db)
    book = PipelineBook.load(engine)
    try:
        forecast = forecast_from_book(
            book, window, day, node, win_model=_win_model(engine, model, book), engine=engine
        )
    except ValueError as exc:
        fail(str(exc))
    cur = forecast.currency
    table = Table(
        "node",
        "closed",
        "expected",
        "80% low - high",
        "weighted",
        "commit",
        "best case",
        "quota",
        "attainment",
        "commission",
        title=f"Pipeline forecast {forecast.period} as of {forecast.as_of} ({forecast.model})",
    )

    def add(n: Any, depth: int) -> None:
        table.add_row(
            "  " * depth + (n.name or n.node or "Company"),
            money(n.closed, cur),
            money(n.expected, cur),
            f"{money(n.low, cur)} - {money(n.high, cur)}",
            money(n.weighted_pipeline, cur),
            money(n.commit, cur) if n.commit is not None else "",
            money(n.best_case, cur) if n.best_case is not None else "",
            money(n.quota, cur) if n.quota is not None else "",
            f"{n.expected_attainment * 100:.1f}%" if n.expected_attainment is not None else "",
            money(n.expected_commission, cur) if n.expected_commission is not None else "",
        )
        for child in n.children:
            add(child, depth + 1)

    add(forecast.root, 0)
    console.print(table)
    deals = Table(
        "deal",
        "owner",
        "stage",
        "close date",
        "amount",
        "p(won in period)",
        "expected",
        "swing",
        "at risk",
        "reasons",
        title="Deals that move it most",
    )
    for d in forecast.deals[:top]:
        deals.add_row(
            d.deal,
            d.owner,
            d.stage,
            str(d.close_date),
            money(d.amount, d.currency),
            f"{d.p_close_in_period:.0%}",
            money(d.expected, d.currency),
            money(d.swing, d.currency),
            "yes" if d.at_risk else "",
            "; ".join(d.reasons),
        )
    if top:
        console.print(deals)
    for note in forecast.notes:
        console.print(note, highlight=False)


def backtest_pipeline(
    week: Annotated[int, typer.Option("--week", min=1, max=12, help="Week of the quarter.")] = 4,
    seeds: Annotated[
        str | None,
        typer.Option(
            "--seeds",
            help="Backtest generated companies with these seeds (1,2,3) instead of the store.",
        ),
    ] = None,
    reps: Annotated[int, typer.Option("--reps", min=4, help="Reps of a generated company.")] = 120,
    simulations: Annotated[int, typer.Option("--simulations", min=100)] = 1000,
    model: Annotated[str, typer.Option("--model", help="auto, win-scores or stage-rates.")] = (
        "stage-rates"
    ),
    html: Annotated[Path | None, typer.Option("--html", help="Also write an HTML report.")] = None,
    db: StoreOption = None,
) -> None:
    """Forecast every quarter with a year of history before it at week N, with only what was
    known then, and compare with what was won: the model beside the stage-weighted pipeline and
    the commit calls."""
    from attain.data.store import get_engine
    from attain.forecasts.pipeline_backtest import backtest_pipeline as run
    from attain.forecasts.pipeline_backtest import coverage, errors
    from attain.forecasts.pipeline_book import PipelineBook
    from attain.forecasts.pipeline_report import LABELS, report_html
    from attain.money_format import money
    from attain.quota.history import PLANNING_CURRENCY

    if model not in MODELS:
        fail(f"--model {model!r}: choose one of {', '.join(MODELS)}")
    runs: list[tuple[str, list[Any]]] = []
    if seeds:
        try:
            chosen = [int(s) for s in seeds.replace(" ", "").split(",") if s]
        except ValueError:
            fail(f"--seeds {seeds!r}: give whole numbers separated by commas (1,2,3)")
        for seed in chosen:
            with tempfile.TemporaryDirectory() as folder:
                url = f"sqlite:///{Path(folder) / 'company.db'}"
                generate_company(url, seed, reps)
                engine = get_engine(url)
                book = PipelineBook.load(engine)
                rows = run(book, week, simulations, win_model=_win_model(engine, model, book))
                engine.dispose()
            runs.append((f"generated company, seed {seed}, {reps} reps", rows))
    else:
        engine = get_engine(db)
        book = PipelineBook.load(engine)
        rows = run(book, week, simulations, win_model=_win_model(engine, model, book))
        if not rows:
            fail("the store has no quarter with a year of decided deals before it")
        runs.append(("the store", rows))
    cur = PLANNING_CURRENCY
    for name, rows in runs:
        quarters = len({r.quarter for r in rows})
        table = Table(
            "level",
            "method",
            "rows",
            "median abs. error",
            "WAPE",
            "bias",
            title=f"Pipeline forecast at week {week}: {name}, {quarters} quarters",
        )
        for level in ("company", "team"):
            for e in errors(rows, level):
                table.add_row(
                    level,
                    LABELS[e.method],
                    str(e.n),
                    money(e.median_abs_error, cur),
                    f"{e.wape:.1f}%",
                    f"{e.bias:+.1f}%",
                )
        console.print(table)
        console.print(
            f"inside the 80% band: company {coverage(rows, 'company'):.0%}, "
            f"teams {coverage(rows, 'team'):.0%}",
            highlight=False,
        )
    if html is not None:
        notes = [f"Forecasts made at the end of week {week} of each quarter, {model} model."]
        html.write_text(report_html("Pipeline forecast backtest", runs, cur, notes))
        console.print(f"report written to {html}", highlight=False)


def generate_company(url: str, seed: int, reps: int, years: int = 3) -> None:
    """A demo-like B2B company (three years) for a backtest, written to `url`."""
    from attain.data.store import get_engine
    from attain.data.synth.company import generate
    from attain.data.synth.spec import SynthSpec
    from attain.data.synth.write import write_store

    spec = SynthSpec(seed=seed, b2b_reps=reps, years=years, start=dt.date(2023, 1, 1))
    write_store(generate(spec), get_engine(url), replace=True)


def register(forecast_app: typer.Typer, backtest_app: typer.Typer) -> None:
    forecast_app.command("pipeline")(pipeline)
    backtest_app.command("pipeline")(backtest_pipeline)
