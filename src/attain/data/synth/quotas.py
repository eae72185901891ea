"""Quotas as a sales manager sets them: last year's actual plus a growth target.

They are deliberately not the true potential: a rep who over-performed last year gets a higher
bar, a rich territory worked by a weak rep gets a low one. Where there is no last year (the
first year of history, new hires) managers fall back on a peer average, ramped for new hires.

Whatever the seed and the day, every quota is positive: a month, quarter or week without sales
last year (or a team without sellers) never gives a quota of zero a year later, because the
engine refuses to divide by one. Money quotas are in the payee's currency; unit quotas have none.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from attain.data.synth import _arrow as arr
from attain.data.synth.calendar import ANNUAL_GROWTH, month_index
from attain.data.synth.deals import DealBook
from attain.data.synth.orders import OrderBook
from attain.data.synth.org import B2B_RAMP_MONTHS, B2C_RAMP_MONTHS, NEVER, Org, ramp
from attain.data.synth.spec import EPOCH, SynthSpec, day_number, rng_for

B2B_GROWTH_TARGET = 0.15
B2C_GROWTH_TARGET = 0.08
QUARTER_SHARE = np.array([0.22, 0.24, 0.24, 0.30])
"""How managers spread an annual bookings quota over the quarters."""
THOUSAND = 100_000
"""A thousand currency units, in cents: bookings quotas are set in whole thousands."""
NOMINAL_ANNUAL_BOOKINGS = 500 * THOUSAND
"""The annual bookings quota a manager falls back on when no rep anywhere booked anything."""
NOMINAL_WEEKLY_REVENUE = 10_000 * 100
"""A store's weekly revenue target when no store sold anything to compare with."""
PEER_FLOOR = 0.25
"""A quota is never below this share of what peers are given (ramp aside): no quota of zero."""
UNIT_QUOTAS = frozenset({"units"})
"""Measures counted in units: their quotas carry no currency."""


class _Rows:
    def __init__(self, org: Org) -> None:
        self.org = org
        self.payee: list[str] = []
        self.measure: list[str] = []
        self.period: list[str] = []
        self.currency: list[str | None] = []
        self.cents: list[np.ndarray] = []

    def add(self, people: list[int], measure: str, periods: list[str], cents: np.ndarray) -> None:
        """Quotas of `people` (org indices); a money quota is in the person's own currency."""
        cents = np.asarray(cents, dtype=np.int64)
        assert (cents > 0).all(), f"a {measure} quota of zero or less was generated"
        self.payee += [self.org.person[p] for p in people]
        self.measure += [measure] * len(people)
        self.period += periods
        money = measure not in UNIT_QUOTAS
        self.currency += [self.org.currency[p] if money else None for p in people]
        self.cents.append(cents)

    def table(self) -> pa.Table:
        cents = np.concatenate(self.cents) if self.cents else np.zeros(0, np.int64)
        return pa.table(
            {
                "payee": pa.array(self.payee, pa.string()),
                "measure": pa.array(self.measure, pa.string()),
                "period": pa.array(self.period, pa.string()),
                "amount": arr.money(cents),
                "currency": pa.array(self.currency, pa.string()),
            }
        )


def build_quotas(
    spec: SynthSpec, org: Org, deals: DealBook | None, orders: OrderBook | None
) -> pa.Table:
    rows = _Rows(org)
    if deals is not None and org.reps:
        _bookings_quotas(spec, org, deals, rows)
    if orders is not None and org.associates:
        _retail_quotas(spec, org, orders, rows)
    return rows.table()


