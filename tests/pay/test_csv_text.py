"""Every CSV attain writes for a spreadsheet: text that looks like a formula is shown as text,
amounts stay numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from attain.pay.exports import FORMULA_START, csv_text, escape_cell


def test_a_formula_is_escaped_and_a_negative_amount_is_not() -> None:
    text = csv_text(["payee", "amount"], [["=HYPERLINK(x)", Decimal("-25.50")], ["ana", 3]])
    assert text == "payee,amount\n'=HYPERLINK(x),-25.50\nana,3\n"


TEXT = st.text(st.characters(exclude_characters="\r"), max_size=12)
"""Any text but a lone carriage return, which every CSV reader takes for the end of a line."""


@given(st.lists(TEXT, min_size=1, max_size=5))
def test_each_text_cell_reads_back_escaped_and_never_like_a_formula(cells: list[str]) -> None:
    text = csv_text([f"c{i}" for i in range(len(cells))], [cells])
    row = list(csv.reader(io.StringIO(text, newline="")))[1]
    assert row == [escape_cell(c) for c in cells]
    assert not any(cell.startswith(FORMULA_START) for cell in row)
