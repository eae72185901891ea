"""Keeping a run: the stored traces and credits, and the payee index rebuilt for big runs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from test_runs import EXPECTED, PLAN, _seed

from attain.comp.runs import calculate_run, run_lines
from attain.comp.runs import record as record_module
from attain.comp.runs.schema import RunCredit
from attain.data.store import get_engine


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "ae.yaml").write_text(PLAN)
    return folder


@pytest.mark.parametrize("rebuild_from", [1, 10**9])
def test_credits_and_traces_are_kept_with_or_without_an_index_rebuild(
    sqlite_url: str,
    plans: Path,
    rebuild_from: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(record_module, "REBUILD_FROM", rebuild_from)
    _seed(sqlite_url)
    span = dt.date(2027, 1, 1), dt.date(2027, 6, 30)
    first = calculate_run(plans, *span, url=sqlite_url)
    second = calculate_run(plans, *span, url=sqlite_url)  # a second run: nothing rebuilt wrongly
    engine = get_engine(sqlite_url)
    with engine.connect() as conn:
        index = conn.execute(
            text("SELECT sql FROM sqlite_master WHERE name = 'ix_comp_run_credits_payee'")
        ).scalar_one()
        stored = conn.execute(select(func.count()).select_from(RunCredit)).scalar_one()
    assert "run_id" in index and "payee" in index
    assert stored == first.credits + second.credits
    for summary in (first, second):
        lines = run_lines(engine, summary.id)
        assert {(ln.payee, ln.period, ln.component): ln.amount for ln in lines} == EXPECTED
        for ln in lines:
            ids = ln.trace.get("credit_ids", [])
            assert ids == sorted(set(ids))
            json.dumps(ln.trace)