def _bookings_quotas(spec: SynthSpec, org: Org, deals: DealBook, rows: _Rows) -> None:
    rng = rng_for(spec.seed, "quotas")
    reps = np.array(org.reps)
    years = list(range(spec.start.year, spec.end.year + 1))
    start, end = day_number(spec.start), day_number(spec.end)
    close_year = (
        np.array(deals.close, dtype="datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
    )
    won_cents = np.where(deals.won, deals.amount_cents, 0)
    order = np.argsort(reps)
    rep_k = order[np.searchsorted(reps[order], deals.owner)]
    hired = np.array(org.hired)[reps]
    region = np.array([org.territory_region[org.territory[r]] for r in reps])
    actual = {
        y: np.bincount(
            rep_k[close_year == y], weights=won_cents[close_year == y], minlength=len(reps)
        )
        for y in years
    }
    first_year = np.bincount(
        rep_k[deals.close < start + 365],
        weights=won_cents[deals.close < start + 365],
        minlength=len(reps),
    )
    manager_sum: dict[tuple[int, int], np.ndarray] = {}
    for y in years:
        y_start = day_number(dt.date(y, 1, 1))
        prior_full = y - 1 >= spec.start.year and day_number(dt.date(y - 1, 1, 1)) >= start
        if prior_full:
            known = hired <= day_number(dt.date(y - 1, 1, 1))
            base: np.ndarray = actual[y - 1].copy()
        else:
            # No last year in the data: the manager knew it. Stand in with each tenured rep's
            # first-year result, shrunk by a year of growth and blurred by the year's luck.
            known = hired <= start - 365
            luck = rng.lognormal(-0.01, 0.15, len(reps))
            base = first_year / (1 + ANNUAL_GROWTH) * luck
        # A rep with nothing to show for last year is given the region's typical quota, not zero;
        # a region with nothing to show at all, the company's.
        known = known & (base > 0)
        anyone = first_year[first_year > 0]
        company = float(np.mean(anyone)) if anyone.size else NOMINAL_ANNUAL_BOOKINGS
        for r in np.unique(region):
            mine = region == r
            peers = mine & known
            fallback = float(np.mean(base[peers])) if peers.any() else company
            if not fallback > 0:
                fallback = company
            base = np.where(mine & ~known, fallback, base)
        annual = base * (1 + B2B_GROWTH_TARGET)
        months = np.arange(12)
        month_start = np.array([day_number(dt.date(y, m + 1, 1)) for m in months])
        since_hire = (month_start[None, :] - hired[:, None]) / 30.44
        # A new hire's quota is ramped, and nothing is due before they join.
        share = np.repeat(QUARTER_SHARE / 3, 3)[None, :] * np.where(
            month_start[None, :] + 27 >= hired[:, None], ramp(since_hire, B2B_RAMP_MONTHS), 0.0
        )
        due = share.reshape(len(reps), 4, 3).sum(axis=2) > 0
        quarter = (annual[:, None] * share).reshape(len(reps), 4, 3).sum(axis=2)
        # Whole thousands, and at least one thousand in a quarter the rep works in.
        quarter = np.where(due, np.maximum(np.round(quarter / THOUSAND), 1) * THOUSAND, 0)
        if y_start > end:
            continue
        # Quarters that start after the history are not set yet (nor their rates known).
        begun = [q for q in range(4) if month_start[3 * q] <= end]
        for k in np.flatnonzero(due.any(axis=1)):
            quarters = [q for q in begun if due[k, q]]
            rows.add(
                [int(reps[k])] * (1 + len(quarters)),
                "bookings",
                [str(y), *(f"{y}-Q{q + 1}" for q in quarters)],
                np.array([quarter[k].sum(), *quarter[k][quarters]]),
            )
            # Each manager the rep reports to on the first of a month carries that month's third
            # of the rep's quarter, so a manager who takes over a team mid-year gets a quota too.
            for q in range(4):
                for m in range(3):
                    first = int(month_start[3 * q + m])
                    boss = org.version_on(int(reps[k]), max(first, int(hired[k])))[1]
                    manager_sum.setdefault((boss, y), np.zeros(4))
                    manager_sum[(boss, y)][q] += quarter[k][q] / 3
    _manager_quotas(spec, org, manager_sum, rows)


def _manager_quotas(
    spec: SynthSpec, org: Org, summed: dict[tuple[int, int], np.ndarray], rows: _Rows
) -> None:
    """Each sales manager's quarters are the sum of their reps' (whole thousands); a quarter
    the manager holds the role with nobody (yet) reporting gets a typical manager's quarter."""
    typical = [q for v in summed.values() for q in v if q > 0]
    floor = float(np.median(typical)) if typical else NOMINAL_ANNUAL_BOOKINGS / 4
    start, end = day_number(spec.start), day_number(spec.end)
    roles = {p for p, role in enumerate(org.role) if role == "sales_manager"}
    managers = sorted(roles | {boss for boss, _ in summed})
    for boss in managers:
        first, last = max(org.hired[boss], start), min(org.left[boss], end)
        for y in range(spec.start.year, spec.end.year + 1):
            held = [
                q
                for q in range(4)
                if day_number(dt.date(y, 3 * q + 1, 1)) <= last
                and first < day_number(dt.date(y + (q == 3), (3 * q + 3) % 12 + 1, 1))
            ]
            if not held:
                continue
            mine = summed.get((boss, y), np.zeros(4))
            quarters = np.round(np.where(mine > 0, mine, floor) / THOUSAND) * THOUSAND
            quarters = np.maximum(quarters, THOUSAND)[held]
            rows.add(
                [boss] * (1 + len(held)),
                "bookings",
                [str(y), *(f"{y}-Q{q + 1}" for q in held)],
                np.array([quarters.sum(), *quarters]),
            )


def _retail_quotas(spec: SynthSpec, org: Org, orders: OrderBook, rows: _Rows) -> None:
    people = np.array(org.associates)
    n_months = spec.years * 12
    first_month = spec.start.year * 12 + spec.start.month - 1
    m = month_index(orders.day) - (first_month - 1970 * 12)
    key = orders.associate * n_months + m
    size = len(people) * n_months
    revenue = np.bincount(key, weights=orders.amount_cents, minlength=size).reshape(
        len(people), n_months
    )
    units = np.bincount(key, weights=orders.units, minlength=size).reshape(len(people), n_months)
    hired = np.array(org.hired)[people]
    left = np.minimum(np.array(org.left)[people], NEVER)
    store = np.array(org.associate_store)
    labels = [
        f"{(first_month + i) // 12}-{(first_month + i) % 12 + 1:02d}" for i in range(n_months + 1)
    ]
    bounds = np.array([day_number(dt.date(int(x[:4]), int(x[5:]), 1)) for x in labels])
    active = (hired[:, None] <= bounds[None, 1:] - 1) & (left[:, None] >= bounds[None, :-1])
    full = (hired[:, None] <= bounds[None, :-1]) & (left[:, None] >= bounds[None, 1:] - 1)
    on_ramp = ramp((bounds[None, :-1] - hired[:, None]) / 30.44, B2C_RAMP_MONTHS)
    n_stores = int(store.max()) + 1 if len(store) else 0
    first_year = min(12, n_months)

    def store_mean(cells: np.ndarray, values: np.ndarray, fallback: np.ndarray) -> np.ndarray:
        """Each store's average over its fully staffed associate-months (`cells`)."""
        total = np.bincount(store, weights=(values * cells).sum(axis=1), minlength=n_stores)
        count = np.bincount(store, weights=cells.sum(axis=1), minlength=n_stores)
        out: np.ndarray = np.where(count > 0, total / np.maximum(count, 1), fallback)
        return out

    for name, actual in (("revenue", revenue), ("units", units)):
        overall = np.full(n_stores, max(float(actual[:, :first_year].mean()), 1.0))
        flat = store_mean(full[:, :first_year], actual[:, :first_year], overall)
        flat = np.where(flat > 0, flat, overall)
        quota = np.repeat(flat[store][:, None], n_months, axis=1)
        for i in range(12, n_months):
            had = full[:, i - 12]
            peer = store_mean(had[:, None], actual[:, i - 12 : i - 11], flat)
            peer = np.maximum(peer, PEER_FLOOR * flat)
            # Last year's month, unless it was empty (leave, a quiet month): then the peers'.
            mine = np.maximum(actual[:, i - 12], PEER_FLOOR * peer[store])
            quota[:, i] = np.where(had, mine, peer[store]) * (1 + B2C_GROWTH_TARGET)
        if name == "revenue":
            quota = np.round(quota * on_ramp / 100) * 100  # whole currency units
        else:
            quota = np.round(quota * on_ramp) * 100  # whole units, as a decimal
        quota = np.maximum(quota, 100)  # a new hire's first days still make at least one
        a_k, i_k = np.nonzero(active)
        rows.add([int(people[a]) for a in a_k], name, [labels[i] for i in i_k], quota[a_k, i_k])
    _store_weekly(spec, org, orders, rows)


def _store_weekly(spec: SynthSpec, org: Org, orders: OrderBook, rows: _Rows) -> None:
    """Store managers get a weekly revenue target per ISO week (`2026-W05`)."""
    start, end = day_number(spec.start), day_number(spec.end)
    monday = start - (start + 3) % 7
    week_k = (orders.day - monday) // 7
    n_weeks = int((end - monday) // 7 + 1)
    n_stores = len(org.store_id)
    revenue = np.bincount(
        orders.store * n_weeks + week_k, weights=orders.amount_cents, minlength=n_stores * n_weeks
    ).reshape(n_stores, n_weeks)
    iso = [(EPOCH + dt.timedelta(days=int(monday + 7 * w))).isocalendar() for w in range(n_weeks)]
    labels = [f"{y}-W{w:02d}" for y, w, _ in iso]
    complete = [monday + 7 * w >= start and monday + 7 * w + 6 <= end for w in range(n_weeks)]
    first = [w for w in range(n_weeks) if complete[w]][:52]
    flat = revenue[:, first].mean(axis=1) if first else revenue.mean(axis=1)
    typical = float(flat[flat > 0].mean()) if (flat > 0).any() else NOMINAL_WEEKLY_REVENUE
    flat = np.where(flat > 0, flat, typical)
    for w in range(n_weeks):
        # A week cut by the start or end of history gets the share of its days inside it.
        first_day, last_day = monday + 7 * w, monday + 7 * w + 6
        inside = (min(end, last_day) - max(start, first_day) + 1) / 7
        base = revenue[:, w - 52] if w >= 52 and complete[w - 52] else flat
        base = np.maximum(base, PEER_FLOOR * flat)  # a closed week last year is no target
        quota = np.maximum(np.round(base * (1 + B2C_GROWTH_TARGET) * inside / 100), 1) * 100
        rows.add(list(org.store_manager), "revenue", [labels[w]] * n_stores, quota)
