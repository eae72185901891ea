"""Fixtures for the action scenarios: one paid company built once, copied for each test."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from actions_world import World, build_world

from attain.data.store import _engine, database_url


@pytest.fixture(autouse=True)
def after_the_periods(monkeypatch: pytest.MonkeyPatch) -> None:
    """The company pays 2027: judge its periods as of mid-2028, when every one is over."""
    from attain.pay import periods

    monkeypatch.setattr(periods, "current_day", lambda: dt.date(2028, 6, 30))


@pytest.fixture(scope="session")
def company_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The company's SQLite file, built once per test run."""
    folder = tmp_path_factory.mktemp("company")
    url = f"sqlite:///{folder / 'attain.db'}"
    build_world(url, folder)
    _engine(database_url(url)).dispose()  # SQLite folds the WAL into the file on last close
    return folder / "attain.db"


@pytest.fixture
def world(company_file: Path, tmp_path: Path) -> World:
    """A copy of the company for one test."""
    shutil.copy(company_file, tmp_path / "attain.db")
    plans, files = tmp_path / "plans", tmp_path / "files"
    shutil.copytree(company_file.parent / "plans", plans)
    files.mkdir()
    return World(f"sqlite:///{tmp_path / 'attain.db'}", plans, files)
