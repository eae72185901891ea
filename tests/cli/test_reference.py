"""Every command answers --help, and docs/cli.md is the reference generated from that help."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from attain.cli import app
from attain.cli.reference import command_paths, reference

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


@pytest.mark.parametrize("args", command_paths(), ids=" ".join)
def test_every_command_has_help(args: list[str]) -> None:
    result = CliRunner().invoke(app, [*args, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_documented_commands_include_the_foundation() -> None:
    names = {" ".join(p) for p in command_paths()}
    assert {"init", "tables"} <= names


def test_cli_reference_is_current() -> None:
    assert DOCS.read_text() == reference(), (
        "docs/cli.md is stale: run `.venv/bin/python -m attain.cli.reference > docs/cli.md`"
    )
