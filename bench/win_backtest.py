"""The win score's backtest on a demo-sized company: 120 account executives, three years of deals
with their history (SynthSpec seed 42, the demo's), monthly fit days over the last two years
(quick: 20 executives, six fit days). Prints p_win and p_close_in_period beside the stage
probabilities, and the largest top-decile lift the base rate allows.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path

from attain.data.store import get_engine
from attain.data.synth import SynthSpec, generate, write_store
from attain.scores.win_backtest import backtest


def main(quick: bool) -> None:
    reps, months = (20, 6) if quick else (120, 24)
    spec = SynthSpec(seed=42, b2b_reps=reps, years=3, start=dt.date(2023, 11, 1))
    with tempfile.TemporaryDirectory() as folder:
        engine = get_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        write_store(generate(spec), engine)
        start = time.perf_counter()
        result = backtest(engine, months=months)
        took = time.perf_counter() - start
    print(f"{reps} executives, {months} fit days ({result.fit_days[0]} to {result.fit_days[-1]})")
    print(f"backtest: {took:.1f} s")
    for target, r in result.reports.items():
        b = r.baseline
        assert b is not None
        print(
            f"{target:>18}: {r.n:,} rows, rate {r.rate:.1%}; score AUC {r.auc:.3f} Brier "
            f"{r.brier:.4f} ECE {r.ece:.4f} lift {r.lift:.2f}; stage probability AUC "
            f"{b.auc:.3f} Brier {b.brier:.4f} ECE {b.ece:.4f} lift {b.lift:.2f}"
        )
    for note in result.notes:
        print(note)
