"""Fixtures for the pay lifecycle tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from pay_helpers import PLAN


@pytest.fixture
def plans_dir(tmp_path: Path) -> Path:
    """A folder with the monthly commission plan."""
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "ae.yaml").write_text(PLAN)
    return folder


@pytest.fixture(autouse=True)
def after_the_periods(monkeypatch: pytest.MonkeyPatch) -> None:
    """These companies pay 2027: judge their periods as of mid-2028, when every one is over."""
    import datetime as dt

    from attain.pay import periods

    monkeypatch.setattr(periods, "current_day", lambda: dt.date(2028, 6, 30))
