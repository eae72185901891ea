"""Win probability on a real CRM export: Maven Analytics' "CRM + Sales + Opportunities" (8,800
opportunities of 35 agents), backtested by close date.

Only what is known when a deal is engaged is a feature: the agent, their manager and office, the
product (series, list price), the account (sector, size, revenue, age, headquarters) and the
month of engagement. `close_value` and `close_date` are known only once the deal is decided, so
they are never features (the close date orders the rows and splits train from test, nothing
more). The export's pitfalls are repaired on loading: the product `GTXPro` is `GTX Pro`, the
sector `technolgy` is `technology`, people are joined by full name, and open deals (no close
date, often no account) are left out: they have no outcome yet.

Beside the score, the baseline is each agent's historical win rate (won / decided among the
training deals, smoothed towards the overall rate), measured on the same test rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from attain.scores.leads import LeadScorer
from attain.scores.metrics import auc
from attain.scores.report import ScoreReport, score_report
from attain.scores.threads import threads_for

PIPELINE = "sales_pipeline.csv"
FILES = (PIPELINE, "accounts.csv", "products.csv", "sales_teams.csv")
LEAKS = ("close_value", "close_date")
"""Known only once a deal is decided: never features."""
PRODUCT_SPELLING = {"GTXPro": "GTX Pro"}
SECTOR_SPELLING = {"technolgy": "technology"}
NUMERIC = ("sales_price", "revenue", "employees", "year_established", "engage_month")
CATEGORICAL = ("sales_agent", "manager", "regional_office", "product", "series", "sector")
SEGMENTS = ("regional_office", "manager", "series")
PRIOR_DEALS = 20
"""The agent baseline's smoothing: an agent's rate counts as if it had this many more deals at the
overall rate, so a new agent starts at the overall rate."""
CUTOFF = dt.date(2017, 10, 1)
"""Train on deals closed before, test on deals closed on or after (about the last quarter)."""
ROLLING = tuple(dt.date(2017, m, 1) for m in range(6, 13))
"""Rolling cutoffs: train on all deals closed before each, test on the month that follows."""


def default_folder(shared: Path) -> Path:
    """Where ../shared keeps the export."""
    return shared / "data" / "crm-maven"


def _read(folder: Path, name: str, columns: Sequence[str]) -> pd.DataFrame:
    path = folder / name
    if not path.is_file():
        raise ValueError(f"{folder.name}/{name} is missing")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks the column {missing[0]}")
    return frame


def _dates(frame: pd.DataFrame, column: str, name: str) -> pd.Series:
    """ISO dates; a blank is NaT; anything else unreadable names its row (line in the file)."""
    text = frame[column].str.strip()
    parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    bad = parsed.isna() & (text != "")
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValueError(
            f"{name} line {row + 2}, column {column}: {text.iloc[row]!r} is not a YYYY-MM-DD date"
        )
    return parsed


def _numbers(frame: pd.DataFrame, column: str, name: str) -> pd.Series:
    text = frame[column].str.strip()
    parsed = pd.to_numeric(text, errors="coerce")
    bad = parsed.isna() & (text != "")
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValueError(f"{name} line {row + 2}, column {column}: {text.iloc[row]!r} is no number")
    return parsed.astype("float64")


def load(folder: Path) -> pd.DataFrame:
    """The decided deals (won or lost), oldest close first, with what was known at engagement
    and `won` (1 or 0). Raises ValueError naming the file, line and column of bad input."""
    if not folder.is_dir():
        raise ValueError(f"no such folder: {folder}")
    pipeline = _read(
        folder,
        PIPELINE,
        (
            "opportunity_id",
            "sales_agent",
            "product",
            "account",
            "deal_stage",
            "engage_date",
            "close_date",
        ),
    )
    accounts = _read(
        folder, "accounts.csv", ("account", "sector", "year_established", "revenue", "employees")
    )
    products = _read(folder, "products.csv", ("product", "series", "sales_price"))
    teams = _read(folder, "sales_teams.csv", ("sales_agent", "manager", "regional_office"))
    stage = pipeline["deal_stage"].str.strip()
    unknown = ~stage.isin(["Prospecting", "Engaging", "Won", "Lost"])
    if unknown.any():
        row = int(np.flatnonzero(unknown.to_numpy())[0])
        raise ValueError(
            f"{PIPELINE} line {row + 2}, column deal_stage: {stage.iloc[row]!r} is not "
            "Prospecting, Engaging, Won or Lost"
        )
    deals = pipeline.assign(
        engage_date=_dates(pipeline, "engage_date", PIPELINE),
        close_date=_dates(pipeline, "close_date", PIPELINE),
        product=pipeline["product"].str.strip().replace(PRODUCT_SPELLING),
        sales_agent=pipeline["sales_agent"].str.strip(),
        account=pipeline["account"].str.strip(),
    )
    decided = deals[stage.isin(["Won", "Lost"])]
    undated = decided["close_date"].isna() | decided["engage_date"].isna()
    if undated.any():
        row = int(decided.index[np.flatnonzero(undated.to_numpy())[0]])
        raise ValueError(f"{PIPELINE} line {row + 2}: a won or lost deal needs both dates")
    accounts = accounts.assign(
        account=accounts["account"].str.strip(),
        sector=accounts["sector"].str.strip().replace(SECTOR_SPELLING),
        year_established=_numbers(accounts, "year_established", "accounts.csv"),
        revenue=_numbers(accounts, "revenue", "accounts.csv"),
        employees=_numbers(accounts, "employees", "accounts.csv"),
    )[["account", "sector", "year_established", "revenue", "employees"]]
    products = products.assign(
        product=products["product"].str.strip(),
        sales_price=_numbers(products, "sales_price", "products.csv"),
    )[["product", "series", "sales_price"]]
    teams = teams.assign(sales_agent=teams["sales_agent"].str.strip())[
        ["sales_agent", "manager", "regional_office"]
    ]
    out = (
        decided.merge(accounts, on="account", how="left")
        .merge(products, on="product", how="left")
        .merge(teams, on="sales_agent", how="left")
    )
    out["engage_month"] = out["engage_date"].dt.month.astype("float64")
    out["won"] = (out["deal_stage"].str.strip() == "Won").astype(np.int64)
    out = out.sort_values(["close_date", "opportunity_id"], kind="stable").reset_index(drop=True)
    return out.drop(columns=["close_value"], errors="ignore")


def crm_words(feature: str, value: object) -> str:
    """A feature's value as a sales manager would say it."""
    if isinstance(value, float) and np.isnan(value):
        return f"{feature.replace('_', ' ')} unknown"
    words = {
        "sales_agent": lambda v: f"sold by {v}",
        "manager": lambda v: f"in {v}'s team",
        "regional_office": lambda v: f"{v} office",
        "product": lambda v: f"product {v}",
        "series": lambda v: f"{v} series",
        "sector": lambda v: f"account in {v}",
        "sales_price": lambda v: f"list price {v:,.0f} USD",
        "revenue": lambda v: f"account revenue {v:,.0f} million USD",
        "employees": lambda v: f"account of {v:,.0f} employees",
        "year_established": lambda v: f"account founded {v:.0f}",
        "engage_month": lambda v: f"engaged in {dt.date(2000, int(v), 1):%B}",
    }
    say = words.get(feature)
    return say(value) if say else f"{feature.replace('_', ' ')} {value}"


