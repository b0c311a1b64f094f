"""The production calendar against the official month totals (five-day week).

The month totals are the official production calendars (the Labour Code's holidays plus the
government's yearly decree on moving days off; for 2021 that is Постановление № 1648 of 10.10.2020,
for 2026 the decree signed on 24.09.2025).

2021-11: the brief this module was written from said 21; the official figure is 20 (Thursday 4 Nov
is Unity Day and Friday 5 Nov is the day off moved from Saturday 2 Jan — 30 days − 8 weekend days −
2 = 20), and only 20 makes the year's total the official 247.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from pathlib import Path

import holidays
import pandas as pd
import pytest

from kpi.compute import workdays
from kpi.compute.workdays import is_workday, workdays_between

OFFICIAL = {
    2021: [15, 19, 22, 22, 19, 21, 22, 22, 22, 21, 20, 22],
    2025: [17, 20, 21, 22, 18, 19, 23, 21, 22, 23, 19, 22],
    2026: [15, 19, 21, 22, 19, 21, 23, 21, 22, 22, 20, 22],
}


def _month_count(year: int, month: int) -> int:
    return workdays_between(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))


@pytest.mark.parametrize(("year", "month", "expected"),
                         [(y, m + 1, n) for y, counts in OFFICIAL.items() for m, n in enumerate(counts)])
def test_month_totals_match_the_official_calendar(year: int, month: int, expected: int) -> None:
    assert _month_count(year, month) == expected


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_year_totals_are_247(year: int) -> None:
    assert sum(OFFICIAL[year]) == 247
    assert workdays_between(date(year, 1, 1), date(year, 12, 31)) == 247


@pytest.mark.parametrize(("day", "expected"), [
    (date(2021, 2, 20), True),    # Saturday worked, day off moved to Monday 22 Feb
    (date(2021, 2, 22), False),
    (date(2021, 11, 5), False),   # Friday, moved from Saturday 2 Jan
    (date(2021, 12, 31), False),  # Friday, moved from Sunday 3 Jan
    (date(2025, 5, 2), False),    # Friday, moved from Saturday 4 Jan
    (date(2025, 5, 8), False),    # Thursday, moved from Sunday 23 Feb
    (date(2025, 6, 13), False),   # Friday, moved from Saturday 8 Mar
    (date(2025, 11, 1), True),    # Saturday worked, day off moved to Monday 3 Nov
    (date(2025, 11, 3), False),
    (date(2025, 12, 31), False),  # Wednesday, moved from Sunday 5 Jan
    (date(2026, 1, 9), False),    # Friday, moved from Saturday 3 Jan
    (date(2026, 1, 12), True),
    (date(2026, 3, 9), False),    # Monday after Women's Day on a Sunday (Labour Code art. 112)
    (date(2026, 5, 11), False),   # Monday after Victory Day on a Saturday
    (date(2026, 11, 4), False),   # Wednesday, Unity Day
    (date(2026, 12, 31), False),  # Thursday, moved from Sunday 4 Jan
    (date(2026, 11, 7), False),   # an ordinary Saturday
    (date(2026, 11, 20), True),   # an ordinary Friday
])
def test_specific_dates(day: date, expected: bool) -> None:
    assert is_workday(day) is expected


def test_between_is_inclusive_and_empty_when_reversed() -> None:
    assert workdays_between(date(2026, 11, 20), date(2026, 11, 20)) == 1
    assert workdays_between(date(2026, 11, 21), date(2026, 11, 22)) == 0  # a weekend
    assert workdays_between(date(2026, 11, 20), date(2026, 11, 19)) == 0
    # A range across the new year: 29–30 Dec 2025 work, 31 Dec–11 Jan off, 12 Jan works.
    assert workdays_between(date(2025, 12, 29), date(2026, 1, 12)) == 3


def test_every_day_of_2020_2028_as_the_library_working_day_api_says() -> None:
    # The module leans on ``holidays``' own working-day API plus the (empty) corrections file; this was first
    # run against the hand-built calendar it replaced, which agreed on every day.
    cal = holidays.RU(years=range(2019, 2030))
    d = date(2020, 1, 1)
    while d <= date(2028, 12, 31):
        assert is_workday(d) is cal.is_working_day(d), d
        d += timedelta(days=1)
    for year in range(2020, 2029):
        for month in range(1, 13):
            first, last = date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
            assert workdays_between(first, last) == cal.get_working_days_count(first, last), (year, month)


def test_hand_known_facts() -> None:
    assert workdays_between(date(2025, 1, 1), date(2025, 12, 31)) == 247
    assert is_workday(date(2024, 11, 2)) and date(2024, 11, 2).weekday() == 5  # working Saturdays
    assert is_workday(date(2025, 11, 1)) and date(2025, 11, 1).weekday() == 5


def test_accepts_datetimes_and_timestamps() -> None:
    assert is_workday(datetime(2025, 11, 1, 23, 59)) is True
    assert is_workday(pd.Timestamp("2025-11-03 10:00")) is False
    assert workdays_between(pd.Timestamp("2026-10-01 18:00"), datetime(2026, 10, 31, 1, 0)) == 22


def test_shipped_corrections_file_is_readable() -> None:
    # Empty today: the library agrees with every official total above. It must still parse.
    assert workdays.load_corrections(workdays.CORRECTIONS_PATH) == {}


@pytest.fixture
def corrections(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Point the calendar at a temporary corrections file; the caches are cleared before and after."""
    path = tmp_path / "corrections.csv"

    def use(text: str) -> Path:
        path.write_text(text, encoding="utf-8")
        monkeypatch.setattr(workdays, "CORRECTIONS_PATH", path)
        workdays._corrections.cache_clear()
        workdays._year.cache_clear()
        return path

    yield use
    monkeypatch.undo()
    workdays._corrections.cache_clear()
    workdays._year.cache_clear()


def test_corrections_override_the_library(corrections) -> None:
    corrections(
        "date;is_workday;comment\n"
        "# a comment row;;\n"
        "2030-01-09;0;Выходной (перенесено с 05.01.2030)\n"  # a Wednesday made a day off
        "2030-11-02;1;Рабочая суббота\n"                      # a Saturday made a working day
    )
    assert is_workday(date(2030, 1, 9)) is False
    assert is_workday(date(2030, 11, 2)) is True
    assert workdays_between(date(2030, 11, 1), date(2030, 11, 3)) == 2


@pytest.mark.parametrize(("text", "fragment"), [
    ("when;what\n2030-01-09;0\n", "header"),
    ("date;is_workday;comment\n09.01.2030;0;\n", "line 2"),
    ("date;is_workday;comment\n2030-01-09;maybe;\n", "is_workday"),
])
def test_bad_corrections_are_refused(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=fragment):
        workdays.load_corrections(path)
