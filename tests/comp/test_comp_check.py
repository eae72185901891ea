"""The plan checker: every error of a plan's text, each at its line and column."""

from __future__ import annotations

from pathlib import Path

import ibis
import pytest
from comp_helpers import TABLES, load_tables
from typer.testing import CliRunner

from attain.cli import app
from attain.comp.engine import schemas_of
from attain.comp.language.check import Problem, check_text

PLAN = """id: ae
currency: USD
period: quarter
credits:
  - id: owner
    from: deals
    where: stage == "closed_won"
    to: owner
    value: amont
    date: close_date
measures:
  bookings: {sum: value, where: 'typ == "new"'}
components:
  - {id: commission, measure: bookngs, rate: 0.10}
  - id: accel
    measure: bookings
    tiers: [{from: 10, rate: 0.1}, {from: 5, rate: 0.2}]
  - {id: bonus, amount: 100, gate: bookings >= 1 and florp(bookings)}
"""


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict[str, str]]:
    con = ibis.duckdb.connect()
    load_tables(con, TABLES)
    return {t: dict(c) for t, c in schemas_of(con).items()}


def _at(problems: list[Problem]) -> list[tuple[int, int, str]]:
    return [(p.line, p.column, p.message) for p in problems]


def _column_of(text: str, line: int, word: str) -> int:
    return text.split("\n")[line - 1].index(word) + 1


def test_every_error_is_reported_at_its_line_and_column(schemas: dict) -> None:  # type: ignore[type-arg]
    found = _at(check_text(PLAN, schemas))
    assert [(line, col) for line, col, _ in found] == [
        (9, _column_of(PLAN, 9, "amont")),
        (12, _column_of(PLAN, 12, "typ")),  # inside a quoted scalar: after the quote
        (14, _column_of(PLAN, 14, "bookngs")),
        (17, _column_of(PLAN, 17, "tiers")),
        (18, _column_of(PLAN, 18, "florp")),  # column 19 of the gate expression
    ]
    messages = [m for _, _, m in found]
    assert "unknown column `amont`" in messages[0] and "(did you mean `amount`?)" in messages[0]
    assert "unknown credit column `typ`" in messages[1]
    assert "unknown measure `bookngs`" in messages[2]
    assert "tiers must be sorted" in messages[3]
    assert "unknown function `florp`" in messages[4]
    assert all("\n" not in m for m in messages)


def test_model_errors_and_expression_errors_are_reported_together(schemas: dict) -> None:  # type: ignore[type-arg]
    text = PLAN.replace("period: quarter", "period: quartr\nbogus: 1")
    found = _at(check_text(text, schemas))
    assert [(line, col) for line, col, _ in found[:3]] == [(3, 9), (4, 1), (10, 12)]
    assert "period" in found[0][2] and "unknown key `bogus`" in found[1][2]
    assert len(found) == 7  # and the five of the plan's body, each one line lower


def test_a_yaml_syntax_error_is_at_its_line(schemas: dict) -> None:  # type: ignore[type-arg]
    text = PLAN.replace("  bookings: {sum: value,", "  bookings: {sum: value,,")
    ((line, _col, message),) = _at(check_text(text, schemas))
    assert line == 12 and "malformed YAML" in message


def test_a_plan_that_compiles_has_no_problems(schemas: dict) -> None:  # type: ignore[type-arg]
    text = (
        PLAN.replace("amont", "amount")
        .replace("typ ==", "type ==")
        .replace("bookngs", "bookings")
        .replace("{from: 10, rate: 0.1}, {from: 5, rate: 0.2}", "{from: 0, rate: 0.1}")
        .replace(" and florp(bookings)", "")
    )
    assert check_text(text, schemas) == []


def test_comp_check_prints_file_line_column_and_exits_2(tmp_path: Path, sqlite_url: str) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["init", "--db", sqlite_url]).exit_code == 0
    plan = tmp_path / "ae.yaml"
    plan.write_text(PLAN.replace("stage ==", "stag =="))
    result = runner.invoke(app, ["comp", "check", "--plans", str(plan), "--db", sqlite_url])
    assert result.exit_code == 2
    lines = result.output.strip().split("\n")
    assert lines[0].startswith(f"{plan}:7:12: plan ae, credit rule owner, where: unknown column")
    assert lines[1].startswith(f"{plan}:9:12: ")
    assert len(lines) == 6
    plan.write_text(
        "id: ok\ncurrency: USD\nperiod: month\ncredits:\n"
        "  - {from: deals, to: owner, value: amount, date: close_date}\n"
        "measures: {b: {sum: value}}\ncomponents: [{id: c, measure: b, rate: 0.1}]\n"
    )
    result = runner.invoke(app, ["comp", "check", "--plans", str(plan), "--db", sqlite_url])
    assert result.exit_code == 0 and "no errors" in result.output
