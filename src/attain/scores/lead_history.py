"""Leads as they stood on a past day, and their outcome within the conversion window, so a lead
score is trained and judged only on what was known then.

As of a day D, a lead exists if it was created on or before D; it had converted if its
`converted_date` is on or before D, and was disqualified if a dated `disqualified` event (in
`lead_events`) is on or before D; otherwise it was open. The `status` column is today's and is
never read for a past day. A lead's outcome is "converted within the window" (converted_date -
created <= window days); it is known on D once the whole window has passed (created + window
<= D), which is the only way the outcome of a lead that has not converted yet is certain.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, text

WINDOW_DAYS = 90
"""Conversion counts if it happens within this many days of the lead's creation."""

ATTRIBUTES = ("source", "industry", "size", "region", "owner")
"""What a lead is known by from the day it is created."""


def read_leads(engine: Engine) -> pd.DataFrame:
    """Every lead with its attributes, conversion date and dated disqualification (NaT if none)."""
    with engine.connect() as conn:
        leads = pd.read_sql(
            text(
                "SELECT id, created, source, industry, size, region, owner, converted_date "
                "FROM leads ORDER BY created, id"
            ),
            conn,
        )
        dropped = pd.read_sql(
            text(
                "SELECT lead, MIN(at) AS disqualified FROM lead_events "
                "WHERE activity = 'disqualified' GROUP BY lead"
            ),
            conn,
        )
    return frame_of_leads(leads, dropped)


def frame_of_leads(leads: pd.DataFrame, dropped: pd.DataFrame | None = None) -> pd.DataFrame:
    """Typed columns, oldest lead first: dates as datetime64 days, size as float (NaN unknown),
    categories as text ("unknown" when blank)."""
    out = leads.copy()
    out["created"] = pd.to_datetime(out["created"]).astype("datetime64[ns]")
    out["converted_date"] = pd.to_datetime(out["converted_date"]).astype("datetime64[ns]")
    if dropped is not None and len(dropped):
        days = pd.to_datetime(dropped["disqualified"]).dt.normalize().astype("datetime64[ns]")
        out["disqualified"] = out["id"].map(pd.Series(days.to_numpy(), index=dropped["lead"]))
    else:
        out["disqualified"] = pd.NaT
    out["disqualified"] = out["disqualified"].astype("datetime64[ns]")
    out["size"] = pd.to_numeric(out["size"], errors="coerce").astype(float)
    for c in ("source", "industry", "region", "owner"):
        out[c] = out[c].fillna("unknown").astype(str)
    return out.sort_values(["created", "id"], kind="stable").reset_index(drop=True)


def _day(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day)


def known_on(leads: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """The leads created on or before `day`, with only what was known at its end: conversion and
    disqualification dates after `day` are blanked, and `open` says the lead was still worked."""
    d = _day(day)
    out = leads[leads["created"] <= d].copy()
    out.loc[out["converted_date"] > d, "converted_date"] = pd.NaT
    out.loc[out["disqualified"] > d, "disqualified"] = pd.NaT
    out["open"] = out["converted_date"].isna() & out["disqualified"].isna()
    out["age_days"] = (d - out["created"]).dt.days.astype(int)
    return out


def with_outcome(known: pd.DataFrame, day: dt.date, window: int = WINDOW_DAYS) -> pd.DataFrame:
    """Of the leads known on `day`, those whose window had passed, with `converted` (1 if they
    converted within `window` days of creation, else 0)."""
    ended = known[known["created"] + pd.Timedelta(days=window) <= _day(day)].copy()
    took = (ended["converted_date"] - ended["created"]).dt.days
    ended["converted"] = (took.notna() & (took <= window)).astype(int)
    return ended


def outcome_by(leads: pd.DataFrame, window: int = WINDOW_DAYS) -> pd.Series:
    """What really happened (today's data): 1 if the lead converted within `window` days."""
    took = (leads["converted_date"] - leads["created"]).dt.days
    return (took.notna() & (took <= window)).astype(int)
