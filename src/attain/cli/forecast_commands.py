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
    from attain.forecasts.models import simple_exponential_smoothing, theta

    try:
        series = m4.read_weekly(folder)
    except (OSError, ValueError) as exc:
        fail(f"{folder}: {exc}")
    methods = {
        "Naive": naive,
        "Seasonal naive (52 weeks)": lambda h, k: seasonal_naive(h, k, 52),
        "SES": simple_exponential_smoothing,
        "Theta": theta,
    }
    table = Table(
        "method",
        "sMAPE",
        "MASE",
        "published sMAPE",
        "published MASE",
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
            f"{took:.1f}",
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(forecast_app)
