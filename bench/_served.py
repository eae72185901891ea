"""`attain serve` in a child process for the web benchmarks: started on a free port, waited
for until it answers, stopped when the benchmark is done."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bench_workers() -> int:
    """Server worker processes: ATTAIN_BENCH_WEB_WORKERS, or one per core."""
    return int(os.environ.get("ATTAIN_BENCH_WEB_WORKERS", str(os.cpu_count() or 1)))


@contextmanager
def served(url: str, workers: int, log: Path | None = None) -> Iterator[tuple[int, str]]:
    """(port, base URL) of a server on the store at `url`; its stderr goes to `log` if given."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    stderr = log.open("wb") if log is not None else subprocess.PIPE
    command = [sys.executable, "-m", "attain", "serve", "--db", url, "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--workers", str(workers)], stdout=subprocess.DEVNULL, stderr=stderr
    )
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield port, base
    finally:
        server.terminate()
        server.wait(10)
        print(
            f"  server: attain serve --workers {workers}; {os.cpu_count()} cores shared with the load"
        )
