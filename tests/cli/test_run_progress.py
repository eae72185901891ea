"""`attain comp run` shows where the run is: the run reports each step in order, and on a
terminal the CLI draws them as a progress bar (piped output stays plain)."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from attain.cli.progress import step_progress
from attain.comp.runs.run import RUN_STEPS


def test_a_terminal_sees_the_bar_and_a_pipe_sees_nothing_of_it() -> None:
    shown = io.StringIO()
    terminal = Console(file=shown, force_terminal=True, width=100)
    with step_progress(terminal, "run") as moved:
        for i, step in enumerate(RUN_STEPS):
            moved(step, i, len(RUN_STEPS))
        bar_text = shown.getvalue()
    assert "run" in bar_text and "storing the run" in bar_text
    piped = io.StringIO()
    with step_progress(Console(file=piped, force_terminal=False), "run") as moved:
        moved(RUN_STEPS[0], 0, len(RUN_STEPS))
    assert piped.getvalue() == ""


def test_a_run_reports_every_step_in_order(tmp_path: Path) -> None:
    import datetime as dt

    from attain.comp.runs import calculate_run
    from attain.data.schema import Deal, Person, PlanAssignment
    from attain.data.store import session

    url = f"sqlite:///{tmp_path / 'attain.db'}"
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "ae.yaml").write_text(
        "id: ae\ncurrency: USD\nperiod: month\ncredits:\n"
        "  - {id: owner, from: deals, to: owner, value: amount, date: close_date}\n"
        "measures:\n  bookings: {sum: value}\n"
        "components:\n  - {id: commission, measure: bookings, rate: 0.1}\n"
    )
    with session(url) as s:
        s.add(Person(id="ana", name="Ana"))
        s.add(PlanAssignment(payee="ana", plan="ae", valid_from=dt.date(2027, 1, 1)))
        s.add(
            Deal(
                id="d1",
                owner="ana",
                stage="won",
                amount=1000,
                currency="USD",
                close_date=dt.date(2027, 1, 9),
            )
        )
    heard: list[tuple[str, int, int]] = []
    calculate_run(
        plans,
        dt.date(2027, 1, 1),
        dt.date(2027, 1, 31),
        url=url,
        progress=lambda *step: heard.append(step),
    )
    n = len(RUN_STEPS)
    assert heard == [*((s, i, n) for i, s in enumerate(RUN_STEPS)), ("done", n, n)]
