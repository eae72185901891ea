"""A log of four cases small enough that every figure of its map is worked out by hand.

- c1 (ana, 100.00 USD): Open 09:00, Review start 09:10, Review complete 09:40, Fix 10:00,
  Review start 10:00 (same instant as Fix, after it in the file), Review complete 10:30,
  Close 12:00: a loop back to Review and two start/complete pairs.
- c2 (ben, 50.00): Open, Close a day later.
- c3 (ana, no amount): next day, Open 08:00, Review start 08:00 (a tie), Review complete 09:00,
  Close 10:00.
- c4 (ben, 25.50): two days later, Open 09:00, Close 11:00.

The events are listed out of order (by case, shuffled) to show the order comes from
`(at, position)` and not from the file's grouping.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from attain.process.log import EventLog, from_arrow

DAY = dt.datetime(2026, 3, 2)


def at(day: int, hh: int, mm: int = 0) -> dt.datetime:
    return DAY + dt.timedelta(days=day, hours=hh, minutes=mm)


EVENTS = [
    # case, activity, at, lifecycle, resource
    ("c2", "Open", at(0, 9), None, "ben"),
    ("c1", "Open", at(0, 9), "complete", "ana"),
    ("c1", "Review", at(0, 9, 10), "start", "cy"),
    ("c1", "Review", at(0, 9, 40), "complete", "cy"),
    ("c1", "Fix", at(0, 10), "complete", "ana"),
    ("c1", "Review", at(0, 10), "start", "cy"),
    ("c1", "Review", at(0, 10, 30), "complete", "cy"),
    ("c3", "Open", at(1, 8), "complete", "ana"),
    ("c3", "Review", at(1, 8), "start", "dee"),
    ("c1", "Close", at(0, 12), "complete", "ana"),
    ("c3", "Review", at(1, 9), "complete", "dee"),
    ("c2", "Close", at(1, 9), None, "ben"),
    ("c3", "Close", at(1, 10), "complete", "ana"),
    ("c4", "Open", at(2, 9), None, "ben"),
    ("c4", "Close", at(2, 11), None, "ben"),
]


def handmade_log() -> EventLog:
    events = pa.table(
        {
            "case_id": [e[0] for e in EVENTS],
            "activity": [e[1] for e in EVENTS],
            "at": [e[2] for e in EVENTS],
            "lifecycle": [e[3] for e in EVENTS],
            "resource": [e[4] for e in EVENTS],
        }
    )
    cases = pa.table(
        {
            "case_id": ["c1", "c2", "c3", "c4"],
            "amount": pa.array(["100.00", "50.00", None, "25.50"], pa.string()),
            "owner": ["ana", "ben", "ana", "ben"],
            "segment": ["enterprise", "smb", "enterprise", "smb"],
        }
    )
    return from_arrow("handmade", events, cases, case_label="ticket", currency="USD")
