"""The pipeline as of many days: the demo company's deals (120 reps, three years; quick: 30 reps)
loaded once, then rebuilt as of every other Monday, the way a backtest asks for it."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path

from attain.data.asof import DealHistory, calls_as_of
from attain.data.store import get_engine
from attain.data.synth import SynthSpec, generate
from attain.data.synth.write import write_store


def main(quick: bool) -> None:
    reps = 30 if quick else 120
    spec = SynthSpec(seed=42, b2b_reps=reps, years=3, start=dt.date(2023, 11, 1))
    with tempfile.TemporaryDirectory(prefix="attain-bench-") as tmp:
        engine = get_engine(f"sqlite:///{Path(tmp) / 'asof.db'}")
        company = generate(spec)
        write_store(company, engine)
        counts = company.row_counts()
        print(f"{counts['deals']:,} deals, {counts['deal_history']:,} snapshots, {reps} reps")
        start = time.perf_counter()
        history = DealHistory.load(engine)
        print(f"load once: {time.perf_counter() - start:.2f} s")
        first = spec.start + dt.timedelta(days=90 + (7 - spec.start.weekday()) % 7)
        days = [first + dt.timedelta(days=14 * k) for k in range(50)]
        days = [d for d in days if d <= spec.end]
        times = []
        for day in days:
            t = time.perf_counter()
            history.as_of(day)
            times.append(time.perf_counter() - t)
        times.sort()
        print(
            f"as_of at {len(days)} days: median {times[len(times) // 2] * 1000:.0f} ms, "
            f"slowest {times[-1] * 1000:.0f} ms, all {sum(times):.2f} s"
        )
        t = time.perf_counter()
        quarter = f"{days[-1].year}-Q{(days[-1].month - 1) // 3 + 1}"
        calls = calls_as_of(engine, days[-1], quarter)
        print(f"calls_as_of: {len(calls)} calls in {(time.perf_counter() - t) * 1000:.0f} ms")
