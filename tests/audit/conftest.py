"""A small closed company, built once per store kind and copied for each tampering test."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pay"))

from pay_helpers import FINANCE, MANAGER, PLAN, PREPARER, approve_and_close, run_and_publish, seed


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


@pytest.fixture(scope="module")
def sqlite_original(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    from attain.audit.anchor import checkpoint_path
    from attain.data.store import get_engine

    folder = tmp_path_factory.mktemp("original")
    url = f"sqlite:///{folder / 'attain.db'}"
    run_id = build(url, folder)
    get_engine(url).dispose()
    return folder / "attain.db", checkpoint_path(get_engine(url)), run_id


@pytest.fixture
def closed_store(
    sqlite_original: tuple[Path, Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Store]:
    """A copy of the built SQLite store, with a copy of its checkpoint file."""
    db, marks, run_id = sqlite_original
    shutil.copy(db, tmp_path / "attain.db")
    shutil.copy(marks, tmp_path / "checkpoints.log")
    monkeypatch.setenv("ATTAIN_AUDIT_CHECKPOINTS", str(tmp_path / "checkpoints.log"))
    yield Store(f"sqlite:///{tmp_path / 'attain.db'}", run_id)


@pytest.fixture
def closed_pg_store(postgres_url: str, tmp_path: Path) -> Store:
    return Store(postgres_url, build(postgres_url, tmp_path))
