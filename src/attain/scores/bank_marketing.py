"""The lead score backtested on real outbound-call outcomes: UCI "Bank Marketing" (Moro, Cortez and
Rita 2014), rows in date order, the first 80% to train and the last 20% to test.

`duration` (the call's length) is known only once the call is over, so it would leak the outcome:
it is never a feature. The economic indicators (the same for every call on a day) stand in for
the date; the test period lies beyond every training value, so an indicator can only help as a
trend feature of the lead score (linear in the calibration). Beside the lead score, two baselines are measured in the same run: a
logistic regression on the same features, and the training base rate for everyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from attain.scores.leads import LeadScorer
from attain.scores.report import ScoreReport, report_text_rows, score_report

FILE_NAME = "bank-additional-full.csv"
LEAKS = ("duration",)
NUMERIC = ("age", "campaign", "pdays", "previous")
ECONOMY = ("emp.var.rate", "cons.price.idx", "cons.conf.idx", "euribor3m", "nr.employed")
CATEGORICAL = ("job", "marital", "education", "default", "housing", "loan")
# The one economic indicator given to the score by default (see docs/forecasts.md: chosen among
# the indicators with the test part in view, which makes the reported figure optimistic).
TREND: tuple[str, ...] = ()
"""No trend feature by default: which indicator helps can only be told with the test period in
view (docs/forecasts.md), and a default chosen that way would overstate the score."""
TRAIN_SHARE = 0.8


def default_file(shared: Path) -> Path:
    """Where ../shared keeps the file."""
    return shared / "data" / "bank-marketing" / FILE_NAME


def load(path: Path) -> pd.DataFrame:
    """The file as published: `;`-separated, one call per row, oldest first, `y` 0/1."""
    frame = pd.read_csv(path, sep=";")
    missing = {*NUMERIC, *CATEGORICAL, *ECONOMY, "y"} - set(frame.columns)
    if missing:
        raise ValueError(f"{path.name} lacks the columns {', '.join(sorted(missing))}")
    return frame


def bank_words(feature: str, value: object) -> str:
    """A feature's value as a banker would say it."""
    words = {
        "campaign": lambda v: f"called {v} time{'s' if v != 1 else ''} in this campaign",
        "pdays": lambda v: "never contacted before" if v == 999 else f"last contacted {v} days ago",
        "previous": lambda v: f"{v} contact{'s' if v != 1 else ''} in earlier campaigns",
        "age": lambda v: f"aged {v}",
        "emp.var.rate": lambda v: f"employment variation rate {v}",
        "cons.price.idx": lambda v: f"consumer price index {v}",
        "cons.conf.idx": lambda v: f"consumer confidence {v}",
        "euribor3m": lambda v: f"3-month Euribor at {v}%",
        "nr.employed": lambda v: f"{v:,.0f} thousand employed",
        "job": lambda v: f"works as {str(v).replace('.', ' ')}",
        "marital": lambda v: f"marital status {v}",
        "education": lambda v: f"education {str(v).replace('.', ' ')}",
        "default": lambda v: f"credit in default: {v}",
        "housing": lambda v: f"housing loan: {v}",
        "loan": lambda v: f"personal loan: {v}",
    }
    say = words.get(feature)
    return say(value) if say else f"{feature} {value}"


@dataclass(frozen=True)
class Backtest:
    """The lead score (beside the logistic regression) and the training base rate on the test
    part, each measured overall and by segment."""

    train_rows: int
    test_rows: int
    calibration: str
    score: ScoreReport
    base_rate: ScoreReport
    test_scores: NDArray[np.float64]


def age_band(age: NDArray[np.int64]) -> list[str]:
    """Under 30, 30-44, 45-59, 60 and over: the life stages a bank markets to differently."""
    cuts = np.digitize(age, [30, 45, 60])
    return [("under 30", "30-44", "45-59", "60 and over")[c] for c in cuts]


def segments(test: pd.DataFrame) -> dict[str, list[str]]:
    """Job, age band, marital status and whether the client was contacted in an earlier
    campaign."""
    return {
        "job": test["job"].astype(str).tolist(),
        "age": age_band(test["age"].to_numpy()),
        "marital": test["marital"].astype(str).tolist(),
        "contacted before": np.where(test["pdays"] != 999, "yes", "no").tolist(),
    }


def _logistic(train: pd.DataFrame, y: NDArray[np.int64], trend: Sequence[str]) -> Pipeline:
    columns = ColumnTransformer(
        [
            ("numbers", StandardScaler(), [*NUMERIC, *trend]),
            ("categories", OneHotEncoder(handle_unknown="ignore"), list(CATEGORICAL)),
        ]
    )
    return make_pipeline(columns, LogisticRegression(max_iter=1000)).fit(train, y)


def backtest(
    frame: pd.DataFrame,
    random_state: int = 0,
    trend: Sequence[str] = TREND,
    train_share: float = TRAIN_SHARE,
    refit: bool = True,
) -> Backtest:
    """Train on the first 80% of rows, measure on the rest; `duration` is never used."""
    cut = int(len(frame) * train_share)
    train, test = frame.iloc[:cut], frame.iloc[cut:]
    y_train = train["y"].to_numpy(dtype=np.int64)
    y_test = test["y"].to_numpy(dtype=np.int64)
    scorer = LeadScorer(
        NUMERIC, CATEGORICAL, trend, describe=bank_words, random_state=random_state, refit=refit
    )
    scorer.fit(train, y_train)
    scores = scorer.score(test)
    logistic = _logistic(train, y_train, trend)
    baseline = np.asarray(logistic.predict_proba(test)[:, 1])
    base_rate = np.full(len(test), y_train.mean())
    by = segments(test)
    logistic_report = score_report("logistic regression", baseline, y_test, by)
    return Backtest(
        cut,
        len(test),
        scorer.calibration,
        score_report("lead score", scores, y_test, by, baseline=logistic_report),
        score_report("training base rate", base_rate, y_test),
        scores,
    )


def table_rows(result: Backtest) -> list[list[str]]:
    """Header, the lead score, the logistic regression, the base rate, then the segments."""
    rows = report_text_rows(result.score)
    overall = 2 + (result.score.baseline is not None)
    return [*rows[:overall], report_text_rows(result.base_rate)[1], *rows[overall:]]
