"""Fixtures shared by every test: real stores (SQLite file, PostgreSQL database), ../shared."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
POSTGRES_URL = os.environ.get(
    "ATTAIN_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session", autouse=True)
def audit_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The audit key and checkpoints of every test live in a temporary folder, never in ~
    (set before any store is built; a test may point them elsewhere with monkeypatch)."""
    home = tmp_path_factory.mktemp("audit-home")
    names = (
        "ATTAIN_AUDIT_HOME",
        "ATTAIN_AUDIT_KEY",
        "ATTAIN_AUDIT_KEYRING",
        "ATTAIN_AUDIT_CHECKPOINTS",
    )
    saved = {n: os.environ.pop(n, None) for n in names}
    os.environ["ATTAIN_AUDIT_HOME"] = str(home)
    yield home
    for name, value in saved.items():
        os.environ.pop(name, None)
        if value is not None:
            os.environ[name] = value


@pytest.fixture
def shared_dir() -> Path:
    """../shared (worked cases, real data); the test is skipped with the reason when absent."""
    if not SHARED.is_dir():
        pytest.skip(f"../shared is absent (looked for {SHARED.name}/ beside the project)")
    return SHARED


def _postgres_admin_url() -> str | None:
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL, connect_timeout=3, autocommit=True):
            return POSTGRES_URL
    except Exception:
        return None


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The test PostgreSQL's URL; skipped (with the reason) when it cannot be reached.

    CI sets ATTAIN_REQUIRE_POSTGRES=1 so that an unreachable server fails instead of skipping.
    """
    url = _postgres_admin_url()
    if url is None:
        msg = f"PostgreSQL not reachable at {POSTGRES_URL} (set ATTAIN_TEST_POSTGRES_URL)"
        if os.environ.get("ATTAIN_REQUIRE_POSTGRES"):
            pytest.fail(msg)
        pytest.skip(msg)
    return url


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    import psycopg

    name = f"attain_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = postgres_server.rsplit("/", 1)[0]
    url = f"{base}/{name}"
    yield url
    from attain.data.store import _engine, database_url

    _engine(database_url(url)).dispose()
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite store file for one test."""
    return f"sqlite:///{tmp_path / 'attain.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on each store: a fresh SQLite file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'attain.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(autouse=True)
def _no_cli_token(monkeypatch: pytest.MonkeyPatch) -> None:
    """A CLI command in a test acts as the token the test gives it, never one from the shell."""
    monkeypatch.delenv("ATTAIN_TOKEN", raising=False)


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashes() -> Iterator[None]:
    """Passwords in tests are argon2id at its cheapest settings (about 1 ms, not 150): every
    login and user a test makes goes through the same code, only faster. The production
    settings are asserted by tests/web/test_auth.py."""
    from argon2 import PasswordHasher

    from attain.accounts import passwords

    saved = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    passwords._hasher = saved
