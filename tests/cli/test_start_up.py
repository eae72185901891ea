"""The command line starts without loading the engines its commands use: each command loads
its own when it runs, so `attain --help` and a quick command stay quick."""

from __future__ import annotations

import json
import subprocess
import sys

from attain.cli import demo_commands
from attain.data.synth import demo

ENGINES = ("pandas", "alembic", "attain.comp", "attain.data.synth", "attain.audit", "ibis")


def test_loading_the_command_line_loads_no_engine() -> None:
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, json, attain.cli; print(json.dumps(list(sys.modules)))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    modules = json.loads(loaded.stdout)
    assert [m for m in modules if any(m == e or m.startswith(e + ".") for e in ENGINES)] == []


def test_the_demo_defaults_shown_in_help_are_the_generators() -> None:
    assert (demo_commands.DEMO_SEED, demo_commands.DEMO_B2B_REPS) == (
        demo.DEMO_SEED,
        demo.DEMO_B2B_REPS,
    )
