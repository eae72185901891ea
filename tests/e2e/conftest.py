"""End-to-end fixtures: the app served by Uvicorn on a free loopback port over a small paid
company, and Debian's Chromium driven by Playwright (never a downloaded browser).

Without /usr/bin/chromium the tests are skipped with the reason; in CI (CI=true) they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))

from web_company import PASSWORDS, Company, build

CHROMIUM = os.environ.get("ATTAIN_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _need_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """Uvicorn in a thread, stopped at the end of the session."""

    def __init__(self, company: Company) -> None:
        import uvicorn

        from attain.web.app import create_app

        self.company = company
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(company.url, secure_cookies=False),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                return self
            time.sleep(0.05)
        raise RuntimeError("the server did not start")

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    _need_chromium()
    company = build(tmp_path_factory.mktemp("e2e"))
    with Server(company) as s:
        yield s


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    _need_chromium()
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


def login(page: Any, server: Server, role: str) -> None:
    page.goto(f"{server.url}/login")
    page.fill("#username", role)
    page.fill("#password", PASSWORDS[role])
    page.click("button[type=submit]")
    page.wait_for_load_state()
