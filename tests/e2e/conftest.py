"""End-to-end fixtures: the app served by Uvicorn on a free loopback port over a small paid
company, and Debian's Chromium driven by Playwright (never a downloaded browser).

Without /usr/bin/chromium the tests are skipped with the reason; in CI (CI=true) they fail.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))

from e2e_server import ARGS, CHROMIUM, Server, need_chromium
from web_company import build


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    need_chromium()
    company = build(tmp_path_factory.mktemp("e2e"))
    with Server(company) as s:
        yield s


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture
def browser_context(playwright: Any) -> Iterator[Any]:
    """A fresh Chromium profile per test (its own user-data-dir), so no test sees another's cookies."""
    profile = tempfile.mkdtemp(prefix="attain-chromium-")
    context = playwright.chromium.launch_persistent_context(
        profile,
        executable_path=CHROMIUM,
        headless=True,
        args=ARGS,
        accept_downloads=True,
    )
    try:
        yield context
    finally:
        context.close()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def new_page(playwright: Any) -> Iterator[Any]:
    """Pages in fresh profiles (one per call), for tests with two people at once."""
    made: list[tuple[Any, str]] = []

    def make() -> Any:
        profile = tempfile.mkdtemp(prefix="attain-chromium-")
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=ARGS, accept_downloads=True
        )
        made.append((context, profile))
        return context.pages[0] if context.pages else context.new_page()

    yield make
    for context, profile in made:
        context.close()
        shutil.rmtree(profile, ignore_errors=True)
