"""`attain process rework|resources|compare` on a small XES log whose rework, hand-offs,
concentration and per-slice shares are counted here by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from attain.cli import app

# c1 loops back to A; c2 and c3 do not. ana does every A and C, B is shared by ben and cy.
CASES = {
    "c1": ("north", [("A", "ana"), ("B", "ben"), ("A", "ana"), ("C", "ana")]),
    "c2": ("south", [("A", "ana"), ("C", "ana")]),
    "c3": ("south", [("A", "ana"), ("B", "cy"), ("C", "ana")]),
}


def _xes(path: Path) -> Path:
    traces = []
    for case, (region, steps) in CASES.items():
        events = "".join(
            f'<event><string key="concept:name" value="{a}"/>'
            f'<string key="org:resource" value="{who}"/>'
            f'<date key="time:timestamp" value="2024-05-0{i + 1}T10:00:00Z"/></event>'
            for i, (a, who) in enumerate(steps)
        )
        traces.append(
            f'<trace><string key="concept:name" value="{case}"/>'
            f'<string key="region" value="{region}"/>{events}</trace>'
        )
    path.write_text(f'<log xes.version="1.0">{"".join(traces)}</log>', encoding="utf-8")
    return path


def run(*args: str) -> str:
    result = CliRunner().invoke(app, ["process", *args], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def row(out: str, *cells: str) -> bool:
    """Whether a table row holds these cells in this order."""
    pattern = r"│\s*" + r"\s*│\s*".join(re.escape(c) for c in cells) + r"\s*│"
    return re.search(pattern, out) is not None


@pytest.fixture(scope="module")
def log_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(_xes(tmp_path_factory.mktemp("people") / "people.xes"))


def test_rework_per_case_lists_the_loop(log_file: str) -> None:
    out = run("rework", "--xes", log_file, "--by", "case")
    # case, cases, with rework, share, repeated activities, loops, regressions (not a deal log)
    assert row(out, "c1", "1", "1", "100.0%", "1", "1", "–")
    assert "c2" not in out and "c3" not in out
    assert row(out, "A", "3", "1", "1", "33.3%")


def test_resources_name_the_person_a_task_depends_on(log_file: str) -> None:
    out = run("resources", "--xes", log_file, "--min-events", "1", "--threshold", "0.6")
    assert row(out, "A", "ana", "100.0%", "4", "4", "1")
    assert row(out, "C", "ana", "100.0%", "3", "3", "1")
    assert not row(out, "B", "ben", "50.0%")  # under the threshold
    assert row(out, "ana", "ben", "1", "1", "1 d", "1 d")
    assert row(out, "ben", "ana", "1", "1")
    assert not row(out, "ana", "ana")  # the same person twice is no hand-off


def test_compare_puts_two_slices_side_by_side(log_file: str) -> None:
    out = run("compare", "--xes", log_file, "--a", "region=north", "--b", "region=south")
    assert "a = region=north: 1 case\n" in out and "b = region=south: 2 cases" in out
    # c1 takes A->B, B->A and A->C; c2 A->C; c3 A->B and B->C: every wait is one day
    assert row(out, "A", "B", "100.0%", "50.0%", "1 d", "1 d", "0 s")
    assert row(out, "A", "C", "100.0%", "50.0%", "1 d", "1 d", "0 s")
    assert row(out, "B", "A", "100.0%", "0.0%", "1 d", "–", "–")
    assert row(out, "B", "C", "0.0%", "50.0%", "–", "1 d", "–")


def test_compare_without_sides_is_one_line_and_exit_2(log_file: str) -> None:
    result = CliRunner().invoke(app, ["process", "compare", "--xes", log_file])
    assert result.exit_code == 2
    assert "say what sides a and b are" in result.output
