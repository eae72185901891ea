"""Demo companies for rework and bottleneck tests: a small generated B2B company per seed, in a
SQLite store, with the stage falls-back the generator never makes added by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine, insert, select

from attain.data.schema import DealStageEvent
from attain.data.store import get_engine
from attain.data.synth import SynthSpec, generate, write_store

BOTTLENECK_SEEDS = {1: "assigned", 3: "resolved", 5: "investigating"}
"""Seeds whose demo company puts the ticket bottleneck at each of the three candidate steps."""
REPS = 20
"""About 1,500 tickets in two years (800 of normal priority): enough for a median within a few
per cent of the truth."""


def demo_store(folder: Path, seed: int) -> Engine:
    """A generated company (20 reps, two years of history) in a SQLite store under `folder`."""
    return write_company(get_engine(f"sqlite:///{folder / f'company-{seed}.db'}"), seed)


def write_company(engine: Engine, seed: int, reps: int = REPS, years: int = 2) -> Engine:
    """A generated company written into the (empty) store of `engine`."""
    write_store(generate(SynthSpec(seed=seed, b2b_reps=reps, years=years)), engine)
    return engine


FALLS_BACK = ("qualification", "prospecting")
"""The stages a reworked deal is sent back to, in turn."""


def add_falls_back(engine: Engine, every: int = 7) -> int:
    """Send one deal in `every` back a stage after its last event, and then forward again: the
    return (from the last stage to an earlier open one) is a regression, the move on is not.
    Returns how many events were added."""
    with engine.begin() as conn:
        last = conn.execute(
            select(
                DealStageEvent.deal,
                DealStageEvent.to_stage,
                DealStageEvent.at,
                DealStageEvent.by,
            ).order_by(DealStageEvent.deal, DealStageEvent.at.desc())
        ).all()
        latest: dict[str, tuple[str, dt.datetime, str | None]] = {}
        for deal, stage, at, by in last:
            latest.setdefault(deal, (stage, at, by))
        rows = []
        for k, (deal, (stage, at, by)) in enumerate(sorted(latest.items())):
            if k % every:
                continue
            back = FALLS_BACK[(k // every) % len(FALLS_BACK)]
            if back == stage:
                continue
            rows.append(
                {
                    "id": f"{deal}-back",
                    "deal": deal,
                    "from_stage": stage,
                    "to_stage": back,
                    "at": at + dt.timedelta(hours=1),
                    "by": by,
                }
            )
            rows.append(
                {
                    "id": f"{deal}-on",
                    "deal": deal,
                    "from_stage": back,
                    "to_stage": "proposal",
                    "at": at + dt.timedelta(hours=2),
                    "by": by,
                }
            )
        conn.execute(insert(DealStageEvent), rows)
    return len(rows)
