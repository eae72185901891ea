"""A small generated company with known territory potential, shared by the quota tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.quota_backtest import build_company  # noqa: E402


@pytest.fixture(scope="module")
def company_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """40 reps, three years (2023-2025) of deals, read-only for the tests that use it."""
    url = f"sqlite:///{tmp_path_factory.mktemp('quota') / 'company.db'}"
    build_company(url, reps=40, deals=8_000, seed=3, empty_territories=1)
    return url


@pytest.fixture
def fresh_company(sqlite_url: str) -> str:
    """A company of its own for a test that writes (drafts, poisoned rows)."""
    build_company(sqlite_url, reps=24, deals=4_000, seed=5)
    return sqlite_url
