"""`attain forecast benchmark`: place attain's forecast measures and baselines among published
results before any forecast of the company's own is trusted."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from attain.cli._common import console, fail

forecast_app = typer.Typer(
    name="forecast", help="Forecasts: benchmarks of their accuracy.", no_args_is_help=True
)

DEFAULT_M4 = Path("..") / "shared" / "data" / "m4-weekly"


@forecast_app.command("benchmark")
def benchmark(
    folder: Annotated[
        Path,
        typer.Option(
            "--folder",
            help="The M4 Weekly files (Weekly-train.csv, Weekly-test.csv).",
            file_okay=False,
        ),
    ] = DEFAULT_M4,
) -> None:
    """Score the baselines on the M4 Weekly series (horizon 13), beside M4's published figures."""
    from attain.forecasts import m4
    from attain.forecasts.baselines import naive, seasonal_naive
    from attain.forecasts.models import auto_ets, simple_exponential_smoothing, theta

    try:
        series = m4.read_weekly(folder)
    except (OSError, ValueError) as exc:
        fail(f"{folder}: {exc}")
    methods = {
        "Naive": naive,
        "Seasonal naive (52 weeks)": lambda h, k: seasonal_naive(h, k, 52),
        "SES": simple_exponential_smoothing,
        "Theta": theta,
        "AutoETS": auto_ets,
    }
    table = Table(
        "method",
        "sMAPE",
        "MASE",
        "published sMAPE",
        "published MASE",
        "statsforecast sMAPE",
        "seconds",
        title=f"M4 Weekly: {len(series)} series, horizon {m4.HORIZON}",
    )
    for name, forecaster in methods.items():
        began = time.perf_counter()
        try:
            s = m4.score(name, forecaster, series)
        except ValueError as exc:
            fail(f"{folder}: {name}: {exc}")
        took = time.perf_counter() - began
        published = m4.PUBLISHED.get(name)
        table.add_row(
            name,
            f"{s.smape:.3f}",
            f"{s.mase:.3f}",
            f"{published[0]:.3f}" if published else "",
            f"{published[1]:.3f}" if published else "",
            f"{m4.STATSFORECAST[name]:.2f}" if name in m4.STATSFORECAST else "",
            f"{took:.1f}",
        )
    console.print(table)


DEFAULT_RETAIL = Path("..") / "shared" / "data" / "online-retail" / "online_retail.csv.gz"


backtest_app = typer.Typer(
    name="backtest",
    help="Backtests: Online Retail weekly revenue (no subcommand), or the pipeline forecast.",
    invoke_without_command=True,
)
forecast_app.add_typer(backtest_app)


@backtest_app.callback()
def backtest_retail(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Option("--file", help="The Online Retail transactions (CSV, gzip or not).")
    ] = DEFAULT_RETAIL,
    horizon: Annotated[int, typer.Option(min=1, max=13, help="Weeks ahead.")] = 4,
    first_origin: Annotated[
        int, typer.Option(min=4, help="The first week a forecast is made at (0-based).")
    ] = 26,
) -> None:
    """Backtest weekly revenue per country: at every week from --first-origin, forecast the next
    weeks from what was known then; WAPE and bias per horizon, beside the naive baselines."""
    if ctx.invoked_subcommand is not None:
        return
    import numpy as np

    from attain.forecasts.backtest import backtest
    from attain.forecasts.baselines import naive
    from attain.forecasts.models import simple_exponential_smoothing, theta
    from attain.forecasts.online_retail import weekly_revenue

    try:
        series = weekly_revenue(file)
    except Exception as exc:  # duckdb's own errors name the file's problem
        said = str(exc).splitlines()[0]
        fail(said if str(file) in said else f"{file}: {said}")
    countries = {k: v for k, v in series.items() if k != "All countries"}
    weeks = len(next(iter(series.values())))
    methods = {
        "Naive": naive,
        "Mean of the last 4 weeks": lambda h, k: np.full(k, h[-4:].mean()),
        "SES": simple_exponential_smoothing,
        "Theta": theta,
    }
    steps = list(range(1, horizon + 1))
    table = Table(
        "method",
        *(f"WAPE +{k}" for k in steps),
        f"bias +{horizon}",
        title=f"Online Retail: weekly revenue of {len(countries)} country series, {weeks} weeks",
    )
    for name, forecaster in methods.items():
        try:
            done = backtest(name, forecaster, countries, horizon=horizon, first_origin=first_origin)
        except ValueError as exc:
            fail(f"{file}: {exc}")
        table.add_row(name, *(f"{done.wape[k]:.1f}%" for k in steps), f"{done.bias[horizon]:+.1f}%")
    console.print(table)
    if weeks < 52 + horizon:
        console.print(
            f"a 52-week seasonal naive needs {52 + horizon} weeks to be measured; the file holds "
            f"{weeks}",
            highlight=False,
        )


def register(app: typer.Typer) -> None:
    from attain.cli import pipeline_commands, revenue_commands

    revenue_commands.register(forecast_app)
    pipeline_commands.register(forecast_app, backtest_app)
    app.add_typer(forecast_app)
