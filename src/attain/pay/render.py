"""Statements as HTML (a Jinja2 template) and as PDF (fpdf2, pure Python: no system libraries)."""

from __future__ import annotations

import unicodedata
from typing import Any

from fpdf import FPDF
from jinja2 import Environment, PackageLoader, select_autoescape

from attain import money_format
from attain.pay.statements import Statement


def _money_in(currency: str) -> Any:
    def money(x: Any) -> str:
        return money_format.money(x, currency)

    return money


def num(x: Any) -> str:
    return money_format.number(x)


def statement_html(s: Statement) -> str:
    """The statement as one self-contained HTML page."""
    env = Environment(
        loader=PackageLoader("attain.pay", "templates"), autoescape=select_autoescape()
    )
    return env.get_template("statement.html").render(
        s=s, money=_money_in(s.currency), amount=money_format.money, num=num
    )


def _latin(text: str) -> str:
    """The PDF core fonts speak Latin-1: other letters lose their accents (`Ł` stays `?`)."""
    text = "".join(
        ch
        if ord(ch) < 256
        else "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        for ch in text
    )
    return (
        text.replace("\u2192", "->")
        .replace("\u2212", "-")
        .encode("latin-1", "replace")
        .decode("latin-1")
    )


def statement_pdf(s: Statement, max_credits: int = 200) -> bytes:
    """The statement as a PDF: summary, each line with how it was reached and its credits."""
    money = _money_in(s.currency)
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def row(label: str, value: str, bold: bool = False) -> None:
        pdf.set_font("Helvetica", "B" if bold else "", 10)
        pdf.cell(width - 40, 6, _latin(label))
        pdf.cell(40, 6, value, align="R", new_x="LMARGIN", new_y="NEXT")

    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(
        width, 8, _latin(f"Pay statement: {s.name} ({s.payee})"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("Helvetica", "", 9)
    sub = f"Period {s.period} ({s.start} to {s.end}), status {s.status}"
    if s.approvals:
        sub += "; approved " + ", ".join(s.approvals)
    pdf.multi_cell(width, 5, _latin(sub), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    row("Earned this period", money(s.earned))
    row("Adjustments and corrections", money(s.adjustments))
    row("Held (earned, not yet released)", money(-s.held))
    row("Released holds", money(s.released))
    row("Total payable", money(s.total), bold=True)
    row("Year to date", money(s.year_to_date))
    row("Still held", money(s.held_outstanding))
    if s.draw_balance is not None:
        row("Draw balance", money(s.draw_balance))
    pdf.ln(3)
    for ln in s.lines:
        row(
            f"{ln.plan} / {ln.component} ({ln.kind})",
            money_format.money(ln.amount, ln.currency),
            bold=True,
        )
        pdf.set_font("Helvetica", "", 8)
        for step in ln.how:
            pdf.set_x(pdf.l_margin + 4)
            pdf.multi_cell(width - 4, 4, _latin(step), new_x="LMARGIN", new_y="NEXT")
        for c in ln.credits[:max_credits]:
            pdf.set_x(pdf.l_margin + 8)
            pdf.cell(width - 48, 4, _latin(f"{c.label} {c.date} {c.rule} {c.kind}"))
            value = money_format.money(c.value, c.currency) if c.currency else num(c.value)
            pdf.cell(40, 4, value, align="R", new_x="LMARGIN", new_y="NEXT")
        if len(ln.credits) > max_credits:
            pdf.set_x(pdf.l_margin + 8)
            pdf.cell(
                width - 8,
                4,
                f"... and {len(ln.credits) - max_credits} more credits (see the HTML statement)",
                new_x="LMARGIN",
                new_y="NEXT",
            )
        pdf.ln(1)
    row("Total payable", money(s.total), bold=True)
    return bytes(pdf.output())
