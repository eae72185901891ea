"""Quota planning and backtest at scale: 5,000 reps and 1 million deals (quick: 500 / 100,000).

The company is generated here with a known true potential per territory (recorded in
`synth_truths`), so the same builder serves the tests: `build_company(url, reps=..., deals=...)`.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import Engine, insert

from attain.data.schema import Base
from attain.data.store import get_engine

REGIONS = ("NA", "EMEA", "UK")
CURRENCY = {"NA": "USD", "EMEA": "EUR", "UK": "GBP"}
FX = {"USD": 1.0, "EUR": 1.08, "GBP": 1.27}
SEGMENTS = ("enterprise", "mid_market", "smb")
INDUSTRIES = ("software", "retail", "manufacturing", "health", "finance", "energy")
INDUSTRY_GROWTH = {
    "software": 0.35,
    "retail": -0.10,
    "manufacturing": 0.02,
    "health": 0.20,
    "finance": 0.10,
    "energy": -0.05,
}
"""Yearly growth of an account's potential by industry: markets move, last year lags."""
SEASON = np.array([0.8, 0.9, 1.3, 0.85, 0.95, 1.3, 0.8, 0.85, 1.25, 0.9, 1.0, 1.8])
SEASON = SEASON / SEASON.sum()
WIN_RATE = 0.3
RAMP_MONTHS = 6
TRUTH_KEY = "territory_potential"
"""synth_truths key: {year: {territory: true potential in USD}} (an average, fully ramped rep)."""


@dataclass(frozen=True)
class Company:
    url: str
    years: tuple[int, ...]
    reps: int
    deals: int
    potential: dict[int, dict[str, float]]


