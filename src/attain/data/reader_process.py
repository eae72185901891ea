"""The one SQLite reader process of this process: started on the first read, then reused.

A read of a small store takes milliseconds; starting the reader (Python, Arrow, the ADBC
driver) took about 0.7 s, so a process that starts one per read spends most of each engine run
waiting for it. Reads are handed to the running reader one at a time (a lock). A reader that
gives no answer (it died) is replaced and the read, which changes nothing, is asked once more;
a forked child starts its own reader rather than share its parent's pipes.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import IO, Any


class ReaderError(RuntimeError):
    """A read the reader process could not do: the message says why."""


class ReaderProcess:
    """A long-lived `python -m attain.data.sqlite_reader`, fed one request at a time."""

    command: tuple[str, ...] = (sys.executable, "-m", "attain.data.sqlite_reader")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[str] | None = None
        self._stderr: IO[bytes] | None = None
        self._owner = 0
        self._why = ""

    def read(self, database: str, queries: list[dict[str, Any]], out: Path) -> None:
        """Write `out/<name>.arrow` for each query, as `attain.data.sqlite_reader` says; a
        relative `database` or `out` is taken from this process's working folder (the reader's
        may differ: it stays where it was started)."""
        request = json.dumps(
            {"database": os.path.abspath(database), "out": os.path.abspath(out), "queries": queries}
        )
        with self._lock:
            reply = self._ask(request)
            if not reply:
                reply = self._ask(request)
            if not reply:
                raise ReaderError(f"reading the SQLite store failed: the reader {self._why}")
        answer = json.loads(reply)
        if "error" in answer:
            raise ReaderError(f"reading the SQLite store failed: {answer['error']}")

    def _ask(self, request: str) -> str:
        """The reader's answer line, or "" when it ended without one (then dropped, with why)."""
        proc = self._running()
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(request + "\n")
            proc.stdin.flush()
            reply = proc.stdout.readline()
        except OSError:
            reply = ""
        if not reply:
            self._why = self._ended(proc)
        return reply

    @property
    def pid(self) -> int | None:
        """The running reader's process id (None before the first read)."""
        proc = self._proc
        return proc.pid if proc is not None and self._owner == os.getpid() else None

    def _running(self) -> subprocess.Popen[str]:
        proc = self._proc
        if proc is not None and self._owner == os.getpid():
            if proc.poll() is None:
                return proc
            _close_pipes(proc)
        self._drop_stderr()
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (kept open while the reader runs)
        self._proc = subprocess.Popen(
            list(self.command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
        )
        self._owner = os.getpid()
        return self._proc

    def _ended(self, proc: subprocess.Popen[str]) -> str:
        """Why the reader gave no answer (it is dropped, so the next read starts another)."""
        try:
            code = proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
        said = ""
        if self._stderr is not None:
            self._stderr.seek(0)
            lines = self._stderr.read().decode(errors="replace").strip().splitlines()
            said = f": {lines[-1]}" if lines else ""
        self._proc = None
        _close_pipes(proc)
        return f"process ended with exit code {code}{said}"

    def close(self) -> None:
        """End the reader (its input closes, so it leaves its loop)."""
        proc, self._proc = self._proc, None
        if proc is None or self._owner != os.getpid():
            self._drop_stderr()
            return
        _close_pipes(proc)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        self._drop_stderr()

    def _drop_stderr(self) -> None:
        if self._stderr is not None and self._owner == os.getpid():
            self._stderr.close()
        self._stderr = None

    def _after_fork(self) -> None:
        """In a forked child: forget the parent's reader (its pipes and its lock, which another
        thread may have held at the fork); the child's first read starts its own."""
        self._lock = threading.Lock()
        self._proc, self._stderr, self._owner = None, None, 0


def _close_pipes(proc: subprocess.Popen[str]) -> None:
    for pipe in (proc.stdin, proc.stdout):
        if pipe is not None:
            with contextlib.suppress(OSError):  # a pipe to a dead reader may fail to flush
                pipe.close()


READER = ReaderProcess()
"""This process's reader."""
atexit.register(READER.close)
os.register_at_fork(after_in_child=READER._after_fork)
