"""`attain process map|variants|conform` on a hand-written XES file read in place: tables in
the terminal with durations humanised, the SVG and HTML written, and bad input one line and
exit 2."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from attain.cli import app
from attain.process.discovery import process_map
from attain.process.log import from_arrow
from attain.process.xes import read_xes

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "process" / "tiny.xes"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["process", *args], env={"COLUMNS": "200"})
    return result.exit_code, result.output


def _tiny_map() -> object:
    read = read_xes(TINY)
    return process_map(from_arrow("tiny", read.events, read.cases))


def test_the_map_of_a_file_read_in_place(tmp_path: Path) -> None:
    svg, html = tmp_path / "map.svg", tmp_path / "map.html"
    code, out = run("map", "--xes", str(TINY), "--svg", str(svg), "--html", str(html))
    assert code == 0, out
    pm = _tiny_map()
    assert f"Process map of tiny: {pm.cases:,} cases, {pm.events:,} events" in out  # type: ignore[attr-defined]
    for t in pm.transitions:  # type: ignore[attr-defined]
        assert t.source in out and t.target in out
    root = ET.parse(svg).getroot()
    boxes = root.findall(".//{http://www.w3.org/2000/svg}g[@class='activity']")
    assert len(boxes) == len(pm.activities)  # type: ignore[attr-defined]
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "<svg" in page and "Transitions" in page


def test_variants_of_a_file(tmp_path: Path) -> None:
    code, out = run("variants", "--xes", str(TINY))
    assert code == 0, out
    assert "Variants of tiny" in out and " → " in out


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["map", "--xes", "no-such.xes"], "no such file: no-such.xes"),
        (["map", "--xes", str(TINY), "--since", "last week"], "--since: 'last week' is not a day"),
        (["map", "--xes", str(TINY), "--where", "region"], "--where: 'region' is not col=value"),
        (["map", "--xes", str(TINY), "--where", "colour=red"], "no attribute 'colour'"),
        (["map", "--xes", str(TINY), "--log", "deals"], "give --log or --xes, not both"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], said: str) -> None:
    code, out = run(*args)
    assert code == 2, out
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 1 and said in lines[0], out
    assert "Traceback" not in out


def test_rules_with_a_mistake_name_the_line(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("process: tiny\nrules:\n  - name: x\n    nonsense: [a\n", encoding="utf-8")
    code, out = run("conform", "--xes", str(TINY), "--rules", str(rules))
    assert code == 2, out
    assert f"{rules}:5:1: malformed YAML" in out


def test_an_unknown_log_in_the_store_is_named(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'attain.db'}"
    code, out = run("map", "--db", url, "--log", "nothing")
    assert code == 2, out
    assert "--log: no log named 'nothing'" in out and "deals" in out
