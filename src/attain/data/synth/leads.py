"""B2B leads whose attributes really predict conversion, through a known logistic model.

The model's coefficients are a hidden truth: a lead-scoring model fitted on these leads should
recover them (source and industry effects, the effect of company size; region has none).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from attain.data.synth import _arrow as arr
from attain.data.synth.accounts import INDUSTRY_POTENTIAL
from attain.data.synth.calendar import trend
from attain.data.synth.deals import DealBook
from attain.data.synth.names import company_names
from attain.data.synth.org import REGIONS, Org
from attain.data.synth.spec import SynthSpec, day_number, month_starts, rng_for

INTERCEPT = -2.0
SOURCE_EFFECT = {"web": 0.0, "referral": 1.2, "event": 0.5, "partner": 0.8, "outbound": -0.7}
SOURCE_SHARE = (0.4, 0.1, 0.15, 0.1, 0.25)
INDUSTRY_EFFECT = {
    "software": 0.4,
    "finance": 0.2,
    "healthcare": 0.0,
    "manufacturing": -0.1,
    "retail": -0.3,
    "education": -0.6,
}
SIZE_EFFECT = 0.6
"""Log-odds per tenfold company size, centred at 100 employees."""
LEADS_PER_REP_MONTH = 6.0


def conversion_probability(
    source: np.ndarray, industry: np.ndarray, size: np.ndarray
) -> np.ndarray:
    """The true chance a lead converts: logistic in source, industry and log10(size)."""
    logit = (
        INTERCEPT
        + np.vectorize(SOURCE_EFFECT.__getitem__, otypes=[float])(source)
        + np.vectorize(INDUSTRY_EFFECT.__getitem__, otypes=[float])(industry)
        + SIZE_EFFECT * (np.log10(size) - 2.0)
    )
    p: np.ndarray = 1.0 / (1.0 + np.exp(-logit))
    return p


def model_truth() -> dict[str, object]:
    return {
        "form": "logit(p) = intercept + source[source] + industry[industry] + size_per_log10 * (log10(size) - 2)",
        "intercept": INTERCEPT,
        "source": SOURCE_EFFECT,
        "industry": INDUSTRY_EFFECT,
        "size_per_log10": SIZE_EFFECT,
        "region": dict.fromkeys(REGIONS, 0.0),
        "note": "region has no effect: a model that finds one is fitting noise",
    }


def build_leads(spec: SynthSpec, org: Org, deals: DealBook) -> tuple[pa.Table, pa.Table]:
    rng = rng_for(spec.seed, "leads")
    start, end = day_number(spec.start), day_number(spec.end)
    n_months = spec.years * 12
    m_start = month_starts(spec.start, n_months + 1)
    reps = np.array(org.reps, dtype=np.int64)
    rep_region = np.array([org.territory_region[org.territory[r]] for r in reps])
    hired = np.array(org.hired)[reps]
    per_month = rng.poisson(
        LEADS_PER_REP_MONTH * len(reps) * trend((m_start[:-1] - start) / 365.25)
    )
    created = np.concatenate(
        [
            m_start[m] + rng.integers(0, m_start[m + 1] - m_start[m], k)
            for m, k in enumerate(per_month)
        ]
    )
    created.sort()
    n = len(created)
    regions = np.array([r for r in REGIONS if (rep_region == r).any()])
    region = regions[rng.integers(0, len(regions), n)]
    owner = np.full(n, -1, dtype=np.int64)
    for r in regions:
        rows = np.flatnonzero(region == r)
        pool = np.flatnonzero(rep_region == r)
        pool = pool[np.argsort(hired[pool])]
        # Only reps already hired can own a lead: choose among the first `available` of the pool.
        available = np.searchsorted(hired[pool], created[rows], side="right")
        available = np.maximum(available, 1)
        owner[rows] = reps[pool[(rng.random(len(rows)) * available).astype(np.int64)]]
    sources = np.array(list(SOURCE_EFFECT))
    source = sources[rng.choice(len(sources), n, p=SOURCE_SHARE)]
    industries = np.array(list(INDUSTRY_POTENTIAL))
    industry = industries[rng.integers(0, len(industries), n)]
    size = np.clip(np.exp(rng.normal(4.8, 1.6, n)), 2, 200_000).astype(np.int64)
    converts = rng.random(n) < conversion_probability(source, industry, size)
    decided_day = created + np.where(
        converts, 5 + rng.gamma(2.0, 7.0, n), 3 + rng.gamma(2.0, 5.0, n)
    ).astype(np.int64)
    decided = decided_day <= end
    status = np.where(decided, np.where(converts, "converted", "disqualified"), "working")
    converted = decided & converts
    deal = _linked_deals(owner, decided_day, converted, deals)
    lead_id = arr.ids("L", np.arange(1, n + 1), 7)
    leads = pa.table(
        {
            "id": lead_id,
            "created": arr.dates(created),
            "source": pa.array(source.tolist(), pa.string()),
            "company": pa.array(company_names(rng, n), pa.string()),
            "industry": pa.array(industry.tolist(), pa.string()),
            "size": pa.array(size, pa.int64()),
            "region": pa.array(region.tolist(), pa.string()),
            "owner": arr.pick(org.person, owner),
            "status": pa.array(status.tolist(), pa.string()),
            "converted_date": arr.dates(decided_day, ~converted),
            "deal": pc.if_else(
                pa.array(deal >= 0),
                pc.take(deals.table["id"], pa.array(np.maximum(deal, 0))),
                pa.scalar(None, pa.string()),
            ),
        }
    )
    return leads, _lead_events(rng, lead_id, org, owner, created, decided_day, converts, end)


def _linked_deals(
    owner: np.ndarray, day: np.ndarray, converted: np.ndarray, deals: DealBook
) -> np.ndarray:
    """The owner's first new deal created within 45 days of the conversion, if any."""
    out = np.full(len(owner), -1, dtype=np.int64)
    new = np.flatnonzero(deals.kind == "new")
    for who in np.unique(owner[converted]):
        theirs = new[deals.owner[new] == who]
        if not len(theirs):
            continue
        theirs = theirs[np.argsort(deals.created[theirs], kind="stable")]
        rows = np.flatnonzero(converted & (owner == who))
        at = np.searchsorted(deals.created[theirs], day[rows])
        ok = at < len(theirs)
        hit = theirs[np.minimum(at, len(theirs) - 1)]
        ok &= deals.created[hit] <= day[rows] + 45
        out[rows[ok]] = hit[ok]
    return out


