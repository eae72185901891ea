"""Mapping specs: value replacements, a date format per column, the file's number convention,
derived columns; and a bad spec is one line naming the spec, the column and the line."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from _ingest_support import fixture, row, seed

from attain.data.ingest import ImportFailed, ImportOptions, SpecError, import_file, parse_spec
from attain.data.ingest.spec import Numbers, ValueMap


@pytest.fixture
def seeded(store_url: str) -> str:
    seed(store_url)
    return store_url


def _write(tmp_path: Path, text: str, name: str = "deals.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "Opportunity,Owner,Stage,Amount,Created,Closed,Product\n"


def test_values_dates_and_numbers_per_column(seeded: str, tmp_path: Path) -> None:
    spec = parse_spec(
        """
        table: deals
        columns: {Opportunity: id, Owner: owner, Closed: close_date}
        values:
          product: {GTXPro: gtx-pro}
          stage: {ignore_case: true, replace: {WON: Won, lost: Lost}}
        dates:
          created: "%d.%m.%Y"
          close_date: "%m/%d/%Y"
        numbers: {decimal: ",", thousands: "."}
        """,
        "mapping 'eu-deals'",
    )
    assert spec.values["stage"] == ValueMap((("WON", "Won"), ("lost", "Lost")), True)
    assert spec.numbers == Numbers(",", ".")
    path = _write(
        tmp_path,
        HEADER
        + 'D-1,ben,won,"1.234.567,5",05.01.2027,2/10/2027,GTXPro\n'
        + "D-2,ben,LOST,55,09.01.2027,2/14/2027,\n",
    )
    report = import_file("deals", path, db=seeded, options=ImportOptions(spec=spec), label="d.csv")
    assert report.inserted == 2
    d1, d2 = row(seeded, "deals", "D-1"), row(seeded, "deals", "D-2")
    assert (d1["stage"], d1["product"], Decimal(str(d1["amount"]))) == (
        "Won",
        "gtx-pro",
        Decimal("1234567.5"),
    )
    assert (str(d1["created"]), str(d1["close_date"])) == ("2027-01-05", "2027-02-10")
    assert (d2["stage"], Decimal(str(d2["amount"]))) == ("Lost", Decimal(55))


def test_values_match_exactly_unless_told_to_ignore_case(seeded: str, tmp_path: Path) -> None:
    spec = parse_spec(
        "columns: {Opportunity: id, Owner: owner}\nvalues: {product: {GTXPro: gtx-pro}}"
    )
    path = _write(tmp_path, HEADER + "D-1,ben,won,10,2027-01-05,,gtxpro\n")
    with pytest.raises(ImportFailed) as caught:
        import_file("deals", path, db=seeded, options=ImportOptions(spec=spec), label="d.csv")
    assert "d.csv:2:Product: 'gtxpro' is not a known products.id" in caught.value.lines()[0]  # type: ignore[attr-defined]


def test_numbers_with_a_stray_dot_are_refused_not_misread(seeded: str, tmp_path: Path) -> None:
    spec = parse_spec("columns: {Opportunity: id, Owner: owner}\nnumbers: {decimal: ','}")
    path = _write(tmp_path, HEADER + "D-1,ben,won,1.5,2027-01-05,,\n")
    with pytest.raises(ImportFailed) as caught:
        import_file("deals", path, db=seeded, options=ImportOptions(spec=spec), label="d.csv")
    assert caught.value.lines()[0] == (  # type: ignore[attr-defined]
        "d.csv:2:Amount: '1.5' does not write numbers as this mapping says (decimal mark ',')"
    )


def test_derived_constant_lookup_and_line_numbers(seeded: str, tmp_path: Path) -> None:
    spec = parse_spec(
        """
        columns: {Owner: null, Opportunity: null}
        derive:
          id: {join: [Opportunity, {number_within: [Opportunity]}], with: "/"}
          owner: {from: Owner, values: {Ben Okafor: ben}, default: chloe, ignore_case: true}
          currency: EUR
          name: {column: Product}
        """
    )
    path = _write(
        tmp_path,
        HEADER
        + "A,BEN OKAFOR,won,1,2027-01-05,,\n"
        + "A,Someone,won,2,2027-01-05,,\n"
        + "B,ben okafor,won,3,2027-01-05,,mg-special\n"
        + "A,,won,4,2027-01-05,,\n",
    )
    report = import_file(
        "deals", path, db=seeded, options=ImportOptions(spec=spec, batch_rows=2), label="d.csv"
    )
    assert report.inserted == 4
    assert [row(seeded, "deals", k)["owner"] for k in ("A/1", "A/2", "B/1", "A/3")] == [
        "ben",
        "chloe",
        "ben",
        "chloe",
    ]
    assert row(seeded, "deals", "B/1")["name"] == "mg-special"
    assert row(seeded, "deals", "A/3")["currency"] == "EUR"


def test_multiply_is_exact_and_refuses_what_money_cannot_hold(seeded: str, tmp_path: Path) -> None:
    spec = parse_spec(
        "columns: {Opportunity: id, Owner: owner, Amount: null}\n"
        "derive: {amount: {multiply: [Amount, Stage]}}"
    )
    path = _write(
        tmp_path,
        HEADER + "D-1,ben,0.1,0.2,,,\nD-2,ben,1e3,2,,,\nD-3,ben,0.001,0.0001,,,\n",
    )
    report = import_file(
        "deals", path, db=seeded, options=ImportOptions(spec=spec, skip_invalid=True), label="d.csv"
    )
    assert Decimal(str(row(seeded, "deals", "D-1")["amount"])) == Decimal("0.02")
    assert [str(p) for p in report.problems] == [
        "d.csv:3:Stage: '1e3' is not a plain decimal number, so 'amount' is blank",
        "d.csv:4:amount (derived): '0.0000001' has more than 6 decimal places",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("columns: [a, b]", "mapping 'm', line 1: columns must be lines of 'name: value'"),
        ("columns: {a: id}\nformat: x", "mapping 'm', line 2: unknown section 'format'"),
        (
            "columns: {a: id}\ndates:\n  created: 'd/m/Y'",
            "mapping 'm', line 3: dates of 'created': 'd/m/Y' is not a format such as %m/%d/%Y",
        ),
        (
            "derive:\n  amount: {add: [a, b]}",
            "mapping 'm', line 2, derive 'amount': unknown derivation 'add'",
        ),
        (
            "derive:\n  amount: {multiply: [a]}",
            "mapping 'm', line 2, derive 'amount': multiply takes 2 or 3 columns, not 1",
        ),
        (
            "values:\n  stage: {won: Won}\n  product:\n    a: b\n    a: c",
            "mapping 'm', line 5: values of 'product': 'a' is replaced twice",
        ),
        ("columns: {a: id\n", "mapping 'm', line 2: not readable YAML"),
        ("numbers: {decimal: ';'}", "mapping 'm', line 1: numbers: the decimal mark is"),
    ],
)
def test_a_bad_spec_is_one_line_naming_where(text: str, message: str) -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec(text, "mapping 'm'")
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_a_spec_naming_what_the_table_or_file_lacks(seeded: str) -> None:
    options = ImportOptions(spec=parse_spec("values: {colour: {a: b}}"), spec_label="mapping 'm'")
    with pytest.raises(SpecError, match=r"^mapping 'm': deals has no column 'colour'; its col"):
        import_file("deals", fixture("deals.csv"), db=seeded, options=options)
    options = ImportOptions(spec=parse_spec("table: orders\ncolumns: {id: id}"), spec_label="x")
    with pytest.raises(SpecError, match=r"^x is for orders, not deals$"):
        import_file("deals", fixture("deals.csv"), db=seeded, options=options)
    options = ImportOptions(spec=parse_spec("derive: {name: {column: Titel}}"))
    with pytest.raises(ImportFailed, match=r"derive 'name': the mapping names a column 'Titel'"):
        import_file("deals", fixture("deals.csv"), db=seeded, options=options, label="deals.csv")


def test_an_old_mapping_file_is_a_spec_of_columns() -> None:
    text = fixture("crm_export.yaml").read_text(encoding="utf-8")
    spec = parse_spec(text)
    assert ("Notes", None) in spec.columns and spec.derive == {}


def test_values_for_a_column_nothing_fills_are_a_warning(seeded: str) -> None:
    warnings: list[str] = []
    spec = parse_spec("values: {product: {GTXPro: gtx-pro}}\ndates: {created: '%d/%m/%Y'}")
    options = ImportOptions(spec=spec, spec_label="mapping 'm'", mapping=(("product", None),))
    import_file(
        "deals", fixture("deals.csv"), db=seeded, options=options, on_warning=warnings.append
    )
    assert warnings == [
        "mapping 'm': no file column fills 'product', so its values and date formats are not used"
    ]
