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
