"""What is wrong with a rules text: each problem at its line and column, all of them at once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in the rules' text, at a line and column (both 1-based)."""

    line: int
    column: int
    message: str

    def at(self, source: str) -> str:
        """`file.yaml:3:5: message`, as compilers write it."""
        return f"{source}:{self.line}:{self.column}: {self.message}"


class RulesError(ValueError):
    """Rules that cannot be read: every problem found, each at its line and column. The
    message is the first problem in one line (with how many more there are)."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = tuple(sorted(problems))
        first = self.problems[0]
        more = len(self.problems) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        super().__init__(first.at(source) + tail)
        self.line = first.line
        self.column = first.column
