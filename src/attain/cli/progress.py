"""A progress bar for long commands, on the terminal only (piped output stays plain)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn


@contextmanager
def step_progress(console: Console, title: str) -> Iterator[Callable[[str, int, int], None]]:
    """A callback (step, steps done, steps in all) that moves a bar while the block runs."""
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[step]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task(title, total=1, step="")

        def moved(step: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, step=step)
            bar.refresh()

        yield moved