def agent_rates(train: pd.DataFrame, test: pd.DataFrame) -> NDArray[np.float64]:
    """The baseline: each test deal's agent's win rate over the training deals, smoothed by
    `PRIOR_DEALS` towards the overall training rate (an unseen agent gets the overall rate)."""
    overall = float(train["won"].mean())
    by_agent = train.groupby("sales_agent")["won"].agg(["sum", "count"])
    smoothed = (by_agent["sum"] + PRIOR_DEALS * overall) / (by_agent["count"] + PRIOR_DEALS)
    rates: NDArray[np.float64] = (
        test["sales_agent"].map(smoothed).fillna(overall).to_numpy(dtype=np.float64)
    )
    return rates


@dataclass(frozen=True)
class Split:
    """One cutoff: the score and the agent baseline on the deals closed after it."""

    cutoff: dt.date
    until: dt.date | None
    train_rows: int
    test: pd.DataFrame
    """The test deals, with `won`, `score` and `agent_rate`."""
    calibration: str
    reasons: list[tuple[str, ...]] = field(default_factory=list)


def fit_and_score(
    frame: pd.DataFrame,
    cutoff: dt.date,
    until: dt.date | None = None,
    random_state: int = 0,
    reasons: int = 0,
) -> Split:
    """Fit on deals closed before `cutoff`; score those closed from it to before `until`."""
    day = pd.Timestamp(cutoff)
    train = frame[frame["close_date"] < day]
    later = frame["close_date"] >= day
    if until is not None:
        later &= frame["close_date"] < pd.Timestamp(until)
    test = frame[later]
    if len(train) < 200 or test.empty:
        raise ValueError(f"cutoff {cutoff} leaves {len(train)} deals to train, {len(test)} to test")
    scorer = LeadScorer(NUMERIC, CATEGORICAL, describe=crm_words, random_state=random_state)
    with threads_for(len(frame)):
        scorer.fit(train, train["won"].to_numpy())
        scored = test.assign(score=scorer.score(test), agent_rate=agent_rates(train, test))
        why = (
            [tuple(r.words for r in rs) for rs in scorer.reasons(test.iloc[:reasons])]
            if reasons
            else []
        )
    return Split(cutoff, until, len(train), scored, scorer.calibration, why)