def build_company(
    url: str,
    *,
    reps: int = 60,
    deals: int = 12_000,
    years: tuple[int, ...] = (2023, 2024, 2025),
    seed: int = 1,
    empty_territories: int = 0,
) -> Company:
    """Generate a B2B company into the store at `url`; the same arguments give the same rows."""
    rng = np.random.default_rng(seed)
    first, n_years = years[0], len(years)
    n_months = 12 * n_years
    region = np.array([REGIONS[i % 3] for i in range(reps)])
    terr_ids = [f"T{i + 1:05d}" for i in range(reps)]

    # Accounts: how many, how big, which industry: the territory's potential is theirs.
    n_acc = rng.poisson(12, reps) + 3
    n_acc[:empty_territories] = 0
    acc_terr = np.repeat(np.arange(reps), n_acc)
    n_accounts = len(acc_terr)
    size = np.round(rng.lognormal(5.0, 1.3, n_accounts)).astype(np.int64) + 5
    segment = np.where(size > 1000, 0, np.where(size > 200, 1, 2))
    industry = rng.integers(0, len(INDUSTRIES), n_accounts)
    acc_value = size**0.6 * rng.lognormal(0, 0.5, n_accounts)
    growth = np.array([INDUSTRY_GROWTH[INDUSTRIES[i]] for i in industry])
    acc_year = acc_value[:, None] * (1 + growth[:, None]) ** np.arange(n_years + 1)[None, :]
    potential_rel = np.zeros((reps, n_years + 1))
    np.add.at(potential_rel, acc_terr, acc_year)

    # Reps: skill, tenure; some leave and are replaced (a new hire in the same territory).
    skill = rng.lognormal(0, 0.25, reps)
    hired = np.array(
        [
            dt.date(first - 1 - int(rng.integers(0, 6)), int(rng.integers(1, 13)), 1)
            for _ in range(reps)
        ]
    )
    leaves = rng.random(reps) < 0.2
    leave_month = rng.integers(3, n_months + 6, reps)  # months after the first; beyond = never
    seats: list[tuple[str, int, dt.date, dt.date | None, float]] = []
    for t in range(reps):
        seats.append((f"R{t + 1:05d}", t, hired[t], None, float(skill[t])))
        if leaves[t] and leave_month[t] < n_months:
            m = int(leave_month[t])
            day = dt.date(first + m // 12, m % 12 + 1, 1)
            pid, _, h, _, s = seats[-1]
            seats[-1] = (pid, t, h, day - dt.timedelta(days=1), s)
            seats.append((f"R{t + 1:05d}b", t, day, None, float(rng.lognormal(0, 0.25))))

    # Monthly productivity of whoever is in each territory's seat.
    month_day = [dt.date(first + m // 12, m % 12 + 1, 1) for m in range(n_months)]
    seat_of = np.zeros((reps, n_months), dtype=np.int64)
    prod = np.zeros((reps, n_months))
    for k, (_, t, h, left, s) in enumerate(seats):
        for m, day in enumerate(month_day):
            if day >= h and (left is None or day <= left):
                since = (day.year - h.year) * 12 + day.month - h.month
                seat_of[t, m] = k
                prod[t, m] = s * min(1.0, (since + 1) / (RAMP_MONTHS + 1))

    yearly = potential_rel[:, :n_years].repeat(12, axis=1) * np.tile(SEASON * 12, n_years)
    expected = yearly * prod * (1.12 ** (np.arange(n_months) // 12))[None, :]
    won_target = deals * WIN_RATE
    lam = expected / expected.sum() * won_target
    won = rng.poisson(lam)
    lost = rng.poisson(lam * (1 - WIN_RATE) / WIN_RATE)
    deal_size = 50_000.0
    scale = deal_size * won_target / expected.sum()
    potential = {
        first + y: {
            terr_ids[t]: float(potential_rel[t, y] * 12 * 1.12**y * scale) for t in range(reps)
        }
        for y in range(n_years + 1)
    }
    rows = _deal_rows(
        rng, won, lost, seats, seat_of, acc_terr, n_acc, region, month_day, deal_size, n_months
    )

    engine = get_engine(url)
    _write(
        engine, terr_ids, region, acc_terr, size, segment, industry, seats, rows, years, potential
    )
    return Company(url, years, reps, len(rows["id"]), potential)


def _deal_rows(
    rng: np.random.Generator,
    won: np.ndarray,
    lost: np.ndarray,
    seats: list[tuple[str, int, dt.date, dt.date | None, float]],
    seat_of: np.ndarray,
    acc_terr: np.ndarray,
    n_acc: np.ndarray,
    region: np.ndarray,
    month_day: list[dt.date],
    deal_size: float,
    n_months: int,
) -> dict[str, list[object]]:
    counts = (won + lost).ravel()
    t_idx, m_idx = np.divmod(np.repeat(np.arange(counts.size), counts), n_months)
    is_won = (
        np.concatenate(
            [
                np.r_[np.ones(w, bool), np.zeros(lo, bool)]
                for w, lo in zip(won.ravel(), lost.ravel(), strict=True)
            ]
        )
        if counts.sum()
        else np.zeros(0, bool)
    )
    keep = n_acc[t_idx] > 0
    t_idx, m_idx, is_won = t_idx[keep], m_idx[keep], is_won[keep]
    n = len(t_idx)
    acc_start = np.concatenate([[0], np.cumsum(n_acc)[:-1]])
    account = acc_start[t_idx] + (rng.random(n) * n_acc[t_idx]).astype(np.int64)
    usd = deal_size * rng.lognormal(-0.18, 0.6, n)
    day_in = rng.integers(0, 28, n)
    month0 = np.array([np.datetime64(d) for d in month_day])
    close = month0[m_idx] + day_in.astype("timedelta64[D]")
    created = close - rng.integers(20, 150, n).astype("timedelta64[D]")
    last_day = month0[-1] + np.timedelta64(30, "D")
    still_open = rng.random(n) < 0.08
    still_open &= close > last_day - np.timedelta64(90, "D")
    currency = np.array([CURRENCY[r] for r in region])[t_idx]
    rate = np.array([FX[c] for c in currency])
    owner = np.array([s[0] for s in seats])[seat_of[t_idx, m_idx]]
    stage = np.where(still_open, "open", np.where(is_won, "closed_won", "closed_lost"))
    close_out = np.where(still_open, None, close.astype("datetime64[D]").astype(object))
    return {
        "id": [f"D{i + 1:08d}" for i in range(n)],
        "owner": owner.tolist(),
        "account": [f"A{a + 1:07d}" for a in account],
        "type": ["new"] * n,
        "amount": [f"{v:.2f}" for v in usd / rate],
        "currency": currency.tolist(),
        "stage": stage.tolist(),
        "created": created.astype("datetime64[D]").astype(object).tolist(),
        "close_date": close_out.tolist(),
    }


def _write(
    engine: Engine,
    terr_ids: list[str],
    region: np.ndarray,
    acc_terr: np.ndarray,
    size: np.ndarray,
    segment: np.ndarray,
    industry: np.ndarray,
    seats: list[tuple[str, int, dt.date, dt.date | None, float]],
    deals: dict[str, list[object]],
    years: tuple[int, ...],
    potential: dict[int, dict[str, float]],
) -> None:
    t = Base.metadata.tables
    managers = [
        {
            "id": f"M-{r}",
            "valid_from": dt.date(1900, 1, 1),
            "valid_to": None,
            "name": f"{r} manager",
            "role": "sales_manager",
            "manager": None,
            "team": f"sales-{r.lower()}",
            "territory": None,
            "currency": CURRENCY[r],
            "hired": dt.date(2010, 1, 1),
        }
        for r in REGIONS
    ]
    people = managers + [
        {
            "id": pid,
            "valid_from": h,
            "valid_to": left,
            "name": f"Rep {pid}",
            "role": "account_executive",
            "manager": f"M-{region[k]}",
            "team": f"sales-{region[k].lower()}",
            "territory": terr_ids[k],
            "currency": CURRENCY[region[k]],
            "hired": h,
        }
        for pid, k, h, left, _ in seats
    ]
    months = [f"{y}-{m:02d}" for y in range(years[0] - 1, years[-1] + 2) for m in range(1, 13)]
    with engine.begin() as conn:
        conn.execute(
            insert(t["teams"]),
            [
                {"id": f"sales-{r.lower()}", "name": f"{r} Sales", "business": "b2b"}
                for r in REGIONS
            ],
        )
        conn.execute(
            insert(t["territories"]),
            [{"id": tid, "name": tid, "region": str(region[k])} for k, tid in enumerate(terr_ids)],
        )
        conn.execute(insert(t["people"]), people)
        conn.execute(
            insert(t["accounts"]),
            [
                {
                    "id": f"A{a + 1:07d}",
                    "name": f"Account {a + 1}",
                    "segment": SEGMENTS[segment[a]],
                    "industry": INDUSTRIES[industry[a]],
                    "size": int(size[a]),
                    "region": str(region[acc_terr[a]]),
                    "territory": terr_ids[acc_terr[a]],
                }
                for a in range(len(acc_terr))
            ],
        )
        conn.execute(
            insert(t["fx_rates"]),
            [
                {"currency": c, "month": m, "rate": str(FX[c])}
                for c in ("EUR", "GBP")
                for m in months
            ],
        )
        conn.execute(
            insert(t["synth_truths"]),
            [
                {
                    "key": TRUTH_KEY,
                    "value": json.dumps(
                        {
                            str(y): {k: round(v, 2) for k, v in p.items()}
                            for y, p in potential.items()
                        }
                    ),
                }
            ],
        )
        _insert_deals(conn, deals)


def _insert_deals(conn: object, deals: dict[str, list[object]]) -> None:
    cols = list(deals)
    if conn.dialect.name == "sqlite":  # type: ignore[attr-defined]
        raw = conn.connection.dbapi_connection  # type: ignore[attr-defined]
        cur = raw.cursor()
        sql = f"INSERT INTO deals ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        values = [[None if v is None else str(v) for v in deals[c]] for c in cols]
        cur.executemany(sql, zip(*values, strict=True))
        cur.close()
        return
    table = Base.metadata.tables["deals"]
    rows = [dict(zip(cols, r, strict=True)) for r in zip(*deals.values(), strict=True)]
    for i in range(0, len(rows), 50_000):
        conn.execute(insert(table), rows[i : i + 50_000])  # type: ignore[attr-defined]


def main(quick: bool) -> None:
    from attain.quota import backtest, plan_quotas
    from attain.quota.plan import PlanRequest

    reps, deals = (500, 100_000) if quick else (5_000, 1_000_000)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        start = time.perf_counter()
        company = build_company(url, reps=reps, deals=deals)
        print(
            f"  generated {company.reps:,} reps, {company.deals:,} deals "
            f"in {time.perf_counter() - start:.1f} s"
        )
        engine = get_engine(url)
        for name in ("top_down", "historical_growth", "bottom_up", "data_driven"):
            start = time.perf_counter()
            result = plan_quotas(engine, name, PlanRequest(year=2026))
            print(
                f"  plan 2026 {name:<20} {time.perf_counter() - start:7.2f} s  "
                f"({len(result.quotas):,} quotas)"
            )
        start = time.perf_counter()
        report = backtest(engine, 2025)
        print(f"  backtest 2025 (4 methods)     {time.perf_counter() - start:7.2f} s in all")
        for stage, seconds in report.seconds.items():
            print(f"    {stage:<28} {seconds:7.2f} s")
