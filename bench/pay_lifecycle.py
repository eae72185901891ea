"""How long the pay lifecycle takes on a demo company's run: publish, close, verify, statements.

A demo company (120 sellers over three years; quick: 20 over two) is paid by one run, then the
run is published into the ledger (its inputs kept for verify), published again (nothing to
change), its first month approved and closed, the run recalculated from its kept inputs and
compared to the cent, one statement rendered as PDF, and the ASC 340-40 schedule built.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from attain.audit.actor import Actor
from attain.comp.demo import pay_step
from attain.data.store import get_engine
from attain.data.synth import SynthSpec, generate, write_store
from attain.data.synth.demo import DemoContext
from attain.pay import (
    approve_period,
    asc340_schedule,
    close_period,
    ledger_lines,
    prepare_period,
    publish_run,
    statement,
    verify_run,
)
from attain.pay.render import statement_pdf

T = TypeVar("T")
FINANCE = Actor("fay", "finance")


def timed(label: str, job: Callable[[], T]) -> T:
    start = time.perf_counter()
    out = job()
    print(f"{label:<28} {time.perf_counter() - start:7.2f} s")
    return out


def main(quick: bool) -> None:
    sellers, years = (10, 2) if quick else (60, 3)
    spec = SynthSpec(
        seed=3, b2b_reps=sellers, b2c_associates=sellers, years=years, start=dt.date(2024, 1, 1)
    )
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        ctx = DemoContext(url=url, company=generate(spec))
        write_store(ctx.company, get_engine(url), replace=True)  # type: ignore[arg-type]
        timed("calculate the run", lambda: pay_step(ctx))
        run = ctx.outputs["run"]
        print(f"run: {run.lines:,} lines from {run.credits:,} credits, {run.payees:,} payees")
        timed("publish (inputs kept)", lambda: publish_run(url, run.id, FINANCE))
        timed("publish again", lambda: publish_run(url, run.id, FINANCE))
        first = min(ln.period for ln in ledger_lines(url) if len(ln.period) == 7)

        def close() -> None:
            prepare_period(url, first, Actor("pat", "finance"))
            approve_period(url, first, Actor("mia", "manager"))
            approve_period(url, first, FINANCE)
            close_period(url, first, FINANCE)

        timed(f"approve and close {first}", close)
        verified = timed("comp verify", lambda: verify_run(url, run.id))
        print(f"verify: {verified.lines:,} lines, {len(verified.differences)} differences")
        payee = max(ledger_lines(url, period=first), key=lambda ln: ln.amount).payee
        pdf = timed(
            "statement as PDF", lambda: statement_pdf(statement(url, payee, first, FINANCE))
        )
        print(f"statement: {payee} {first}, {len(pdf):,} bytes")
        schedule, costs = timed("ASC 340-40 schedule", lambda: asc340_schedule(url))
        print(f"ASC 340-40: {len(costs):,} capitalised costs over {len(schedule)} months")
