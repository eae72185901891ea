"""A generated B2B company with leads from a known model, built once for the lead-score tests."""

from __future__ import annotations

import datetime as dt

import pytest

from attain.data.store import get_engine
from attain.data.synth import SynthSpec, generate, write_store

LEAD_COMPANY = SynthSpec(seed=5, b2b_reps=60, years=3, start=dt.date(2023, 1, 1))
"""About 15,000 leads from 2023 to 2025: a cutoff at 2024-10-02 trains on some 7,000."""


@pytest.fixture(scope="session")
def lead_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('leads') / 'company.db'}"
    write_store(generate(LEAD_COMPANY), get_engine(url))
    return url
