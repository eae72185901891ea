"""A statement of the demo company, as PDF and HTML, checked for its figures."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from pay_helpers import FINANCE, PREPARER, approve_every_team
from pypdf import PdfReader
from typer.testing import CliRunner

from attain.cli import app
from attain.comp.demo import pay_step
from attain.data.store import get_engine
from attain.data.synth import SynthSpec, generate, write_store
from attain.data.synth.demo import DemoContext
from attain.pay import approve_period, ledger_lines, prepare_period, publish_run, verify_run
from attain.pay.render import statement_html, statement_pdf
from attain.pay.statements import statement
from cli_users import as_user

PERIOD = "2026-06"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The demo company, paid, published, with June 2026 approved; (store url, an AE with pay)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'attain.db'}"
    spec = SynthSpec(seed=3, b2b_reps=6, b2c_associates=4, years=2, start=dt.date(2025, 3, 1))
    ctx = DemoContext(url=url, company=generate(spec))
    write_store(ctx.company, get_engine(url), replace=True)  # type: ignore[arg-type]
    pay_step(ctx)
    publish_run(url, ctx.outputs["run"].id, FINANCE)
    prepare_period(url, PERIOD, PREPARER)
    approve_every_team(url, PERIOD)
    approve_period(url, PERIOD, FINANCE)
    lines = [ln for ln in ledger_lines(url, period=PERIOD) if ln.plan == "ae" and ln.amount > 0]
    return url, max(lines, key=lambda ln: ln.amount).payee


def test_the_demo_run_verifies_to_the_cent(demo: tuple[str, str]) -> None:
    url, _ = demo
    from attain.comp.runs import get_run

    run = get_run(get_engine(url), "latest")
    assert run is not None
    result = verify_run(url, run.id)
    assert result.ok and result.lines == run.line_count > 100


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_pdf_shows_every_figure_of_the_statement(demo: tuple[str, str]) -> None:
    url, payee = demo
    s = statement(url, payee, PERIOD, FINANCE)
    text = _text(statement_pdf(s))
    assert f"Pay statement: {s.name} ({payee})" in text
    assert f"Period {PERIOD}" in text
    total = re.search(r"Total payable\s+([A-Z]{3}) ([-\d,\.]+)", text)
    assert total and Decimal(total.group(2).replace(",", "")) == s.total
    assert total.group(1) == s.currency == "USD"  # every amount names its currency
    assert s.total == sum((ln.amount for ln in s.lines), Decimal(0)) != 0
    for ln in s.lines:
        assert f"{ln.currency} {ln.amount:,.2f}" in text
        for step in ln.how:
            assert step.split(";")[0] in text.replace("\n", " ")
    commission = next(ln for ln in s.lines if ln.component == "commission")
    assert commission.credits, "a commission line lists the deals behind it"
    flat = text.replace("\n", " ")
    for c in commission.credits[:20]:
        assert c.source in text
        assert c.name and c.account and f"{c.name} ({c.account})" in flat  # named, not just an id
    assert f"USD {s.year_to_date:,.2f}" in text


def test_html_and_cli_render_the_same_statement(demo: tuple[str, str], tmp_path: object) -> None:
    url, payee = demo
    s = statement(url, payee, PERIOD, FINANCE)
    html = statement_html(s)
    assert f"USD {s.total:,.2f}" in html and "<details>" in html
    commission = next(ln for ln in s.lines if ln.component == "commission")
    assert f"<td>{commission.credits[0].name}</td>" in html  # the deal's name beside its id
    out = CliRunner().invoke(
        app,
        [
            "statement",
            payee,
            PERIOD,
            "--pdf",
            "--out",
            f"{tmp_path}/s.pdf",
            "--db",
            url,
        ],
        env=as_user(url, f"rep-{payee}", "rep", payee),
    )
    assert out.exit_code == 0, out.output
    with open(f"{tmp_path}/s.pdf", "rb") as f:
        assert f"USD {s.total:,.2f}" in _text(f.read())
    hidden = CliRunner().invoke(
        app,
        ["statement", payee, "2026-07", "--db", url],
        env=as_user(url, f"rep-{payee}", "rep", payee),
    )
    assert hidden.exit_code == 2 and "not approved" in hidden.output
