"""attain's measures and baselines reproduce the M4 competition's published Weekly figures:
the naive forecast's sMAPE 9.161 and MASE 2.777 (Makridakis et al., 2020). A measure defined
even slightly otherwise (MASE scaled by lag 52, sMAPE without the factor 2, a horizon other than
13) misses them by far more than the rounding."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from attain.cli import app
from attain.forecasts import m4
from attain.forecasts.baselines import naive, seasonal_naive

M4_WEEKLY = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "m4-weekly"


@pytest.fixture(scope="module")
def weekly() -> list[m4.Series]:
    """The series, read once for the module; skipped with the reason when ../shared is absent."""
    if not M4_WEEKLY.is_dir():
        pytest.skip("../shared is absent (looked for shared/data/m4-weekly beside the project)")
    return m4.read_weekly(M4_WEEKLY)


def test_the_naive_forecast_scores_as_m4_published(weekly: list[m4.Series]) -> None:
    assert len(weekly) == 359
    s = m4.score("Naive", naive, weekly)
    assert (round(s.smape, 3), round(s.mase, 3)) == m4.PUBLISHED["Naive"]


def test_a_52_week_seasonal_naive_is_far_worse_there(weekly: list[m4.Series]) -> None:
    s = m4.score("sNaive", lambda h, k: seasonal_naive(h, k, 52), weekly)
    assert round(s.smape, 1) == 14.5 and s.mase > 9


def test_the_cli_prints_the_benchmark_and_refuses_a_missing_folder(
    shared_dir: Path, tmp_path: Path
) -> None:
    folder = shared_dir / "data" / "m4-weekly"
    shown = CliRunner().invoke(app, ["forecast", "benchmark", "--folder", str(folder)])
    assert shown.exit_code == 0, shown.output
    assert "9.161" in shown.output and "2.777" in shown.output and "14.517" in shown.output
    missing = CliRunner().invoke(app, ["forecast", "benchmark", "--folder", str(tmp_path)])
    assert missing.exit_code == 2 and len(missing.output.strip().splitlines()) == 1
