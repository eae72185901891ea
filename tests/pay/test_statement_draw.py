"""A statement carries the draw balance and the year to date, and explains the draw line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from pay_helpers import FINANCE, PLAN, seed

from attain.comp.runs import calculate_run
from attain.pay import publish_run
from attain.pay.render import statement_html
from attain.pay.statements import statement

D = Decimal


def test_the_draw_balance_and_year_to_date_are_on_the_statement(
    sqlite_url: str, tmp_path: Path
) -> None:
    (tmp_path / "ae.yaml").write_text(PLAN + "draw: {amount: 1000, recoverable: true}\n")
    seed(sqlite_url)
    run = calculate_run(
        tmp_path / "ae.yaml", dt.date(2027, 1, 1), dt.date(2027, 2, 28), url=sqlite_url
    )
    publish_run(sqlite_url, run.id, FINANCE)
    # ben earns 800 in January: the draw pays 200 and his balance is 200; February he earns 0
    jan = statement(sqlite_url, "ben", "2027-01", FINANCE)
    assert {ln.component: ln.amount for ln in jan.lines} == {
        "commission": D("800.00"),
        "draw": D("200.00"),
    }
    assert jan.draw_balance == D("200") and jan.total == D("1000.00")
    draw = next(ln for ln in jan.lines if ln.component == "draw")
    assert "recoverable" in draw.how[0] and "-> USD 200.00" in draw.how[0]
    feb = statement(sqlite_url, "ben", "2027-02", FINANCE)
    assert feb.draw_balance == D("1200") and feb.year_to_date == D("2000.00")
    assert "USD 1,200.00" in statement_html(feb)
