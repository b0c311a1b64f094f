"""Russian display formatting, checked against examples worked out by hand."""

from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import pytest

from kpi import fmt

NB = "\u00a0"


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0"),
        (7, "7"),
        (999, "999"),
        (1000, f"1{NB}000"),
        (1234, f"1{NB}234"),
        (1234567, f"1{NB}234{NB}567"),
        (-1234567, f"-1{NB}234{NB}567"),
        (100000, f"100{NB}000"),
        (np.int64(25000), f"25{NB}000"),
        (1234.5, f"1{NB}235"),  # half away from zero, not banker's rounding
        (2.5, "3"),
        (-2.5, "-3"),
        (None, "—"),
        (float("nan"), "—"),
        (pd.NA, "—"),
    ],
)
def test_fmt_int(n, text):
    assert fmt.fmt_int(n) == text


def test_fmt_int_uses_no_break_space_only():
    text = fmt.fmt_int(1_000_000)
    assert text == "1\u00a0000\u00a0000"
    assert " " not in text and "\u202f" not in text


@pytest.mark.parametrize(
    ("x", "digits", "text"),
    [
        (51.13, 1, f"51,1{NB}%"),
        (51.15, 1, f"51,2{NB}%"),  # 51.15 is stored as 51.149999…; shown as it reads
        (0.125, 2, f"0,13{NB}%"),
        (60, 1, f"60,0{NB}%"),
        (60, 0, f"60{NB}%"),
        (100, 1, f"100,0{NB}%"),
        (1234.5, 1, f"1{NB}234,5{NB}%"),
        (-0.04, 1, f"0,0{NB}%"),  # no «-0,0 %»
        (-12.34, 1, f"-12,3{NB}%"),
        (None, 1, "—"),
        (float("nan"), 1, "—"),
        (float("inf"), 1, "—"),
    ],
)
def test_fmt_pct(x, digits, text):
    assert fmt.fmt_pct(x, digits) == text


@pytest.mark.parametrize(
    ("d", "text"),
    [
        (date(2021, 3, 31), "31.03.2021"),
        (datetime(2021, 3, 31, 14, 5), "31.03.2021"),
        (pd.Timestamp("2026-11-01 23:59"), "01.11.2026"),
        (np.datetime64("2026-01-09"), "09.01.2026"),
        (pd.NaT, ""),
        (None, ""),
        (float("nan"), ""),
    ],
)
def test_fmt_date(d, text):
    assert fmt.fmt_date(d) == text


@pytest.mark.parametrize(
    ("d", "text"),
    [
        (datetime(2021, 3, 31, 14, 5, 59), "31.03.2021 14:05"),
        (pd.Timestamp("2026-11-01 09:07"), "01.11.2026 09:07"),
        (pd.Timestamp("2026-11-01 09:07", tz="Europe/Moscow"), "01.11.2026 09:07"),
        (datetime(2026, 1, 1, 0, 0, tzinfo=UTC), "01.01.2026 00:00"),
        (date(2021, 3, 31), "31.03.2021"),  # a date has no time to show
        (pd.NaT, ""),
        (None, ""),
    ],
)
def test_fmt_datetime(d, text):
    assert fmt.fmt_datetime(d) == text


def test_fmt_date_refuses_non_dates():
    with pytest.raises(TypeError):
        fmt.fmt_date("вчера")


def test_month_names():
    assert len(fmt.MONTHS_RU) == 12 and len(fmt.MONTHS_RU_GENITIVE) == 12
    assert fmt.MONTHS_RU[0] == "январь" and fmt.MONTHS_RU[4] == "май" and fmt.MONTHS_RU[11] == "декабрь"
    assert fmt.MONTHS_RU_GENITIVE[2] == "марта" and fmt.MONTHS_RU_GENITIVE[10] == "ноября"


def test_month_label():
    assert fmt.month_label(pd.Period("2026-11", "M")) == "ноябрь 2026"
    assert fmt.month_label(pd.Period("2027-01", "M")) == "январь 2027"
    assert fmt.month_label(pd.Timestamp("2026-05-31")) == "май 2026"


@pytest.mark.parametrize(
    ("period", "label", "code"),
    [
        (pd.Period("2026Q4", "Q"), "4 квартал 2026", "2026-Q4"),
        (pd.Period("2026Q1", "Q"), "1 квартал 2026", "2026-Q1"),
        (pd.Period("2027-02", "M"), "1 квартал 2027", "2027-Q1"),  # the quarter a month falls in
        (pd.Period("2026-09", "M"), "3 квартал 2026", "2026-Q3"),
    ],
)
def test_quarters(period, label, code):
    assert fmt.quarter_label(period) == label
    assert fmt.quarter_code(period) == code


def test_fiscal_quarters_are_refused():
    with pytest.raises(ValueError):
        fmt.quarter_label(pd.Period("2026Q4", freq="Q-MAR"))


FORMS = ("клиент", "клиента", "клиентов")


@pytest.mark.parametrize(
    ("n", "word"),
    [
        (0, "клиентов"),
        (1, "клиент"),
        (2, "клиента"),
        (3, "клиента"),
        (4, "клиента"),
        (5, "клиентов"),
        (10, "клиентов"),
        (11, "клиентов"),
        (12, "клиентов"),
        (14, "клиентов"),
        (21, "клиент"),
        (22, "клиента"),
        (25, "клиентов"),
        (101, "клиент"),
        (104, "клиента"),
        (111, "клиентов"),
        (112, "клиентов"),
        (1001, "клиент"),
        (-1, "клиент"),
        (1.5, "клиента"),
        (2.0, "клиента"),
    ],
)
def test_plural_ru(n, word):
    assert fmt.plural_ru(n, FORMS) == word


def test_plural_ru_with_number():
    assert f"{fmt.fmt_int(1021)} {fmt.plural_ru(1021, FORMS)}" == f"1{NB}021 клиент"


def test_plural_ru_needs_three_forms():
    with pytest.raises(ValueError):
        fmt.plural_ru(1, ("клиент", "клиентов"))


@pytest.mark.parametrize(
    "text",
    [
        "2026-11",
        "11.2026",
        "ноябрь 2026",
        "Ноябрь 2026 г.",
        "НОЯБРЬ 2026 года",
        "ноября 2026",
        "нояб. 2026",
        "  ноябрь\u00a02026 ",
        "2026.11",
        "11/2026",
    ],
)
def test_parse_month_accepts(text):
    assert fmt.parse_month(text) == pd.Period("2026-11", "M")


def test_parse_month_yo_and_may():
    assert fmt.parse_month("май 2026") == pd.Period("2026-05", "M")
    assert fmt.parse_month("01.2027") == pd.Period("2027-01", "M")
    assert fmt.parse_month("2026-9") == pd.Period("2026-09", "M")


@pytest.mark.parametrize(
    "text",
    ["", "ноябрь", "2026", "13.2026", "2026-00", "брр 2026", "31.12.2026", "11.2206", "Q4 2026"],
)
def test_parse_month_refuses_in_russian(text):
    with pytest.raises(ValueError) as info:
        fmt.parse_month(text)
    assert any("а" <= ch <= "я" for ch in str(info.value).lower())


def test_parse_month_round_trips_labels():
    for month in pd.period_range("2025-01", "2026-12", freq="M"):
        assert fmt.parse_month(fmt.month_label(month)) == month
