"""Demo and benchmark data: a realistic company generated from a seed, with its hidden truths.

>>> company = generate(SynthSpec(seed=1, b2b_reps=8))      # doctest: +SKIP
>>> write_store(company, get_engine("sqlite:///demo.db"))  # doctest: +SKIP
>>> truths("sqlite:///demo.db")["ticket_bottleneck"]      # doctest: +SKIP
"""

from __future__ import annotations

from attain.data.synth.company import Company, generate
from attain.data.synth.spec import SynthSpec, last_complete_month_start
from attain.data.synth.truths import truth, truths
from attain.data.synth.write import StoreNotEmpty, write_csv, write_store

__all__ = [
    "Company",
    "StoreNotEmpty",
    "SynthSpec",
    "generate",
    "last_complete_month_start",
    "truth",
    "truths",
    "write_csv",
    "write_store",
]
