"""`attain comp whatif` gives the figures the web's what-if gives, for the same payee and deals
on the same store: both price the published plans through `attain.comp.whatif.estimate`."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import or_, select
from typer.testing import CliRunner

from attain.actions.accounts import add_user, new_api_token
from attain.audit.actor import SYSTEM
from attain.cli import app
from attain.comp.demo import pay_step
from attain.comp.whatif import open_deals
from attain.data.schema import Person, PlanAssignment
from attain.data.store import get_engine
from attain.data.synth import SynthSpec, generate, last_complete_month_start, write_store
from attain.data.synth.demo import DemoContext
from attain.pay.demo import publish_step

Row = tuple[str, str, str, Decimal, Decimal, Decimal, str]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A small paid company (published run) and an account executive with open deals."""
    url = f"sqlite:///{tmp_path_factory.mktemp('whatif') / 'attain.db'}"
    today = dt.date.today()
    spec = SynthSpec(
        seed=11, b2b_reps=12, b2c_associates=2, years=1, start=last_complete_month_start(today, 1)
    )
    ctx = DemoContext(url=url, company=generate(spec))
    engine = get_engine(url)
    write_store(ctx.company, engine, replace=True)  # type: ignore[arg-type]
    pay_step(ctx)
    publish_step(ctx)
    with engine.connect() as conn:
        assigned = set(
            conn.execute(select(PlanAssignment.payee).where(PlanAssignment.plan == "ae")).scalars()
        )
        people = conn.execute(
            select(Person.id).where(
                Person.role == "account_executive",
                or_(Person.valid_to.is_(None), Person.valid_to >= today),
            )
        ).scalars()
        reps = sorted(p for p in people if p in assigned and len(open_deals(engine, p)) >= 2)
    assert reps, "the company has an account executive with open deals"
    return url, reps[0]


def _cli_rows(output: str) -> tuple[list[Row], dict[str, Decimal]]:
    rows: list[Row] = []
    for line in output.splitlines():
        cells = [c.strip() for c in re.split(r"[│┃]", line)[1:-1]]
        if len(cells) == 7 and re.fullmatch(r"-?[\d,]+\.\d\d", cells[3]):
            plan, component, period, now, then, extra, currency = cells
            money = [Decimal(x.replace(",", "")) for x in (now, then, extra)]
            rows.append((plan, component, period, *money, currency))  # type: ignore[arg-type]
    totals = {
        m.group(2): Decimal(m.group(1).replace(",", ""))
        for m in re.finditer(r"extra pay: (-?[\d,]+\.\d\d) (\w+)", output)
    }
    return rows, totals


def _api_rows(reply: dict[str, object]) -> list[Row]:
    return [
        (
            e["plan"],
            e["component"],
            e["period"],
            Decimal(e["earned_now"]),
            Decimal(e["earned_then"]),
            Decimal(e["extra"]),
            e["currency"],
        )
        for e in reply["estimates"]  # type: ignore[attr-defined]
    ]


@pytest.mark.slow
@pytest.mark.parametrize("amount", ["0", "250000"])
def test_the_cli_whatif_gives_the_apis_figures(
    store: tuple[str, str], amount: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from attain.web.app import create_app

    url, rep = store
    engine = get_engine(url)
    monkeypatch.setenv("ATTAIN_TODAY", dt.date.today().isoformat())
    monkeypatch.setenv("COLUMNS", "200")
    deals = [d.id for d in open_deals(engine, rep)[:2]]
    result = CliRunner().invoke(
        app,
        ["comp", "whatif", rep, *[f"--deal={d}" for d in deals], "--amount", amount, "--db", url],
    )
    assert result.exit_code == 0, result.output
    cli_rows, cli_totals = _cli_rows(result.output)

    name = f"whatif-{amount}"
    add_user(engine, SYSTEM, name, "whatif-pass-1", "finance")
    token = new_api_token(engine, SYSTEM, name)
    with TestClient(create_app(url, secure_cookies=False)) as c:
        r = c.post(
            f"/api/v1/payees/{rep}/whatif",
            json={"amount": amount, "deals": deals},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert r.status_code == 200, r.text
    api_rows = _api_rows(r.json())

    assert api_rows and any(row[5] > 0 for row in api_rows), "the deals change the pay"
    assert sorted(cli_rows) == sorted(api_rows)
    api_totals: dict[str, Decimal] = {}
    for row in api_rows:
        api_totals[row[6]] = api_totals.get(row[6], Decimal(0)) + row[5]
    assert cli_totals == api_totals
