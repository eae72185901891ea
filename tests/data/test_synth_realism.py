"""The company behaves like the truths say: these fail if the generator ignores its own model."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from test_synth_shared import SPEC, company, frame, usd_rate

from attain.data.synth.leads import conversion_probability


def _decided() -> pd.DataFrame:
    deals = frame("deals")
    return deals[deals.stage.isin(["won", "lost"])].assign(
        close=lambda d: pd.to_datetime(d.close_date)
    )


def test_win_rate_is_plausible() -> None:
    decided = _decided()
    rate = (decided.stage == "won").mean()
    assert 0.2 < rate < 0.45, rate


def test_deals_peak_at_quarter_end_and_in_q4() -> None:
    won = _decided().query("stage == 'won'")
    month_in_quarter = won.groupby((won.close.dt.month - 1) % 3).size()
    assert month_in_quarter[2] > 1.3 * month_in_quarter[0]
    by_quarter = won.groupby(won.close.dt.quarter).size()
    assert by_quarter[4] > 1.15 * by_quarter[[1, 2, 3]].mean()


def test_retail_peaks_in_december_and_at_weekends() -> None:
    orders = frame("orders")
    day = pd.to_datetime(orders.date)
    by_month = orders.groupby(day.dt.month).size()
    assert by_month[12] > 1.3 * by_month[[2, 3, 4, 5, 6, 7, 8, 9]].mean()
    by_weekday = orders.groupby(day.dt.day_of_week).size()
    assert by_weekday[5] > 1.4 * by_weekday[1]
    returns = (orders.units < 0).mean()
    assert 0.01 < returns < 0.05
    assert (orders[orders.units < 0].amount < 0).all()


def test_new_hires_ramp() -> None:
    """Associates sell far less in their first two months than after six."""
    orders = frame("orders")
    people = frame("people").drop_duplicates("id").set_index("id")
    start = SPEC.start
    joiners = people[(people.role == "store_associate") & (people.hired > start)].index
    assert len(joiners) >= 5
    mine = orders[orders.seller.isin(joiners)]
    tenure = (pd.to_datetime(mine.date) - pd.to_datetime(mine.seller.map(people.hired))).dt.days
    early = (tenure < 61).sum() / 61
    later = (tenure >= 180).sum() / max(1, (tenure >= 180).groupby(mine.seller).any().sum())
    per_person_day_early = early / len(joiners)
    active_later = mine[tenure >= 180].seller.nunique()
    span_later = (
        mine[tenure >= 180].groupby("seller").date.agg(lambda d: (max(d) - min(d)).days + 1).sum()
    )
    per_person_day_later = (tenure >= 180).sum() / span_later
    assert active_later and later
    assert per_person_day_early < 0.6 * per_person_day_later


def test_new_reps_book_less_than_tenured_in_their_first_months() -> None:
    deals = frame("deals")
    people = frame("people").drop_duplicates("id").set_index("id")
    reps = people[people.role == "account_executive"]
    decided = _decided()
    months = pd.to_datetime(decided.close_date).dt.to_period("M")
    hired = pd.to_datetime(decided.owner.map(reps.hired)).dt.to_period("M")
    age = (months - hired).apply(lambda x: x.n)
    joiners = set(reps[reps.hired > SPEC.start].index)
    first = decided[decided.owner.isin(joiners) & (age < 3)]
    # Deals decided per rep-month: new hires in months 0-2 against tenured reps overall.
    new_rate = len(first) / (3 * len({o for o in joiners if reps.hired[o] < dt.date(2025, 9, 1)}))
    tenured = decided[~decided.owner.isin(joiners)]
    tenured_rate = len(tenured) / (24 * (len(reps) - len(joiners)))
    assert new_rate < 0.6 * tenured_rate
    assert len(deals) > 1000


def test_territory_potential_drives_bookings() -> None:
    won = _decided().query("stage == 'won'")
    usd = won.amount.astype(float) * usd_rate(won.currency, won.close_date)
    people = frame("people").drop_duplicates("id").set_index("id")
    reps = people[(people.role == "account_executive") & (people.hired < SPEC.start)]
    potential = company().truths["territory_potential"]["values"]
    table = pd.DataFrame(
        {
            "bookings": usd.groupby(won.owner).sum().reindex(reps.index).fillna(0.0),
            "potential": reps.territory.map(potential),
        }
    )
    assert table.corr(method="spearman").iloc[0, 1] > 0.4
    # Taking out what skill explains (the win probability), potential explains most of the rest.
    win = {
        k: v["win_probability"]
        for k, v in company().truths["rep_skill"]["values"].items()
        if "win_probability" in v
    }
    table["per_win"] = table.bookings / table.index.map(win)
    assert table[["per_win", "potential"]].corr(method="spearman").iloc[0, 1] > 0.6


def test_skill_drives_win_rate() -> None:
    decided = _decided()
    skill = {k: v["skill"] for k, v in company().truths["rep_skill"]["values"].items()}
    rate = (decided.stage == "won").groupby(decided.owner).mean()
    table = pd.DataFrame({"win": rate, "skill": rate.index.map(skill)})
    assert table.corr(method="spearman").iloc[0, 1] > 0.3


def test_lead_conversion_follows_the_true_model() -> None:
    leads = frame("leads")
    decided = leads[leads.status != "working"]
    converted = (decided.status == "converted").to_numpy()
    model = company().truths["lead_conversion_model"]
    by_source = pd.Series(converted).groupby(decided.source.to_numpy()).mean()
    ranked = sorted(model["source"], key=model["source"].get)
    assert by_source[ranked[-1]] > by_source["web"] > by_source[ranked[0]]
    big = converted[decided["size"].to_numpy() >= 1000].mean()
    small = converted[decided["size"].to_numpy() < 50].mean()
    assert big > small + 0.05
    # The true probabilities separate converters from the rest (AUC well above chance).
    p = conversion_probability(
        decided.source.to_numpy(), decided.industry.to_numpy(), decided["size"].to_numpy()
    )
    ranks = pd.Series(p).rank().to_numpy()
    n_pos, n_neg = converted.sum(), (~converted).sum()
    auc = (ranks[converted].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)
    assert auc > 0.68, auc
    # Region carries no effect.
    by_region = pd.Series(converted).groupby(decided.region.to_numpy()).mean()
    assert by_region.max() - by_region.min() < 0.05
    linked = leads[leads.status == "converted"].deal.notna().mean()
    assert linked > 0.5


def test_bottleneck_step_has_the_longest_waits() -> None:
    events = frame("ticket_events").sort_values(["ticket", "at"])
    wait = events.groupby("ticket").at.diff().dt.total_seconds() / 3600
    medians = wait.groupby(events.activity).median().dropna()
    truth = company().truths["ticket_bottleneck"]
    assert medians.idxmax() == truth["step"]
    assert medians.max() > 2 * medians.drop(truth["step"]).max()


def test_quotas_are_not_the_true_potential() -> None:
    quotas = frame("quotas")
    people = frame("people").drop_duplicates("id").set_index("id")
    annual = (
        quotas[(quotas.measure == "bookings") & (quotas.period == "2025")]
        .set_index("payee")
        .amount.astype(float)
    )
    reps = people.loc[[p for p in annual.index if people.role[p] == "account_executive"]]
    potential = reps.territory.map(company().truths["territory_potential"]["values"])
    ratio = annual[reps.index] / potential
    assert ratio.std() / ratio.mean() > 0.15, "quotas should not be a fixed share of potential"
    assert np.isfinite(ratio).all()
