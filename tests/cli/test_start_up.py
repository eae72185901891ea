"""The command line starts without loading the engines its commands use: each command loads
its own when it runs, so `attain --help` and a quick command stay quick."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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


TINY = Path(__file__).resolve().parents[1] / "fixtures" / "process" / "tiny.xes"
MAP_A_FILE = """
import json, sys
from attain.cli import app
try:
    app(["process", "map", "--xes", sys.argv[1]])
except SystemExit as done:
    assert not done.code, done.code
print(json.dumps(list(sys.modules)))
"""


def test_mapping_a_file_loads_neither_the_store_nor_the_other_process_engines() -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", MAP_A_FILE, str(TINY)], capture_output=True, text=True, check=True
    )
    modules = json.loads(loaded.stdout.strip().splitlines()[-1])
    assert "attain.process.discovery" in modules
    unneeded = ("sqlalchemy", "attain.data.store", "attain.data.stages", "attain.process.rework")
    assert [m for m in modules if m.split(".")[0] == "sqlalchemy" or m in unneeded] == []


def test_the_demo_defaults_shown_in_help_are_the_generators() -> None:
    assert (demo_commands.DEMO_SEED, demo_commands.DEMO_B2B_REPS) == (
        demo.DEMO_SEED,
        demo.DEMO_B2B_REPS,
    )
