"""The tampering tests' store: a small company with a closed and an approved period."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pay"))

from pay_helpers import (
    FINANCE,
    MANAGER,
    PLAN,
    PREPARER,
    approve_and_close,
    run_and_publish,
    seed,
)


@dataclass(frozen=True)
class Store:
    url: str
    run_id: str


def build(url: str, folder: Path) -> str:
    """2027-01 closed, 2027-02 approved (not closed): the periods a tamperer goes after."""
    from attain.pay import approve_period, periods, prepare_period

    plans = folder / "plans"
    plans.mkdir(exist_ok=True)
    (plans / "ae.yaml").write_text(PLAN)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(periods, "current_day", lambda: dt.date(2028, 6, 30))
        seed(url)
        run_id = run_and_publish(url, plans)
        approve_and_close(url, "2027-01")
        prepare_period(url, "2027-02", PREPARER)
        approve_period(url, "2027-02", MANAGER)
        approve_period(url, "2027-02", FINANCE)
    return run_id
