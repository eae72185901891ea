"""`python -m bench [NAME ...] [--quick]`: run the benchmarks (all by default) and print results.

Each benchmark is a module `bench/<name>.py` with `main(quick: bool) -> None`.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import time
from pathlib import Path


def available() -> list[str]:
    here = Path(__file__).parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_"))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "names", nargs="*", help=f"benchmarks to run (default: all of {available()})"
    )
    parser.add_argument("--quick", action="store_true", help="smaller datasets, for a smoke run")
    args = parser.parse_args()
    for name in args.names or available():
        print(f"\n=== bench/{name}.py{' (quick)' if args.quick else ''}")
        start = time.perf_counter()
        importlib.import_module(f"bench.{name}").main(quick=args.quick)
        print(f"=== {name}: {time.perf_counter() - start:.1f} s in all")


if __name__ == "__main__":
    main()
