"""The quarter pace forecast, with the working days counted by hand from the production calendar.

Q4 2026 by hand (five-day week):
  October 2026: 1 Oct is a Thursday; 31 days − 5 Saturdays (3, 10, 17, 24, 31) − 4 Sundays
    (4, 11, 18, 25) = 22 working days, no holidays.
  November 1–20: 1 Nov is a Sunday; weekdays 2–6, 9–13, 16–20 = 15, minus Wednesday 4 Nov
    (Unity Day) = 14.
  So through Friday 20 Nov: 22 + 14 = 36 working days elapsed.
  November 21–30: 21–22 weekend, 23–27 = 5, 28–29 weekend, Monday 30 = 1 → 6.
  December 2026: 1 Dec is a Tuesday; 31 days − 4 Saturdays − 4 Sundays = 23 weekdays, minus Thursday
    31 Dec (day off moved from Sunday 4 Jan) = 22.
  So after 20 Nov: 6 + 22 = 28 left; the quarter has 22 + 20 + 22 = 64 = 36 + 28.
Target for base 300: ⌈3/5 · 300⌉ = 180 clients.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from kpi.compute.forecast import Forecast, forecast_quarter
from kpi.fmt import plural_ru

Q4 = pd.Period("2026Q4", freq="Q")


def test_mid_quarter_forecast_by_hand() -> None:
    f = forecast_quarter(Q4, base=300, active_qtd=100, as_of=date(2026, 11, 20))
    assert (f.workdays_elapsed, f.workdays_left) == (36, 28)
    # 100 + 100/36 · 28 = 100 + 77.78 = 177.78 → 177; 177/300 = 59.0 %.
    assert f.forecast_count == 177
    assert f.forecast_pct == 59.0
    # 180 − 100 = 80 still needed; 80/28 = 2.857… → 2.9 a working day.
    assert f.needed_total == 80
    assert f.needed_per_workday == 2.9
    assert f.enough_data is True
    assert f.message_ru == ("При текущем темпе к концу квартала: 59,0 % (норматив 60 %). "
                            "Нужно 2,9 клиента в рабочий день.")
    assert isinstance(f, Forecast) and f.quarter == Q4 and f.as_of == date(2026, 11, 20)


def test_needed_per_workday_rounds_up() -> None:
    # 180 − 101 = 79 needed over 28 days = 2.821…: 2.8 a day would give 78.4 < 79, so 2.9.
    f = forecast_quarter(Q4, base=300, active_qtd=101, as_of=date(2026, 11, 20))
    assert f.needed_total == 79
    assert f.needed_per_workday == 2.9


def test_whole_numbers_read_as_russian() -> None:
    # Base 320: target ⌈3/5 · 320⌉ = 192. 108 clients in 36 days → 108 · 64/36 = 192 exactly = 60.0 %.
    # Needed 192 − 108 = 84 over 28 days = 3 a day, printed without a decimal.
    f = forecast_quarter(Q4, base=320, active_qtd=108, as_of=date(2026, 11, 20))
    assert (f.forecast_count, f.forecast_pct, f.needed_per_workday) == (192, 60.0, 3.0)
    assert f.message_ru.endswith("(норматив 60 %). Нужно 3 клиента в рабочий день.")
    # Base 300, 152 clients: 28 needed over 28 days = 1 a day; forecast 152 · 64 // 36 = 270 = 90.0 %.
    f = forecast_quarter(Q4, base=300, active_qtd=152, as_of=date(2026, 11, 20))
    assert (f.forecast_count, f.forecast_pct) == (270, 90.0)
    assert f.message_ru.endswith("Нужен 1 клиент в рабочий день.")


def test_too_little_data() -> None:
    # 1, 2, 5, 6 Oct 2026 (Thu, Fri, Mon, Tue) = 4 working days < 5; 64 − 4 = 60 left.
    f = forecast_quarter(Q4, base=300, active_qtd=10, as_of=date(2026, 10, 6))
    assert (f.workdays_elapsed, f.workdays_left) == (4, 60)
    assert f.enough_data is False
    assert f.forecast_count is None and f.forecast_pct is None
    # The need does not depend on the pace: 180 − 10 = 170 over 60 days = 2.83… → 2.9.
    assert (f.needed_total, f.needed_per_workday) == (170, 2.9)
    assert f.message_ru == ("Мало данных для прогноза: прошло 4 рабочих дня квартала. "
                            "Нужно 2,9 клиента в рабочий день.")
    assert forecast_quarter(Q4, 300, 3, date(2026, 10, 1)).message_ru.startswith(
        "Мало данных для прогноза: прошёл 1 рабочий день квартала.")


def test_before_the_quarter_nothing_has_elapsed() -> None:
    f = forecast_quarter(Q4, base=300, active_qtd=0, as_of=date(2026, 9, 30))
    assert (f.workdays_elapsed, f.workdays_left) == (0, 64)
    assert f.message_ru.startswith("Мало данных для прогноза: прошло 0 рабочих дней квартала.")
    assert f.needed_per_workday == 2.9  # 180/64 = 2.81 → 2.9


def test_january_holidays_do_not_count_as_elapsed() -> None:
    # Q1 2026: 1–11 Jan are days off (9 Jan moved from 3 Jan), so Friday 16 Jan is the 5th working day
    # (12–16 Jan) though 16 calendar days have passed; Thursday 15 Jan is only the 4th.
    q1 = pd.Period("2026Q1", freq="Q")
    assert forecast_quarter(q1, 300, 20, date(2026, 1, 15)).enough_data is False
    f = forecast_quarter(q1, 300, 20, date(2026, 1, 16))
    # Q1 2026 has 15 + 19 + 21 = 55 working days; 50 left. 20 · 55 // 5 = 220 → 73.3 %.
    assert (f.workdays_elapsed, f.workdays_left, f.forecast_count, f.forecast_pct) == (5, 50, 220, 73.3)


def test_target_already_met() -> None:
    # Friday 25 Dec: Dec 1–4, 7–11, 14–18, 21–25 = 19, so 22 + 20 + 19 = 61 elapsed; left Mon 28–Wed 30 = 3.
    # 181 ≥ 180: met. Forecast 181 · 64 // 61 = 11584 // 61 = 189 (61 · 189 = 11529) → 63.0 %.
    f = forecast_quarter(Q4, base=300, active_qtd=181, as_of=date(2026, 12, 25))
    assert (f.workdays_elapsed, f.workdays_left) == (61, 3)
    assert (f.forecast_count, f.forecast_pct) == (189, 63.0)
    assert (f.needed_total, f.needed_per_workday) == (0, 0.0)
    assert f.message_ru == "При текущем темпе к концу квартала: 63,0 % (норматив 60 %). Норматив квартала уже выполнен."


def test_forecast_never_exceeds_the_base() -> None:
    # 200 · 64 // 36 = 355 clients out of 300: capped at the whole base.
    f = forecast_quarter(Q4, base=300, active_qtd=200, as_of=date(2026, 11, 20))
    assert (f.forecast_count, f.forecast_pct) == (300, 100.0)


@pytest.mark.parametrize("as_of", [date(2026, 12, 30), date(2026, 12, 31), date(2027, 1, 15)])
def test_quarter_over_and_target_missed(as_of: date) -> None:
    # Wednesday 30 Dec is the last working day (31 Dec is a day off): nothing is left after it.
    f = forecast_quarter(Q4, base=300, active_qtd=170, as_of=as_of)
    assert (f.workdays_elapsed, f.workdays_left) == (64, 0)
    # 170/300 = 56.67 % → 56.7; 180 − 170 = 10 short; no per-day figure can help any more.
    assert (f.forecast_count, f.forecast_pct) == (170, 56.7)
    assert (f.needed_total, f.needed_per_workday) == (10, None)
    assert f.message_ru == ("Рабочие дни квартала закончились: 56,7 % (норматив 60 %). "
                            "Норматив не выполнен: не хватило 10 клиентов.")


def test_quarter_over_and_target_met() -> None:
    f = forecast_quarter(Q4, base=300, active_qtd=180, as_of=date(2027, 1, 10))
    assert (f.forecast_pct, f.needed_total, f.needed_per_workday) == (60.0, 0, 0.0)
    assert f.message_ru == "Рабочие дни квартала закончились: 60,0 % (норматив 60 %). Норматив выполнен."
    short = forecast_quarter(Q4, base=300, active_qtd=179, as_of=date(2027, 1, 10))
    assert short.message_ru.endswith("не хватило 1 клиента.")


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="base"):
        forecast_quarter(Q4, base=0, active_qtd=0, as_of=date(2026, 11, 20))
    with pytest.raises(ValueError, match="base"):
        forecast_quarter(Q4, base=-5, active_qtd=0, as_of=date(2026, 11, 20))
    with pytest.raises(ValueError, match="active_qtd"):
        forecast_quarter(Q4, base=300, active_qtd=-1, as_of=date(2026, 11, 20))
    with pytest.raises(ValueError, match="Q-DEC"):
        forecast_quarter(pd.Period("2026-11", freq="M"), base=300, active_qtd=1, as_of=date(2026, 11, 20))
    with pytest.raises(ValueError, match="min_workdays"):
        forecast_quarter(Q4, base=300, active_qtd=1, as_of=date(2026, 11, 20), min_workdays=0)


@pytest.mark.parametrize(("n", "form"), [(0, "many"), (1, "one"), (2, "few"), (4, "few"), (5, "many"),
                                         (11, "many"), (12, "many"), (14, "many"), (21, "one"), (22, "few"),
                                         (111, "many"), (101, "one")])
def test_plural(n: int, form: str) -> None:
    assert plural_ru(n, ("one", "few", "many")) == form
