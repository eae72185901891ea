"""The command line does what the web does: plan versions (list, show, draft, diff, publish,
simulate) as audited actions, and an import recalculates live as a web import does."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from actions_world import PLAN, World
from sqlalchemy import select
from typer.testing import CliRunner

from attain.audit import entries
from attain.cli import app
from attain.comp.live.schema import LiveLine, LivePayee
from cli_users import as_user

runner = CliRunner()


def said(result: object) -> str:
    """The output with table borders dropped and whitespace normalised (Rich wraps at 80)."""
    text = re.sub(r"[\u2500-\u257f]", " ", str(getattr(result, "output", "")))
    return " ".join(text.split())


def attain(world: World, *args: str) -> tuple[int, str]:
    """Run a command as ada, the store's admin, by her API token (`--as ada` confirms it)."""
    env = as_user(world.url, "ada", "admin")
    result = runner.invoke(app, [*args, "--db", world.url], env=env)
    return result.exit_code, said(result)


def test_plans_from_the_command_line(world: World) -> None:
    code, out = attain(world, "plans", "list")
    assert code == 0 and "ae" in out
    richer = world.files / "ae.yaml"
    richer.write_text(PLAN.replace("0.10", "0.12"), encoding="utf-8")

    code, out = attain(world, "plans", "draft", "ae", str(richer), "--note", "more", "--as", "ada")
    assert code == 0 and "draft version 2" in out, out
    code, out = attain(world, "plans", "diff", "ae")
    assert code == 0 and "- - {id: commission, measure: bookings, rate: 0.10}" in out
    assert "+ - {id: commission, measure: bookings, rate: 0.12}" in out

    code, out = attain(
        world, "plans", "simulate", "ae", "--from", "2027-01-01", "--to", "2027-01-31"
    )
    assert code == 0, out
    # ana sold 15,000 in January: 1,500.00 at 10%, 1,800.00 at 12%
    assert "ana USD 1,500.00 USD 1,800.00 USD 300.00" in out, out
    assert "total USD 2,300.00 -> USD 2,760.00 (USD 460.00)" in out, out

    code, out = attain(world, "plans", "publish", "ae", "1", "--as", "ada")
    assert code == 2 and "already published" in out
    code, out = attain(world, "plans", "publish", "ae", "2", "--as", "ada")
    assert code == 0 and "version 2 published" in out
    code, out = attain(world, "plans", "show", "ae")
    assert code == 0 and "rate: 0.12" in out

    kept = [(e.action, e.actor) for e in entries(world.engine, entity="plan")]
    assert kept[:2] == [("plan.publish", "ada"), ("plan.draft", "ada")]


def test_a_stale_publish_is_refused(world: World) -> None:
    text = world.files / "ae.yaml"
    for rate in ("0.11", "0.12"):
        text.write_text(PLAN.replace("0.10", rate), encoding="utf-8")
        assert attain(world, "plans", "draft", "ae", str(text), "--as", "ada")[0] == 0
    code, out = attain(world, "plans", "publish", "ae", "2", "--as", "ada")
    assert code == 2 and "not the newest draft (version 3 is)" in out, out
    assert next(e.action for e in entries(world.engine, entity="plan")) == "plan.draft"


def test_a_plan_with_errors_is_refused_at_its_line(world: World) -> None:
    broken = world.files / "ae.yaml"
    broken.write_text(PLAN.replace("measure: bookings", "measure: nope"), encoding="utf-8")
    code, out = attain(world, "plans", "draft", "ae", str(broken), "--as", "ada")
    assert code == 2 and "ae.yaml:" in out and "nope" in out


def test_bad_input_is_one_line(world: World) -> None:
    assert attain(world, "plans", "show", "nope")[0] == 2
    code, out = attain(world, "plans", "simulate", "ae", "--from", "2027-13-01", "--to", "x")
    assert code == 2 and "--from must be a date" in out


def test_a_cli_import_recalculates_live_and_is_audited(world: World, tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    path.write_text(
        "id,owner,stage,amount,currency,close_date\nd7,ana,closed_won,3000,USD,2027-02-11\n",
        encoding="utf-8",
    )
    code, out = attain(world, "import", "deals", str(path), "--as", "ada")
    assert code == 0, out
    with world.engine.connect() as conn:
        live = conn.execute(
            select(LiveLine.amount).where(LiveLine.payee == "ana", LiveLine.period == "2027-02")
        ).scalar_one()
    assert live == Decimal("500.00")  # (2,000 + 3,000) at 10%
    entry = entries(world.engine, entity="table", entity_id="deals")[0]
    assert (entry.action, entry.actor, entry.after["written"]) == ("import.deals", "ada", 1)


def test_a_rep_cannot_import(world: World, tmp_path: Path) -> None:
    from attain.actions import NotAllowed
    from attain.actions.imports import import_rows
    from attain.audit.actor import Actor

    path = tmp_path / "deals.csv"
    path.write_text("id,owner,stage,amount,currency,close_date\n", encoding="utf-8")
    try:
        import_rows(world.url, Actor("ana", "rep"), "deals", path)
    except NotAllowed as e:
        assert "imports" in str(e)
    else:
        raise AssertionError("a rep imported a file")


@pytest.mark.parametrize(
    ("table", "rows", "paid_again"),
    [
        # ben becomes ana's manager: an override could now credit him, so he is paid again too
        (
            "people",
            "id,name,manager,role,territory,hired\nana,Ana Reyes,ben,ae,west,2026-01-01\n",
            {"ana", "ben"},
        ),
        (
            "quotas",
            "payee,measure,period,amount,currency\nana,bookings,2027-02,9000,USD\n",
            {"ana"},
        ),
        ("fx_rates", "currency,month,rate\nUSD,2027-02,1\n", {"ana"}),  # only ana sold in Feb
    ],
)
def test_a_cli_import_of_people_quotas_or_rates_recalculates_whom_it_changes(
    world: World, tmp_path: Path, table: str, rows: str, paid_again: set[str]
) -> None:
    """A manager, quota or rate imported from the command line pays again, live, the payees it
    can change and no one else."""
    path = tmp_path / f"{table}.csv"
    path.write_text(rows, encoding="utf-8")
    code, out = attain(world, "import", table, str(path), "--as", "ada")
    assert code == 0, out
    with world.engine.connect() as conn:
        live = set(conn.execute(select(LivePayee.payee)).scalars())
    assert live == paid_again