def _lead_events(
    rng: np.random.Generator,
    lead_id: pa.Array,
    org: Org,
    owner: np.ndarray,
    created: np.ndarray,
    decided_day: np.ndarray,
    converts: np.ndarray,
    end: int,
) -> pa.Table:
    """created, one or more contacts, a meeting for most converting leads, then the outcome."""
    n = len(created)
    contacts = 1 + rng.poisson(1.0, n)
    meeting = converts | (rng.random(n) < 0.3)
    n_events = 1 + contacts + meeting + 1
    lead_k = np.repeat(np.arange(n), n_events)
    first = np.cumsum(n_events) - n_events
    pos = np.arange(len(lead_k)) - np.repeat(first, n_events)
    last = pos == n_events[lead_k] - 1
    is_meeting = meeting[lead_k] & (pos == n_events[lead_k] - 2)
    activity = np.where(
        pos == 0,
        "created",
        np.where(
            last,
            np.where(converts[lead_k], "converted", "disqualified"),
            np.where(is_meeting, "meeting", "contacted"),
        ),
    )
    frac = np.where(last, 1.0, pos / n_events[lead_k])
    span = (decided_day - created)[lead_k]
    day = created[lead_k] + np.floor(frac * span).astype(np.int64)
    seconds = day * 86_400 + (8 + np.minimum(pos, 10)) * 3600 + rng.integers(0, 3600, len(lead_k))
    keep = seconds < (end + 1) * 86_400
    ev = lead_k[keep]
    return pa.table(
        {
            "id": pc.binary_join_element_wise(
                pc.take(lead_id, pa.array(ev)), pc.cast(pa.array(pos[keep] + 1), pa.string()), "-"
            ),
            "lead": pc.take(lead_id, pa.array(ev)),
            "at": arr.timestamps(seconds[keep]),
            "activity": pa.array(activity[keep].tolist(), pa.string()),
            "by": arr.pick(org.person, owner[ev]),
        }
    )
