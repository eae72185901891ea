"""The B2B pipeline forecast of a period for any node of the hierarchy, with its 80% band.

expected = closed so far + sum over open deals of p_close_in_period x amount + pipeline not yet
created (learned per owner from the same point of past periods, see `not_yet_created`). The
band is the 10th-90th percentile of one set of simulations shared by all nodes
(`pipeline_simulation`). Beside the model: the stage-weighted pipeline (closed plus
deal_stages.probability x amount of the open deals expected to close in the period), the calls
in force (commit, best case), the quota and expected attainment, and the expected commission
(`pipeline_commission`). Money is in the planning currency at the rate of the as-of month.

The win model is the stage-rates model (`stage_rates`) unless the caller passes a scorer (the
surfaces pass attain.scores.wins.WinScorer; engines do not import scores).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from attain.comp.language import Plan
from attain.forecasts import not_yet_created
from attain.forecasts.periods import ForecastPeriod, parse_period
from attain.forecasts.pipeline_book import PipelineBook
from attain.forecasts.pipeline_rollup import UNPLACED, Hierarchy, hierarchy_on
from attain.forecasts.pipeline_simulation import band, simulate_owners
from attain.forecasts.stage_rates import StageRates
from attain.quota.history import PLANNING_CURRENCY

CENT = Decimal("0.01")
QUOTA_MEASURE = "bookings"
RISK_AMOUNT_SHARE = 0.75
"""A deal at risk is at least as big as this share of the open deals (by amount rank)..."""
RISK_P = 0.2
"""...and has less than this chance of being won in the period, or has slipped or is overdue."""


class WinModel(Protocol):
    def score(self, open_deals: pd.DataFrame, period_end: dt.date) -> pd.DataFrame: ...


WinModelFit = Callable[[dt.date], WinModel]
"""Fits a win model on what was known at the end of a day (e.g. `WinScorer.fit(engine, day)`)."""


@dataclass(frozen=True)
class NodeForecast:
    node: str
    name: str
    currency: str
    closed: Decimal
    open_expected: Decimal
    not_yet_created: Decimal
    expected: Decimal
    low: Decimal
    high: Decimal
    weighted_pipeline: Decimal
    commit: Decimal | None
    best_case: Decimal | None
    quota: Decimal | None
    expected_attainment: Decimal | None
    expected_commission: Decimal | None
    children: tuple[NodeForecast, ...]
    open_deals: int = 0

    def walk(self) -> list[NodeForecast]:
        """This node and every node below it, depth first."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass(frozen=True)
class DealOutlook:
    deal: str
    name: str
    owner: str
    stage: str
    close_date: dt.date
    amount: Decimal
    currency: str
    p_win: float
    p_close_in_period: float
    expected: Decimal
    swing: Decimal
    reasons: tuple[str, ...]
    at_risk: bool


@dataclass(frozen=True)
class PipelineForecast:
    period: str
    as_of: dt.date
    currency: str
    root: NodeForecast
    deals: tuple[DealOutlook, ...]
    model: str = "stage rates"
    notes: tuple[str, ...] = field(default=())


def money(value: float | Decimal) -> Decimal:
    return Decimal(str(float(value))).quantize(CENT, rounding=ROUND_HALF_UP)


def forecast_pipeline(
    engine: Engine,
    period: str,
    as_of: dt.date,
    node: str | None = None,
    simulations: int = 2000,
    seed: int = 0,
    *,
    win_model: WinModelFit | None = None,
    commission: bool = True,
    plans: Sequence[Plan] | None = None,
) -> PipelineForecast:
    """The forecast of `period` as known at the end of `as_of`, for `node` (None: the company)."""
    book = PipelineBook.load(engine)
    return forecast_from_book(
        book,
        period,
        as_of,
        node,
        simulations,
        seed,
        win_model=win_model,
        engine=engine if commission else None,
        plans=plans,
    )


