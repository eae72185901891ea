"""A period is prepared only when it is over and its run covers all of it: a week with one day of
history, or the month still running, is not a period's pay yet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pay_helpers import FINANCE, PREPARER, seed

from attain.comp.runs import calculate_run
from attain.pay import PayError, period_state, prepare_period, publish_run

pytestmark = pytest.mark.parametrize("store_url", ["sqlite", "postgres"], indirect=True)


def _publish(url: str, plans: Path, start: dt.date, end: dt.date) -> None:
    publish_run(url, calculate_run(plans, start, end, url=url).id, FINANCE)


def test_a_period_the_run_covers_only_in_part_is_not_prepared(
    store_url: str, plans_dir: Path
) -> None:
    seed(store_url)
    _publish(store_url, plans_dir, dt.date(2027, 1, 5), dt.date(2027, 2, 10))
    march = dt.date(2027, 3, 15)
    with pytest.raises(PayError, match="covers only 2027-02-01 to 2027-02-10"):
        prepare_period(store_url, "2027-02", PREPARER, today=march)
    with pytest.raises(PayError, match="covers only 2027-01-05 to 2027-01-31"):
        prepare_period(store_url, "2027-01", PREPARER, today=march)
    assert period_state(store_url, "2027-01").status == "open"
    _publish(store_url, plans_dir, dt.date(2027, 1, 1), dt.date(2027, 2, 28))
    assert prepare_period(store_url, "2027-01", PREPARER, today=march).status == "prepared"
    assert prepare_period(store_url, "2027-02", PREPARER, today=march).status == "prepared"


def test_a_period_not_over_is_not_prepared(store_url: str, plans_dir: Path) -> None:
    seed(store_url)
    _publish(store_url, plans_dir, dt.date(2027, 1, 1), dt.date(2027, 2, 28))
    with pytest.raises(PayError, match="not over until 2027-02-28"):
        prepare_period(store_url, "2027-02", PREPARER, today=dt.date(2027, 2, 28))
    assert period_state(store_url, "2027-02").status == "open"
    assert prepare_period(store_url, "2027-02", PREPARER, today=dt.date(2027, 3, 1)).status == (
        "prepared"
    )
