"""`attain forecast revenue` and `attain forecast revenue-backtest`: the B2C line's order revenue
(or units) per store, region and company, forecast and reconciled, and the same replayed on
history beside seasonal naive."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from attain.cli._common import console, fail, open_store

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        "--db",
        help="Store URL (default: ATTAIN_DATABASE_URL, else sqlite:///attain.db).",
        callback=open_store,
    ),
]
GrainOption = Annotated[str, typer.Option("--grain", help="week or month.")]
UnitsOption = Annotated[
    bool, typer.Option("--units", help="Forecast units sold instead of revenue.")
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="Forecast with only the orders known on this day (YYYY-MM-DD)."),
]
LEVELS = ("store", "region", "company")


def _day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--as-of {value!r}: not a date (YYYY-MM-DD)")


def _grain(value: str) -> str:
    if value not in ("week", "month"):
        fail(f"--grain must be week or month, not {value!r}")
    return value


def _engine(url: str | None):  # type: ignore[no-untyped-def]
    from attain.data.store import get_engine

    return get_engine(url)


def _money(value: object, currency: str | None) -> str:
    return f"{value:,.2f} {currency}" if currency else f"{value:,.2f}"


def revenue(
    store: StoreOption = None,
    by: Annotated[str, typer.Option("--by", help="store, region or company.")] = "company",
    grain: GrainOption = "week",
    horizon: Annotated[int, typer.Option("--horizon", min=1, max=104, help="Periods ahead.")] = 13,
    units: UnitsOption = False,
    as_of: AsOfOption = None,
) -> None:
    """Forecast B2C order revenue (net of returns, in the planning currency) or units for the
    next whole weeks or months, reconciled so stores add up to regions and the company, with
    80% intervals."""
    from attain.forecasts.revenue import forecast_revenue

    if by not in LEVELS:
        fail(f"--by must be store, region or company, not {by!r}")
    day = _day(as_of)
    try:
        done = forecast_revenue(
            _engine(store), grain=_grain(grain), horizon=horizon, as_of=day, units=units
        )
    except ValueError as exc:
        fail(str(exc))
    what = "units" if units else f"revenue ({done.currency})"
    table = Table(
        "series",
        f"{grain} from",
        "forecast",
        "80% low",
        "80% high",
        title=f"B2C {what} as of {done.as_of}, {done.history_periods} {grain}s of history",
    )
    for line in done.lines:
        if line.level == by:
            table.add_row(
                line.series,
                str(line.period),
                _money(line.mean, done.currency),
                _money(line.low, done.currency),
                _money(line.high, done.currency),
            )
    console.print(table)
    models = sorted(set(done.models.values()))
    console.print(
        f"models: {', '.join(models)}; reconciled by {done.reconciliation} "
        "(stores add up to regions and the company to the cent)",
        highlight=False,
    )
    for note in done.notes:
        console.print(note, highlight=False)


def revenue_backtest(
    store: StoreOption = None,
    grain: GrainOption = "week",
    horizon: Annotated[int, typer.Option("--horizon", min=1, max=52, help="Periods ahead.")] = 4,
    every: Annotated[int, typer.Option("--every", min=1, help="Periods between two origins.")] = 4,
    units: UnitsOption = False,
    model: Annotated[str, typer.Option("--model", help="ets or theta.")] = "ets",
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write the report as an HTML page here.")
    ] = None,
) -> None:
    """Backtest the revenue forecast on the store's B2C orders: at rolling origins, forecast from
    what was known then; WAPE, bias and 80% interval coverage per horizon step and level, beside
    seasonal naive measured on the same origins."""
    from attain.forecasts.revenue import load_store_history
    from attain.forecasts.revenue_backtest import BASELINE, backtest_revenue

    if model not in ("ets", "theta"):
        fail(f"--model must be ets or theta, not {model!r}")
    try:
        history = load_store_history(_engine(store), _grain(grain))
        done = backtest_revenue(history, horizon=horizon, units=units, every=every, model=model)
    except ValueError as exc:
        fail(str(exc))
    steps = list(range(1, horizon + 1))
    table = Table(
        "level",
        "method",
        *(f"WAPE +{k}" for k in steps),
        f"bias +{horizon}",
        f"80% cover +{horizon}",
        title=(
            f"B2C {done.measure} backtest: {len(done.origins)} origins "
            f"{done.origins[0]} to {done.origins[-1]}, {grain}s, model {model}"
        ),
    )
    for s in sorted(done.scores, key=lambda s: (LEVELS[::-1].index(s.level), s.method)):
        table.add_row(
            s.level,
            s.method,
            *(f"{s.wape[k]:.1f}%" for k in steps),
            f"{s.bias[horizon]:+.1f}%",
            f"{100 * s.coverage[horizon]:.0f}%",
        )
    console.print(table)
    notes = [
        f"most accurate reconciliation at store level: {done.best_method()}",
        f"{BASELINE}: {done.baseline_season} {grain}s back"
        if done.baseline_season > 1
        else f"{BASELINE}: less than a season of history at the first origin, so naive",
    ]
    if not done.seasonal:
        notes.append("less than two seasons of history at every origin: no seasonal term")
    for note in notes:
        console.print(note, highlight=False)
    if html is not None:
        from attain.forecasts.report_html import backtest_html

        try:
            html.write_text(backtest_html("B2C revenue forecast backtest", done, notes), "utf-8")
        except OSError as exc:
            fail(f"{html}: {exc.strerror or exc}")
        console.print(f"wrote {html}", highlight=False)


def register(forecast_app: typer.Typer) -> None:
    forecast_app.command("revenue")(revenue)
    forecast_app.command("revenue-backtest")(revenue_backtest)
