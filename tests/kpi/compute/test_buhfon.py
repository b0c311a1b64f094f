"""1С-Бухфон launches: who did not start the program, never-started users, days since, categories."""

from datetime import date

import pytest

from kpi.compute.buhfon import BuhfonFilter, apply_buhfon_filter, buhfon_export_frame
from kpi.errors import ComputeError
from kpi.pipeline import buhfon_view
from kpi.read.recognise import read_export
from tests.helpers import csv_bytes, xlsx_bytes

HEADER = ["Дата", "Пользователь", "Пользователь 1С", "Категория Пользователя", "Дата последней авторизации",
          "Авторизация в отчетный период", "Телефон"]
# The seed's rows (a subset), with users and phones added.
ROWS = [
    ["", "Иванов", "Нет", "Пакет от 6 до 10 пользователей", "", "Нет", "+7 1"],
    ["", "Петров", "Нет", "Пакет от 6 до 10 пользователей", "03.09.2013 4:03:05", "Нет", "=cmd"],
    ["", "Сидоров", "Нет", "Пользователь без услуг", "10.11.2014 5:59:05", "Нет", ""],
    ["2015", "Козлов", "Да", "Пакет от 11 до 20 пользователей", "19.11.2014 11:43:45", "Нет", ""],
    ["2015", "Смирнов", "Да", "Первый платный", "", "Нет", ""],
    ["2015", "Орлов", "Да", "Первый платный", "18.11.2015 9:00:00", "Да", ""],
]
TITLE = ["Статистика подключения пользователей", "Период: 16.11.2015 - 22.11.2015", ""]


def test_not_launched_from_the_flag_column():
    p = read_export("bf.xlsx", xlsx_bytes([HEADER, *ROWS], title=TITLE))
    data, r = buhfon_view([p])
    # 6 users, 5 with «Нет»; 2 of those have no last authorisation (Иванов, Смирнов)
    j = r.to_json()
    assert (j["users"], j["not_launched"], j["never_launched"]) == (6, 5, 2)
    assert j["by_category"] == {"Пакет от 6 до 10 пользователей": 2, "Пользователь без услуг": 1,
                                "Пакет от 11 до 20 пользователей": 1, "Первый платный": 1}
    assert j["decided_by"] == "flag"
    # days since, counted to the period's end 22.11.2015: from 03.09.2013 that is 810 days
    t = r.table.set_index("Пользователь")
    assert t.loc["Петров", "days_since"] == (date(2015, 11, 22) - date(2013, 9, 3)).days == 810
    out = buhfon_export_frame(apply_buhfon_filter(r.table, BuhfonFilter()), data)
    # never-started first, then the longest silence
    assert out["Пользователь"].tolist() == ["Иванов", "Смирнов", "Петров", "Сидоров", "Козлов"]
    assert out["Телефон"].tolist()[2] == "=cmd"  # kept as text; the writer keeps it from becoming a formula
    assert list(out.columns)[-2:] == ["Дней без запуска", "Ни разу не запускалась"]


def test_filters_by_category_and_1c_user():
    _, r = buhfon_view([read_export("bf.csv", csv_bytes([HEADER, *ROWS], title=TITLE))])
    first = apply_buhfon_filter(r.table, BuhfonFilter(categories=("Первый платный",)))
    assert first["Пользователь"].tolist() == ["Смирнов"]
    not_1c = apply_buhfon_filter(r.table, BuhfonFilter(is_1c_user=False))
    assert sorted(not_1c["Пользователь"]) == ["Иванов", "Петров", "Сидоров"]


def test_without_flag_column_dates_decide_against_the_given_period():
    header = [h for h in HEADER if h != "Авторизация в отчетный период"]
    rows = [[v for i, v in enumerate(r) if i != 5] for r in ROWS]
    p = read_export("bf.csv", csv_bytes([header, *rows]))
    with pytest.raises(ComputeError, match="период"):
        buhfon_view([p])
    _, r = buhfon_view([p], date(2015, 11, 1), date(2015, 11, 30))
    # launched since 01.11.2015: Орлов (18.11.2015) only; the other 5 did not, 2 never did
    assert (r.users, r.not_launched, r.never_launched) == (6, 5, 2)
    _, r2 = buhfon_view([p], date(2014, 11, 15), date(2015, 11, 30))
    # from 15.11.2014: Козлов (19.11.2014) and Орлов launched → 4 did not
    assert r2.not_launched == 4