def rolling(
    frame: pd.DataFrame, cutoffs: Sequence[dt.date] = ROLLING, random_state: int = 0
) -> list[Split]:
    """Each cutoff tested on the month after it; together, every month is scored by a model that
    knew only the months before."""
    out = []
    for cut in cutoffs:
        nxt = dt.date(cut.year + cut.month // 12, cut.month % 12 + 1, 1)
        out.append(fit_and_score(frame, cut, nxt, random_state))
    return out


def pooled(splits: Sequence[Split]) -> pd.DataFrame:
    """The rolling splits' test rows together (each deal once: the months do not overlap)."""
    return pd.concat([s.test for s in splits], ignore_index=True)


def segments(test: pd.DataFrame) -> Mapping[str, Sequence[str]]:
    """Segment labels per row for the report: office, manager (the agent's team), series."""
    return {s: test[s].fillna("unknown").astype(str).tolist() for s in SEGMENTS}


def report(name: str, test: pd.DataFrame) -> ScoreReport:
    """The score's report on `test` (segments: office, manager, series), the agent baseline's
    on the same rows beside it."""
    y = test["won"].to_numpy()
    base = score_report("agent's win rate", test["agent_rate"].to_numpy(), y, segments(test))
    return score_report(name, test["score"].to_numpy(), y, segments(test), baseline=base)


def monthly_auc(test: pd.DataFrame) -> list[tuple[str, int, float, float, float | None]]:
    """Per close month: deals, win rate, mean score and the score's AUC within the month (a
    pooled AUC mixes months whose win rates differ; within a month it measures ranking only)."""
    out = []
    for month, g in test.groupby(test["close_date"].dt.strftime("%Y-%m")):
        y = g["won"].to_numpy()
        a = auc(g["score"].to_numpy(), y) if 0 < y.sum() < y.size else None
        out.append((str(month), len(g), float(y.mean()), float(g["score"].mean()), a))
    return out
