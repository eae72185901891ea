"""An import completes or leaves the store exactly as it was: bad rows found late undo the batches
already written, and an import killed while writing, then run again, ends where one clean run
ends."""

from __future__ import annotations

import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from _ingest_support import load, rows, seed

from attain.data.ingest import InvalidRows


def _write_deals(path: Path, count: int, *, bad_last: bool = False) -> None:
    """Deals D-1 .. D-count (the first five update the fixture's deals), owned by seeded people."""
    owners = ("ana", "ben", "chloe")
    lines = ["id,name,owner,account,product,amount,currency,stage,created,close_date"]
    for i in range(1, count + 1):
        owner = "nobody" if bad_last and i == count else owners[i % 3]
        lines.append(
            f"D-{i},Deal {i},{owner},acme,gtx-pro,{i * 7}.25,USD,won,2027-01-{i % 28 + 1:02d},"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def another_store(request: pytest.FixtureRequest, store_url: str, tmp_path: Path) -> Iterator[str]:
    """A second fresh store of the same kind as `store_url`."""
    if store_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'clean.db'}"
        return
    import psycopg

    server = str(request.getfixturevalue("postgres_server"))
    name = f"attain_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{server.rsplit('/', 1)[0]}/{name}"
    yield url
    from attain.data.store import _engine, database_url

    _engine(database_url(url)).dispose()
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _starting_state(url: str) -> list[tuple[object, ...]]:
    seed(url)
    load(url, "deals", "deals.csv")
    return rows(url, "deals")


def test_bad_rows_in_a_late_batch_undo_the_earlier_batches(store_url: str, tmp_path: Path) -> None:
    before = _starting_state(store_url)
    path = tmp_path / "late.csv"
    _write_deals(path, 2_000, bad_last=True)
    with pytest.raises(InvalidRows) as caught:
        load(store_url, "deals", str(path), batch_rows=100)
    assert caught.value.lines() == [
        f"{path}:2001:owner: 'nobody' is not a known people.id (not in the store's people)"
    ]
    assert rows(store_url, "deals") == before


def _import_command(path: Path, url: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "attain",
        "import",
        "deals",
        str(path),
        "--db",
        url,
        "--batch-rows",
        "250",
        "--log-progress",
    ]


@pytest.mark.slow
def test_an_import_killed_while_writing_can_simply_be_run_again(
    store_url: str, another_store: str, tmp_path: Path
) -> None:
    before = _starting_state(store_url)
    path = tmp_path / "big.csv"
    _write_deals(path, 50_000)

    importing = subprocess.Popen(
        _import_command(path, store_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert importing.stderr is not None
    first = importing.stderr.readline()
    assert "big.csv -> deals: 250 rows checked" in first, first
    importing.send_signal(signal.SIGKILL)  # the first batch is written; the rest is under way
    importing.wait(timeout=30)
    importing.stderr.close()
    assert importing.returncode == -signal.SIGKILL, "the import finished before it was killed"
    assert rows(store_url, "deals") == before, "a killed import leaves the store as it was"

    rerun = subprocess.run(
        _import_command(path, store_url), capture_output=True, text=True, timeout=120, check=False
    )
    assert rerun.returncode == 0, rerun.stderr
    assert "50,000 rows: 49,995 inserted, 5 updated, 0 unchanged" in rerun.stdout

    _starting_state(another_store)
    load(another_store, "deals", str(path))
    assert rows(store_url, "deals") == rows(another_store, "deals")
