"""Work calendars import like any table, and a calendar written wrong is refused row by row."""

from __future__ import annotations

from pathlib import Path

import pytest

from attain.data.ingest import ImportOptions, InvalidRows, import_file
from attain.data.store import get_engine
from attain.process.calendar import load_calendars

GOOD = """id,name,timezone,workdays,opens,closes
berlin,Berlin office,Europe/Berlin,Mon-Fri,8:30,17:00
dubai,Dubai office,Asia/Dubai,"sun-wed, thu",09:00,18:00:00
"""
BAD = """id,timezone,workdays,opens,closes
a,Europe/Berln,mon-fri,09:00,17:00
b,UTC,mon-fry,09:00,17:00
c,UTC,mon-fri,9h,17:00
d,UTC,mon-fri,09:00,24:00
"""


def _load(url: str, tmp_path: Path, table: str, body: str) -> int:
    path = tmp_path / f"{table}.csv"
    path.write_text(body, encoding="utf-8")
    report = import_file(table, path, db=url, options=ImportOptions(), label=path.name)
    return report.rows


def test_calendars_import_and_read_back(sqlite_url: str, tmp_path: Path) -> None:
    assert _load(sqlite_url, tmp_path, "work_calendars", GOOD) == 2
    holidays = "calendar,day,name\nberlin,2026-12-25,1. Weihnachtstag\n"
    assert _load(sqlite_url, tmp_path, "work_calendar_holidays", holidays) == 1
    found = load_calendars(get_engine(sqlite_url))
    assert sorted(found["dubai"].workdays) == [0, 1, 2, 3, 6]
    assert [str(found["dubai"].closes), len(found["berlin"].holidays)] == ["18:00:00", 1]


def test_a_calendar_written_wrong_is_refused_with_its_row_and_column(
    sqlite_url: str, tmp_path: Path
) -> None:
    with pytest.raises(InvalidRows) as caught:
        _load(sqlite_url, tmp_path, "work_calendars", BAD)
    assert caught.value.lines() == [
        "work_calendars.csv:2:timezone: 'Europe/Berln' is not an IANA timezone (such as "
        "Europe/Berlin, America/New_York)",
        "work_calendars.csv:3:workdays: 'mon-fry' is not a list of weekdays like mon-fri or "
        "mon,tue,thu",
        "work_calendars.csv:4:opens: '9h' is not a time of day like 09:00 or 17:30",
        "work_calendars.csv:5:closes: '24:00' is not a time of day like 09:00 or 17:30",
    ]
    assert load_calendars(get_engine(sqlite_url)) == {}


def test_a_holiday_of_an_unknown_calendar_is_refused(sqlite_url: str, tmp_path: Path) -> None:
    with pytest.raises(InvalidRows) as caught:
        _load(sqlite_url, tmp_path, "work_calendar_holidays", "calendar,day\nnowhere,2026-12-25\n")
    assert "'nowhere' is not a known work_calendars.id" in caught.value.lines()[0]
