"""The Russian production calendar (five-day week): which dates are working days.

The quarter forecast divides by *working* days, not calendar days: a partner's staff call clients on
working days, and the January holidays or a May with eight days off would otherwise make the pace look
worse than it is. The official calendar is the Labour Code's holidays (art. 112) plus the government's
yearly decree that moves days off — which also turns some Saturdays into working days (20 Feb 2021,
2 Nov 2024, 1 Nov 2025).

The ``holidays`` library's Russian calendar knows both halves, and its working-day API
(``is_working_day``) answers for a date; it agrees with the official production calendar on every day
of 2020–2028 (``tests/kpi/compute/test_workdays.py``), so ``workdays_corrections.csv`` next to this
module holds no dates today. It is there for the day the library is wrong or late: the decree for the
next year is signed in autumn, and the pinned library version will not know it. A row there overrides
the library for that one date. For a year whose decree the library does not know yet the calendar is
the Labour Code rule only — the January weekend days are not yet moved anywhere — so counts are
approximate.
"""

from __future__ import annotations

import calendar
import csv
import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import holidays
import numpy as np

from kpi.read.values import FLAG_MAP

#: Dates where the library is wrong or does not know the decree yet: ``date;is_workday;comment``.
CORRECTIONS_PATH = Path(__file__).with_name("workdays_corrections.csv")


@dataclass(frozen=True)
class _Year:
    """One year's exceptions to "Monday–Friday work": weekday days off and weekend working days."""

    weekday_days_off: frozenset[date]
    weekend_workdays: frozenset[date]


def _as_date(d: date) -> date:
    # datetime (and pd.Timestamp) is a subclass of date; compare and hash by the calendar date only.
    return d.date() if isinstance(d, datetime) else d


def load_corrections(path: Path = CORRECTIONS_PATH) -> dict[date, tuple[bool, str]]:
    """Read a corrections file: ``{date: (is_workday, comment)}``; a missing file means none.

    Raises ``ValueError`` naming the file and line for a row that cannot be read: a wrong calendar is
    worse than a refusal, because every forecast would silently be off.
    """
    if not path.exists():
        return {}
    out: dict[date, tuple[bool, str]] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=";")
        if reader.fieldnames is None or not {"date", "is_workday"} <= set(reader.fieldnames):
            raise ValueError(f"{path}: expected a header 'date;is_workday;comment'")
        for line, row in enumerate(reader, start=2):
            raw_date = (row.get("date") or "").strip()
            if not raw_date or raw_date.startswith("#"):
                continue
            flag = (row.get("is_workday") or "").strip().lower()
            try:
                day = date.fromisoformat(raw_date)
            except ValueError:
                raise ValueError(f"{path}, line {line}: not an ISO date: {raw_date!r}") from None
            if flag not in FLAG_MAP:
                raise ValueError(f"{path}, line {line}: is_workday must be 1 or 0, got {flag!r}")
            out[day] = (FLAG_MAP[flag], (row.get("comment") or "").strip())
    return out


@functools.cache
def _corrections() -> dict[date, tuple[bool, str]]:
    return load_corrections(CORRECTIONS_PATH)


@functools.cache
def _year(year: int) -> _Year:
    # One frozen snapshot per year: a HolidayBase fills itself lazily on lookup, which is not safe to
    # share between Streamlit's script threads; frozensets are. Neighbouring years are loaded too, in
    # case a decree moves a day across the new year.
    cal = holidays.Russia(years=(year - 1, year, year + 1))
    days = [date(year, 1, 1) + timedelta(days=i) for i in range(366 if calendar.isleap(year) else 365)]
    working = {d: cal.is_working_day(d) for d in days}
    for d, (is_work, _comment) in _corrections().items():
        if d.year == year:
            working[d] = is_work
    days_off = frozenset(d for d in days if d.weekday() < 5 and not working[d])
    weekend_work = frozenset(d for d in days if d.weekday() >= 5 and working[d])
    return _Year(days_off, weekend_work)


def is_workday(d: date) -> bool:
    """Whether ``d`` is a working day of the five-day week in the Russian production calendar."""
    d = _as_date(d)
    y = _year(d.year)
    if d.weekday() >= 5:
        return d in y.weekend_workdays
    return d not in y.weekday_days_off


def workdays_between(start: date, end: date) -> int:
    """Working days from ``start`` to ``end``, both included; 0 when ``end`` is before ``start``."""
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return 0
    # Monday–Friday by numpy's vectorised count, then the year's exceptions that fall in the range.
    count = int(np.busday_count(start, end + timedelta(days=1)))
    for year in range(start.year, end.year + 1):
        y = _year(year)
        count -= sum(1 for d in y.weekday_days_off if start <= d <= end)
        count += sum(1 for d in y.weekend_workdays if start <= d <= end)
    return count
