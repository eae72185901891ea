"""What can go wrong in an import, said the way a user can act on it: `file:row:column: reason`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One bad value: where it is in the file (rows as a spreadsheet shows them) and why."""

    file: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.reason}"


class ImportFailed(Exception):
    """The import cannot start or finish (unknown table, missing column, unreadable file).

    Nothing was written. The message is one line a user can act on.
    """


class InvalidRows(ImportFailed):
    """Some rows failed validation, so nothing was written (without --skip-invalid)."""

    def __init__(self, file: str, problems: list[Problem], total: int, rows: int) -> None:
        self.file = file
        self.problems = problems
        self.total = total
        """How many problems there are in all (`problems` holds the first few)."""
        self.rows = rows
        """How many rows have at least one problem."""
        noun = "row" if rows == 1 else "rows"
        super().__init__(
            f"{file}: {rows:,} invalid {noun}; nothing was imported "
            "(fix them, or import the valid rows with --skip-invalid)"
        )

    def lines(self, limit: int = 50) -> list[str]:
        """The problems as `file:row:column: reason` lines, the first `limit`, then how many more."""
        out = [str(p) for p in self.problems[:limit]]
        if self.total > limit:
            out.append(f"... and {self.total - limit:,} more")
        return out


class SpecError(ImportFailed):
    """A mapping spec that cannot be used; the message names the spec, the column and the line."""