def forecast_from_book(
    book: PipelineBook,
    period: str | ForecastPeriod,
    as_of: dt.date,
    node: str | None = None,
    simulations: int = 2000,
    seed: int = 0,
    *,
    win_model: WinModelFit | None = None,
    engine: Engine | None = None,
    plans: Sequence[Plan] | None = None,
) -> PipelineForecast:
    """As `forecast_pipeline`, from a book loaded once (a backtest forecasts many days)."""
    window = parse_period(period) if isinstance(period, str) else period
    if as_of < window.start - dt.timedelta(days=1) or as_of > window.end:
        raise ValueError(
            f"as-of day {as_of} is not within {window.key} ({window.start} to {window.end})"
        )
    known = book.as_of(as_of)
    notes: list[str] = []
    if not book.knows_history:
        notes.append(
            "the store keeps no deal history: amounts and close dates are today's, and the "
            "win model reads stage and time in stage only"
        )
    unconverted = known["amount_usd"].isna()
    if unconverted.any():
        notes.append(
            f"{int(unconverted.sum())} deals have no amount or no exchange rate and were left out"
        )
        known = known[~unconverted]
    decided = pd.to_datetime(known["decided"])
    won = known[
        (known["category"] == "won")
        & (decided >= pd.Timestamp(window.start))
        & (decided <= pd.Timestamp(as_of))
    ]
    open_deals = known[known["category"] == "open"]
    rates = StageRates.fit(book, as_of, window)
    scores, model_name = _scores(rates, open_deals, as_of, window, win_model, notes)
    open_deals = open_deals.assign(
        p_win=scores["p_win"].to_numpy(float),
        p_close=scores["p_close_in_period"].to_numpy(float),
        reasons=list(scores["reasons"]),
    )
    quotas = book.quotas[
        (book.quotas["measure"] == QUOTA_MEASURE) & (book.quotas["period"] == window.key)
    ]
    sellers = set(known["owner"]) | set(quotas["payee"])
    tree = hierarchy_on(book.people, as_of, sellers)
    placed = set(tree.names)
    owners = sorted(placed | set(known["owner"]))
    index = {o: i for i, o in enumerate(owners)}
    later = not_yet_created.learn(book, known, as_of, window, sorted(placed))
    rng = np.random.default_rng(seed)
    sims = simulate_owners(
        rng,
        simulations,
        open_deals["owner"].map(index).to_numpy(int),
        open_deals["p_close"].to_numpy(float),
        open_deals["amount_usd"].to_numpy(float),
        len(owners),
        later,
        np.array([index[o] for o in later.owners], int),
        rates.period_spread,
    )
    per_owner = _owner_sums(won, open_deals, later, window, book, owners)
    sims += per_owner["closed"].to_numpy()[None, :]
    calls = _calls(book, as_of, window)
    quota = {r.payee: float(r.amount) * book.rate(r.currency, as_of) for r in quotas.itertuples()}
    commission = (
        _commission(engine, book, window, as_of, known, open_deals, later, plans)
        if engine is not None
        else {}
    )
    build = _Builder(tree, per_owner, index, sims, calls, quota, commission)
    if node is None:
        unplaced = sorted(set(owners) - placed)
        root = build.company(unplaced)
    elif node not in placed:
        raise ValueError(f"{node} is not in the hierarchy on {as_of}")
    else:
        root = build.node(node)
    under = set(owners) if node is None else set(tree.under(node))
    outlooks = _outlooks(open_deals[open_deals["owner"].isin(under)], as_of, window, book)
    return PipelineForecast(
        window.key, as_of, PLANNING_CURRENCY, root, outlooks, model_name, tuple(notes)
    )


def _scores(
    rates: StageRates,
    open_deals: pd.DataFrame,
    as_of: dt.date,
    window: ForecastPeriod,
    win_model: WinModelFit | None,
    notes: list[str],
) -> tuple[pd.DataFrame, str]:
    if win_model is not None:
        try:
            scored = win_model(as_of).score(open_deals, window.end)
            return scored.reset_index(drop=True).set_index(open_deals.index), "win scores"
        except ValueError as exc:  # too little history for the scorer
            notes.append(f"win scores not available ({exc}); stage rates used")
    return rates.score(open_deals, window.end), "stage rates"


def _owner_sums(
    won: pd.DataFrame,
    open_deals: pd.DataFrame,
    later: not_yet_created.NotYetCreated,
    window: ForecastPeriod,
    book: PipelineBook,
    owners: list[str],
) -> pd.DataFrame:
    """Per owner: closed, open_expected, not_yet_created, weighted (open part), open deals."""
    close = pd.to_datetime(open_deals["close_date"])
    in_period = (close >= pd.Timestamp(window.start)) & (close <= pd.Timestamp(window.end))
    stage_p = open_deals["stage"].map(book.stage_probability).fillna(0.0)
    frame = pd.DataFrame(index=pd.Index(owners, name="owner"))
    frame["closed"] = won.groupby("owner")["amount_usd"].sum()
    expected = open_deals["p_close"] * open_deals["amount_usd"]
    frame["open_expected"] = expected.groupby(open_deals["owner"]).sum()
    frame["not_yet_created"] = pd.Series(later.expected())
    weighted = (stage_p * open_deals["amount_usd"]).where(in_period, 0.0)
    frame["weighted"] = weighted.groupby(open_deals["owner"]).sum()
    frame["open_deals"] = open_deals.groupby("owner").size()
    return frame.fillna(0.0)


def _calls(
    book: PipelineBook, as_of: dt.date, window: ForecastPeriod
) -> dict[str, dict[str, float]]:
    """category -> payee -> the call in force, in the planning currency (none without calls)."""
    frame = book.calls_as_of(as_of, window.key) if hasattr(book, "calls_as_of") else None
    if frame is None or frame.empty:
        return {}
    out: dict[str, dict[str, float]] = {}
    for r in frame.itertuples(index=False):
        out.setdefault(str(r.category), {})[str(r.payee)] = float(r.amount) * book.rate(
            r.currency, as_of
        )
    return out


