"""pm4py's own Python, for the benchmarks and reference figures that set attain beside it.

pm4py is AGPL-3.0: it is never a dependency of attain nor imported by attain or its tests. It runs
only in a virtual environment of its own (`bench/.venvs/pm4py`, git-ignored, made on first use
with the versions pinned here) or in the interpreter named by `ATTAIN_PM4PY_PYTHON`, always in a
child process that this side talks to through files and JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PM4PY_VERSION = "2.7.23.11"
# pm4py's pandas reads Parquet through pyarrow; pinned so the figures are reproducible.
PM4PY_ENV_PINS = (f"pm4py=={PM4PY_VERSION}", "pyarrow==26.0.1")

BENCH = Path(__file__).resolve().parent
ENV = BENCH / ".venvs" / "pm4py"


def pm4py_python() -> Path:
    """The interpreter that has pm4py: `ATTAIN_PM4PY_PYTHON`, or the bench's own venv (made now)."""
    named = os.environ.get("ATTAIN_PM4PY_PYTHON")
    if named:
        return Path(named)
    python = ENV / "bin" / "python"
    stamp = ENV / ".installed"
    if not stamp.exists() or stamp.read_text() != " ".join(PM4PY_ENV_PINS):
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(ENV)], check=True)
        print(f"installing {', '.join(PM4PY_ENV_PINS)} into {ENV.relative_to(BENCH.parent)}")
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", *PM4PY_ENV_PINS],
            check=True,
        )
        stamp.write_text(" ".join(PM4PY_ENV_PINS))
    return python


def run_pm4py(script: str, *args: str) -> dict[str, object]:
    """Run `bench/<script>` under pm4py's Python; its last stdout line is JSON, returned here."""
    done = subprocess.run(
        [str(pm4py_python()), str(BENCH / script), *args],
        check=True,
        capture_output=True,
        text=True,
    )
    lines = done.stdout.strip().splitlines()
    result: dict[str, object] = json.loads(lines[-1])
    return result
