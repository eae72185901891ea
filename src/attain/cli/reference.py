"""The CLI reference in docs/cli.md, generated from the commands' own `--help` so it cannot drift.

`python -m attain.cli.reference > docs/cli.md` rewrites it; a test fails when it is stale.
"""

from __future__ import annotations

import os
from typing import Any

import typer
from typer.testing import CliRunner

from attain.cli import app


def command_paths() -> list[list[str]]:
    """Every command and sub-command, as argument lists: [], ["import"], ["cases", "check"], ..."""
    root: Any = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(group: Any, ctx: Any, prefix: list[str]) -> None:
        for name in sorted(group.list_commands(ctx)):
            cmd = group.get_command(ctx, name)
            if cmd is None or getattr(cmd, "hidden", False):
                continue
            paths.append([*prefix, name])
            if hasattr(cmd, "list_commands"):
                walk(
                    cmd, cmd.make_context(name, ["--help"], resilient_parsing=True), [*prefix, name]
                )

    walk(root, root.make_context("attain", [], resilient_parsing=True), [])
    return paths


def help_text(args: list[str]) -> str:
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    result = CliRunner().invoke(app, [*args, "--help"], env=env, prog_name="attain")
    return "\n".join(line.rstrip() for line in result.output.strip().splitlines())


def reference() -> str:
    """The whole reference as Markdown."""
    lines = ["# Command reference", "", "Generated from each command's `--help`.", ""]
    for args in [[], *command_paths()]:
        lines += [f"## `{' '.join(['attain', *args])}`", "", "```text", help_text(args), "```", ""]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(reference(), end="")
