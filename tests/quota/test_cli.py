"""`attain quota ...` end to end on a store: plan, adjust, approve, publish, backtest."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from attain.cli import app
from cli_users import as_user

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


def test_plan_adjust_approve_publish(fresh_company: str) -> None:
    db = ["--db", fresh_company]
    ana = as_user(fresh_company, "ana", "finance")
    ben = as_user(fresh_company, "ben", "finance")
    out = runner.invoke(
        app,
        [
            "quota",
            "plan",
            "--method",
            "historical-growth",
            "--year",
            "2026",
            "--target",
            "30,000,000",
            *db,
        ],
        env=ana,
    )
    assert out.exit_code == 0, out.output
    draft = re.search(r"draft (\w+):", out.output).group(1)  # type: ignore[union-attr]
    out = runner.invoke(
        app,
        [
            "quota",
            "adjust",
            draft,
            "R00001",
            "1000000",
            "--reason",
            "new accounts",
            *db,
        ],
        env=ana,
    )
    assert out.exit_code == 0, out.output
    assert runner.invoke(app, ["quota", "approve", draft, *db], env=ana).exit_code == 2
    assert runner.invoke(app, ["quota", "approve", draft, *db], env=ben).exit_code == 0
    out = runner.invoke(app, ["quota", "publish", draft, *db], env=ben)
    assert out.exit_code == 0 and "published 24 quota lines" in out.output
    out = runner.invoke(app, ["quota", "show", draft, "--audit", *db], env={"COLUMNS": "250"})
    assert "new accounts" in out.output and "publish" in out.output
    assert draft in runner.invoke(app, ["quota", "drafts", *db], env={"COLUMNS": "250"}).output


def test_backtest_prints_the_table_and_writes_the_report(company_url: str, tmp_path: Path) -> None:
    report = tmp_path / "backtest.html"
    out = runner.invoke(
        app,
        ["quota", "backtest", "--year", "2025", "--html", str(report), "--db", company_url],
        env={"COLUMNS": "160"},
    )
    assert out.exit_code == 0, out.output
    assert "data_driven" in out.output and "quota WAPE" in out.output
    assert report.read_text().count("<svg") == 2


def test_backtest_prices_commission_with_a_given_plan(company_url: str) -> None:
    template = ROOT / "src" / "attain" / "comp" / "templates" / "ae-accelerators.yaml"
    out = runner.invoke(
        app,
        ["quota", "backtest", "--year", "2025", "--plan", str(template), "--db", company_url],
        env={"COLUMNS": "160"},
    )
    assert out.exit_code == 0, out.output
    assert "commission priced with the plan in ae-accelerators.yaml" in out.output


def test_backtest_without_enough_history_fails_with_one_line(company_url: str) -> None:
    out = runner.invoke(app, ["quota", "backtest", "--year", "2024", "--db", company_url])
    assert out.exit_code == 2
    assert "needs at least 2 full years of history" in out.output


def test_unknown_method_fails_with_one_line(company_url: str) -> None:
    out = runner.invoke(
        app, ["quota", "plan", "--method", "dartboard", "--year", "2026", "--db", company_url]
    )
    assert out.exit_code == 2 and "unknown method" in out.output
