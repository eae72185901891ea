"""A small closed company, built once per store kind and copied for each tampering test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from tamper_world import Store, build


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
