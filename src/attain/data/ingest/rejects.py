"""The rows `--skip-invalid` left out, written back as they were with the reason added, so they
can be fixed and imported again."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TextIO


class Rejects:
    """A CSV of rejected rows, written beside its final name and moved there once it is whole."""

    def __init__(self, path: Path, header: list[str]) -> None:
        self.path = path
        self.header = header
        self.count = 0
        self._partial = path.with_name(path.name + ".partial")
        self._file: TextIO | None = None
        self._writer: csv.Writer | None = None  # type: ignore[name-defined]

    def add(self, fields: list[str], reason: str) -> None:
        if self._writer is None:
            self._file = open(self._partial, "w", encoding="utf-8", newline="")  # noqa: SIM115
            self._writer = csv.writer(self._file)
            reason_column = "reason" if "reason" not in self.header else "rejected_because"
            self._writer.writerow([*self.header, reason_column])
        self._writer.writerow([*fields, reason])
        self.count += 1

    def finish(self) -> Path | None:
        """Move the file into place; None when no row was rejected."""
        if self._file is None:
            return None
        self._file.close()
        self._partial.replace(self.path)
        return self.path

    def discard(self) -> None:
        if self._file is not None:
            self._file.close()
            self._partial.unlink(missing_ok=True)