def _commission(
    engine: Engine,
    book: PipelineBook,
    window: ForecastPeriod,
    as_of: dt.date,
    known: pd.DataFrame,
    open_deals: pd.DataFrame,
    later: not_yet_created.NotYetCreated,
    plans: Sequence[Plan] | None,
) -> dict[str, float]:
    from attain.forecasts.pipeline_commission import expected_commission

    return expected_commission(engine, book, window, as_of, known, open_deals, later, plans)


class _Builder:
    def __init__(
        self,
        tree: Hierarchy,
        per_owner: pd.DataFrame,
        index: Mapping[str, int],
        sims: np.ndarray,
        calls: dict[str, dict[str, float]],
        quota: dict[str, float],
        commission: dict[str, float],
    ) -> None:
        self.tree, self.per_owner, self.index, self.sims = tree, per_owner, index, sims
        self.calls, self.quota, self.commission = calls, quota, commission

    def node(self, person: str) -> NodeForecast:
        children = tuple(self.node(p) for p in self.tree.reports.get(person, []))
        return self._make(
            person, self.tree.names.get(person, person), self.tree.under(person), children, person
        )

    def company(self, unplaced: list[str]) -> NodeForecast:
        children = [self.node(p) for p in self.tree.roots]
        if unplaced:
            children.append(self._make(UNPLACED, "Owners not in the hierarchy", unplaced, (), None))
        members = [o for o in self.index]
        return self._make("", "Company", members, tuple(children), None)

    def _own_or_children(
        self,
        values: dict[str, float],
        person: str | None,
        children: tuple[NodeForecast, ...],
        pick: Callable[[NodeForecast], Decimal | None],
    ) -> Decimal | None:
        if person is not None and person in values:
            return money(values[person])
        got = [v for v in (pick(c) for c in children) if v is not None]
        return sum(got, Decimal("0.00")) if got else None

    def _make(
        self,
        node: str,
        name: str,
        members: list[str],
        children: tuple[NodeForecast, ...],
        person: str | None,
    ) -> NodeForecast:
        rows = self.per_owner.loc[members]
        closed, open_exp = money(rows["closed"].sum()), money(rows["open_expected"].sum())
        later = money(rows["not_yet_created"].sum())
        expected = closed + open_exp + later
        low, high = band(self.sims[:, [self.index[m] for m in members]].sum(axis=1))
        quota = self._own_or_children(self.quota, person, children, lambda c: c.quota)
        commission: Decimal | None
        if self.commission:
            paid = [self.commission[m] for m in members if m in self.commission]
            commission = money(sum(paid)) if paid else None
        else:
            commission = None
        return NodeForecast(
            node=node,
            name=name,
            currency=PLANNING_CURRENCY,
            closed=closed,
            open_expected=open_exp,
            not_yet_created=later,
            expected=expected,
            low=money(low),
            high=money(high),
            weighted_pipeline=closed + money(rows["weighted"].sum()),
            commit=self._own_or_children(
                self.calls.get("commit", {}), person, children, lambda c: c.commit
            ),
            best_case=self._own_or_children(
                self.calls.get("best_case", {}), person, children, lambda c: c.best_case
            ),
            quota=quota,
            expected_attainment=((expected / quota).quantize(Decimal("0.0001")) if quota else None),
            expected_commission=commission,
            children=children,
            open_deals=int(rows["open_deals"].sum()),
        )


def _outlooks(
    open_deals: pd.DataFrame, as_of: dt.date, window: ForecastPeriod, book: PipelineBook
) -> tuple[DealOutlook, ...]:
    if open_deals.empty:
        return ()
    amount = open_deals["amount_usd"].to_numpy(float)
    p = open_deals["p_close"].to_numpy(float)
    swing = amount * np.sqrt(p * (1 - p))
    big = amount >= np.quantile(amount, RISK_AMOUNT_SHARE)
    close = pd.to_datetime(open_deals["close_date"])
    overdue = (close < pd.Timestamp(as_of)).to_numpy() & book.knows_history
    slipped = open_deals["slips"].fillna(0).to_numpy() > 0
    at_risk = big & ((p < RISK_P) | slipped | overdue)
    order = np.argsort(-swing, kind="stable")
    out = []
    for k in order:
        row: Any = open_deals.iloc[k]
        reasons = list(row["reasons"])
        if overdue[k]:
            reasons.append("expected close date has passed")
        expected_close = pd.Timestamp(row["close_date"])
        if pd.isna(expected_close):
            reasons.append("no expected close date")
        out.append(
            DealOutlook(
                deal=str(row["deal"]),
                name=str(row.get("name") or row["deal"]),
                owner=str(row["owner"]),
                stage=str(row["stage"]),
                close_date=window.end if pd.isna(expected_close) else expected_close.date(),
                amount=money(amount[k]),
                currency=PLANNING_CURRENCY,
                p_win=float(row["p_win"]),
                p_close_in_period=float(p[k]),
                expected=money(amount[k] * p[k]),
                swing=money(swing[k]),
                reasons=tuple(reasons),
                at_risk=bool(at_risk[k]),
            )
        )
    return tuple(out)
