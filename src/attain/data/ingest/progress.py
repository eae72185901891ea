"""A progress bar on stderr for long imports; silent when stderr is not a terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

OnProgress = Callable[[int, int | None, str, int], None]
"""(done, total, unit of done and total: "bytes" or "rows", rows read so far)."""


def _quiet(done: int, total: int | None, unit: str, rows: int) -> None:
    return None


@contextmanager
def progress_bar(console: Console, label: str) -> Iterator[OnProgress]:
    """A callback that moves a Rich progress bar; the bar disappears when the import ends."""
    if not console.is_terminal:
        yield _quiet
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TextColumn("{task.fields[rows]} rows"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None, rows="0")

        def update(done: int, total: int | None, unit: str, rows: int) -> None:
            bar.update(task, completed=done, total=total, rows=f"{rows:,}")

        yield update


@contextmanager
def progress_lines(console: Console, label: str) -> Iterator[OnProgress]:
    """A callback that prints one line per batch checked (and written): for the logs of
    scheduled imports, where there is no terminal to draw a bar on."""

    def update(done: int, total: int | None, unit: str, rows: int) -> None:
        share = f" ({done / total:.0%} of the file)" if total else ""
        console.print(f"{label}: {rows:,} rows checked{share}", markup=False, highlight=False)

    yield update
