"""What an import did, in the counts a revenue-operations admin checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from attain.data.ingest.problems import Problem


@dataclass
class ImportReport:
    """The outcome of one import (nothing is counted twice: every row read is exactly one of
    inserted, updated, unchanged or rejected)."""

    table: str
    file: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """The first rejected rows' problems (at most 50 are kept)."""
    rejects_path: Path | None = None
    created_table: bool = False
    dry_run: bool = False
    preview: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    """The first valid rows (row number, values as written), when a preview was asked for."""
    written_ids: list[str] = field(default_factory=list)
    written_keys: list[tuple[str, ...]] = field(default_factory=list)
    """The `keep_keys` values of every row written, in order."""

    def summary(self) -> str:
        verb = "would import" if self.dry_run else "imported"
        created = " (new table)" if self.created_table else ""
        line = (
            f"{self.file} -> {self.table}{created}: {verb} {self.rows:,} "
            f"{'row' if self.rows == 1 else 'rows'}: "
            f"{self.inserted:,} inserted, {self.updated:,} updated, "
            f"{self.unchanged:,} unchanged, {self.rejected:,} rejected"
        )
        if self.rejects_path is not None:
            line += f" (rejected rows written to {self.rejects_path})"
        if self.dry_run:
            line += "; dry run, nothing was written"
        return line
