"""What was known about leads on a past day, and their outcome within the window, by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from attain.scores.lead_history import frame_of_leads, known_on, outcome_by, with_outcome

DAY = dt.date(2025, 6, 30)


def _leads() -> pd.DataFrame:
    """A: converted 20 days after creation, before DAY. B: converted 100 days after creation
    (outside the window). C: converted after DAY. D: disqualified after DAY. E: created 30 days
    before DAY, still open. F: created after DAY."""
    leads = pd.DataFrame(
        {
            "id": list("ABCDEF"),
            "created": [
                "2025-01-01",
                "2025-01-01",
                "2025-03-01",
                "2025-03-01",
                "2025-05-31",
                "2025-07-01",
            ],
            "source": "web",
            "industry": "retail",
            "size": [10, 20, 30, 40, None, 60],
            "region": "EMEA",
            "owner": "E1",
            "converted_date": ["2025-01-21", "2025-04-11", "2025-07-05", None, None, None],
        }
    )
    dropped = pd.DataFrame({"lead": ["D"], "disqualified": ["2025-07-02 10:00:00"]})
    return frame_of_leads(leads, dropped)


def test_known_on_a_day_hides_what_came_later() -> None:
    known = known_on(_leads(), DAY).set_index("id")
    assert list(known.index) == list("ABCDE")  # F did not exist yet
    assert known.loc["C", "converted_date"] is pd.NaT and known.loc["C", "open"]
    assert known.loc["D", "disqualified"] is pd.NaT and known.loc["D", "open"]
    assert not known.loc["A", "open"] and not known.loc["B", "open"]
    assert known.loc["E", "age_days"] == 30


def test_the_outcome_is_known_once_the_window_has_passed() -> None:
    """Window 90 days, DAY 2025-06-30: leads created by 2025-04-01 (A, B, C, D) have a known
        outcome. A converted in 20 days (1); B in 100 days (0, outside the window); C converted on
        2025-07-05 - after DAY, and 126 days after creation anyway (0); D was open (0). With a
    150-day window only A and B (created by 2025-01-31) are known."""
    ended = with_outcome(known_on(_leads(), DAY), DAY).set_index("id")
    assert ended["converted"].to_dict() == {"A": 1, "B": 0, "C": 0, "D": 0}
    longer = with_outcome(known_on(_leads(), DAY), DAY, window=150).set_index("id")
    assert longer["converted"].to_dict() == {"A": 1, "B": 1}  # B's 100 days now count
    assert outcome_by(_leads()).tolist() == [1, 0, 0, 0, 0, 0]
