"""Every kind of bad input is refused with a `file:row:column: reason` line, and nothing is written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from _ingest_support import fixture, load, row, rows, seed

from attain.data.ingest import ImportFailed, InvalidRows


@pytest.fixture
def seeded(sqlite_url: str) -> str:
    seed(sqlite_url)
    return sqlite_url


def test_each_bad_value_is_one_line_naming_file_row_and_column(seeded: str) -> None:
    with pytest.raises(InvalidRows) as caught:
        load(seeded, "deals", "deals_bad.csv")
    lines = caught.value.lines()
    assert lines == [
        "deals_bad.csv:3:term_months: 'twelve' is not a whole number",
        "deals_bad.csv:4:amount: '1e3' is floating-point notation, which cannot hold money "
        "exactly; write a plain decimal such as 1000 or 1234.50",
        "deals_bad.csv:5:created: '2027-02-30' is not a date written YYYY-MM-DD (for other "
        "layouts use --date-format, e.g. %m/%d/%Y)",
        "deals_bad.csv:6:owner: 'zed' is not a known people.id (not in the store's people)",
        "deals_bad.csv:7:currency: 'USS' is not an ISO 4217 currency code (such as USD, EUR, GBP)",
        "deals_bad.csv:8:id: duplicate id 'D-1': also on row 2",
        "deals_bad.csv:9:stage: is blank, but deals.stage is required",
        "deals_bad.csv:10:product: 'gtx-prp' is not a known products.id (not in the store's "
        "products); did you mean 'gtx-pro'?",
        "deals_bad.csv:11:amount: 'NaN' is floating-point notation, which cannot hold money "
        "exactly; write a plain decimal such as 1000 or 1234.50",
        "deals_bad.csv:12:amount: '$1200.00' is not a plain decimal amount (digits and an "
        "optional '.', no currency signs or thousands separators)",
    ]
    assert caught.value.rows == 10
    assert rows(seeded, "deals") == []


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1e3", "floating-point notation"),
        ("1E-2", "floating-point notation"),
        ("inf", "floating-point notation"),
        ("-Infinity", "floating-point notation"),
        ("nan", "floating-point notation"),
        ("1,000", "not a plain decimal amount"),
        ("12 EUR", "not a plain decimal amount"),
        ("0.1234567", "more than 6 decimal places"),
        ("1234567890123456789", "too large"),
    ],
)
def test_money_must_be_a_plain_decimal(seeded: str, tmp_path, value: str, reason: str) -> None:
    path = tmp_path / "deals.csv"
    path.write_text(f'id,owner,stage,amount\nD-1,ben,won,"{value}"\n', encoding="utf-8")
    with pytest.raises(InvalidRows) as caught:
        load(seeded, "deals", str(path))
    assert caught.value.lines()[0].startswith(f"{path}:2:amount: {value!r} ")
    assert reason in caught.value.lines()[0]


def test_money_is_kept_exactly_in_its_canonical_form(seeded: str, tmp_path) -> None:
    path = tmp_path / "deals.csv"
    amounts = ["+010.50", "-0.00", ".5", "123456789012.345678", "0.10", "7."]
    body = "".join(f"D-{i},ben,won,{a}\n" for i, a in enumerate(amounts))
    path.write_text("id,owner,stage,amount\n" + body, encoding="utf-8")
    load(seeded, "deals", str(path))
    stored = {r[0]: r[6] for r in rows(seeded, "deals")}
    assert [Decimal(stored[f"D-{i}"]) for i in range(len(amounts))] == [
        Decimal("10.5"),
        Decimal("0"),
        Decimal("0.5"),
        Decimal("123456789012.345678"),
        Decimal("0.1"),
        Decimal("7"),
    ]
    assert stored["D-0"] == "10.5" and stored["D-1"] == "0", "money is stored as canonical text"


def test_missing_required_column_is_one_error_with_a_suggestion(seeded: str) -> None:
    with pytest.raises(ImportFailed) as caught:
        load(seeded, "deals", "deals_no_owner.csv")
    assert str(caught.value) == (
        "deals_no_owner.csv: missing required column 'owner' for deals "
        "(did you mean 'Opportunity Owner'? map it with --map 'Opportunity Owner=owner')"
    )


def test_a_reference_may_name_an_earlier_row_of_the_same_file(sqlite_url: str, tmp_path) -> None:
    report = load(sqlite_url, "people", "team_people.csv")
    assert report.inserted == 4, "managers listed before their reports are known"
    lines = fixture("team_people.csv").read_text().splitlines()
    backwards = "\n".join([lines[0], *reversed(lines[1:])]).replace("mgr", "boss") + "\n"
    path = tmp_path / "team.csv"
    path.write_text(backwards, encoding="utf-8")
    with pytest.raises(InvalidRows) as caught:
        load(sqlite_url, "people", str(path))
    assert caught.value.lines()[0] == (
        f"{path}:2:manager: 'boss' is not a known people.id "
        "(not in the store's people nor earlier in this file)"
    )


def test_empty_file_and_header_only_are_errors(seeded: str) -> None:
    with pytest.raises(ImportFailed, match=r"^empty.csv: the file is empty"):
        load(seeded, "deals", "empty.csv")
    with pytest.raises(
        ImportFailed, match=r"^header_only.csv: the file names its columns but has no rows"
    ):
        load(seeded, "deals", "header_only.csv")


def test_a_file_that_is_not_utf8_names_the_line_and_how_to_fix_it(seeded: str) -> None:
    with pytest.raises(ImportFailed) as caught:
        load(seeded, "deals", "deals_latin1.csv")
    assert str(caught.value) == (
        "deals_latin1.csv:3: the file is not valid UTF-8 text (byte 0xE8 on line 3); "
        "re-save it as UTF-8 (in Excel: Save As > CSV UTF-8)"
    )
    assert rows(seeded, "deals") == []


def test_a_utf8_byte_order_mark_is_fine(seeded: str) -> None:
    load(seeded, "deals", "deals_bom.csv")
    assert rows(seeded, "deals")[0][:3] == ("D-1", "Café deal", "ben")


@pytest.mark.parametrize("batch_rows", [1, 2, 1000])
def test_rows_that_do_not_fit_the_header_are_reported_by_row(
    seeded: str, batch_rows: int, tmp_path
) -> None:
    with pytest.raises(InvalidRows) as caught:
        load(seeded, "deals", "deals_ragged.csv", batch_rows=batch_rows)
    assert caught.value.lines() == [
        "deals_ragged.csv:3:*: has 5 fields but the header has 4 "
        "(a value containing the delimiter must be in quotes)",
        "deals_ragged.csv:6:*: has 3 fields but the header has 4",
    ]
    report = load(
        seeded,
        "deals",
        "deals_ragged.csv",
        skip_invalid=True,
        batch_rows=batch_rows,
        rejects=tmp_path / "rejects.csv",
    )
    assert (report.inserted, report.rejected) == (3, 2)
    assert [r[:2] for r in rows(seeded, "deals")] == [
        ("D-1", "Acme, renewal"),
        ("D-3", "Two\nlines"),
        ("D-5", "Betatech"),
    ]


def test_unknown_table_lists_the_known_ones(seeded: str) -> None:
    with pytest.raises(ImportFailed) as caught:
        load(seeded, "deal", "deals.csv")
    message = str(caught.value)
    assert message.startswith(
        "unknown table 'deal' (did you mean 'deals'?); the tables are: work_calendars,"
    )
    assert "add --new-table" in message


def test_at_most_fifty_problems_are_listed(seeded: str, tmp_path) -> None:
    path = tmp_path / "many.csv"
    path.write_text(
        "id,owner,stage\n" + "".join(f"D-{i},nobody,won\n" for i in range(120)), encoding="utf-8"
    )
    with pytest.raises(InvalidRows) as caught:
        load(seeded, "deals", str(path))
    lines = caught.value.lines()
    assert len(lines) == 51
    assert lines[0].endswith(
        ":2:owner: 'nobody' is not a known people.id (not in the store's people)"
    )
    assert lines[-1] == "... and 70 more"


def test_currency_codes_are_upper_cased(seeded: str) -> None:
    assert [row(seeded, "people", p)["currency"] for p in ("ana", "ben", "chloe")] == [
        "USD",
        "USD",
        "EUR",
    ]


@pytest.mark.parametrize("batch_rows", [1, 1000])
def test_rows_referring_to_rejected_rows_are_rejected_too(
    sqlite_url: str, tmp_path, batch_rows: int
) -> None:
    path = tmp_path / "team.csv"
    path.write_text(
        "id,name,manager,currency\nvp,Vera,,USS\nmgr,Max,vp,USD\nrep,Rae,mgr,USD\nsolo,Sol,,USD\n",
        encoding="utf-8",
    )
    report = load(sqlite_url, "people", str(path), skip_invalid=True, batch_rows=batch_rows)
    assert (report.inserted, report.rejected) == (1, 3)
    assert [p.column for p in report.problems] == ["currency", "manager", "manager"]
    assert [r[0] for r in rows(sqlite_url, "people")] == ["solo"]
