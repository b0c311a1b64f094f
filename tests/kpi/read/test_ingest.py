"""Reading real-looking exports: formats, encodings, title rows, totals rows, header variants."""

import pandas as pd
import pytest

from kpi.errors import InputError
from kpi.read.ingest import month_from_text, read_table
from kpi.read.recognise import read_export
from kpi.read.schema import Kind, normalize_header
from tests.helpers import csv_bytes, xlsx_bytes

HEADER = ["Клиент", "ИНН", "Тип клиента", "Коммуникации в отчетном месяце", "Коммуникации в -1 месяце",
          "Коммуникации в -2 месяце", "Авторизация в отчетном месяце", "Дата последней коммуникации", "Телефон"]
ROWS = [
    ["ООО «Ромашка»", "7701234567", "Клиенты 1С", "Да", "Нет", "Нет", "Да", "03.09.2013 4:03:05", "+7 912"],
    ["ИП Петров П.П.", "500100732259", "Прочие клиенты", "Нет", "Да", "Нет", "Нет", "", "-"],
    ["АО «Вектор»", "0274012345", "Клиенты 1С", "Нет", "Нет", "Нет", "Нет", "", ""],
]
TITLE = ["Статистика использования 1С-Коннект (по клиентам)", "Период: Март 2021 г.", "Тип клиентов: Все клиенты", ""]


def test_cp1251_semicolon_csv_with_title_and_totals():
    data = csv_bytes([HEADER, *ROWS, ["Итого", "", "", "1", "1", "0", "1", "", ""]], title=TITLE)
    p = read_export("отчет.csv", data)
    r = p.report
    assert r.error is None
    assert r.kind is Kind.CONNECT_CLIENTS
    assert (r.encoding, r.separator, r.header_row) == ("cp1251", ";", 5)
    assert r.period_month == pd.Period("2021-03", "M")
    assert (r.rows_read, r.rows_used) == (4, 3)
    # the totals row is line 9 of the file: 4 title lines, the header on line 5, three clients on 6–8
    assert [(n.code, n.kind, n.row) for n in r.notes] == [("totals-row", "skipped", 9)]
    t = p.table
    assert t["_comm_m0"].tolist() == [True, False, False]
    assert t["_inn"].tolist() == ["7701234567", "500100732259", "0274012345"]
    assert t.loc[6, "_last_comm"] == pd.Timestamp("2013-09-03 04:03:05")
    assert "Телефон" in t.columns  # extra columns are kept


@pytest.mark.parametrize(("encoding", "sep"), [("utf-8-sig", ";"), ("utf-8", ","), ("utf-8", "\t"), ("utf-16", "\t")])
def test_csv_encodings_and_separators(encoding, sep):
    p = read_export("x.csv", csv_bytes([HEADER, *ROWS], encoding=encoding, sep=sep))
    assert p.report.error is None, p.report.error
    assert p.report.separator == sep
    assert p.table["_client"].tolist()[0] == "ООО «Ромашка»"


def test_xlsx_table_on_second_sheet_with_numbers_and_serial_dates():
    rows = [HEADER, ["ООО «Ромашка»", 7701234567, "Клиенты 1С", "Да", "Нет", "Нет", "Да", 44286.5, ""],
            ["АО «Вектор»", 274012345, "Клиенты 1С", 1, 0, "-", "+", None, None]]
    data = xlsx_bytes(rows, title=TITLE, first_sheet=[["Параметры отчета"], ["Период", "Март 2021"]])
    p = read_export("stat.xlsx", data)
    assert p.report.error is None
    assert p.report.sheet == "Отчет"
    assert p.report.header_row == 5
    t = p.table
    # an ИНН typed as a number loses its leading zero in Excel: 9 digits get it back
    assert t["_inn"].tolist() == ["7701234567", "0274012345"]
    # 44286.5 is 31.03.2021 12:00 in Excel's 1900 date system
    assert t["_last_comm"].iloc[0] == pd.Timestamp("2021-03-31 12:00")
    assert t["_comm_m0"].tolist() == [True, True]
    assert t["_auth_m0"].tolist() == [True, True]


def test_header_variants_are_matched():
    assert normalize_header("Коммуникации в\nотчётном  месяце:") == normalize_header("коммуникации в отчетном месяце")
    header = ["Наименование клиента", "Рег. номер", "Коммуникации в\nотчётном месяце", "Категория клиента"]
    p = read_export("v.csv", csv_bytes([header, ["ООО А", "800123456", "да", "Клиенты 1С"]], encoding="utf-8"))
    assert p.report.kind is Kind.CONNECT_CLIENTS
    assert p.report.fields == {"Наименование клиента": "client", "Рег. номер": "regnum",
                               "Коммуникации в отчётном месяце": "comm_m0", "Категория клиента": "client_type"}


def test_bad_flag_rows_are_listed_and_the_rest_kept():
    rows = [HEADER, ROWS[0], ["ООО Б", "7701234568", "Клиенты 1С", "может быть", "Нет", "Нет", "Нет", "", ""], ROWS[2]]
    p = read_export("f.csv", csv_bytes(rows))
    assert p.report.rows_used == 2
    (note,) = p.report.notes
    assert (note.kind, note.row, note.column) == ("skipped", 3, "Коммуникации в отчетном месяце")
    assert (note.code, note.param["value"]) == ("flag-invalid", "может быть")


def test_unknown_columns_say_what_is_expected():
    with pytest.raises(InputError) as exc:
        read_table("x.csv", "Фрукт;Цена\nЯблоко;10\n".encode())
    assert exc.value.code == "no-header" and exc.value.file == "x.csv"
    assert "Коммуникации в отчетном месяце" in exc.value.problem.param["expected"]
    # a header of two known fields that fit no kind: refused with what was found and what is expected
    err = read_export("y.csv", "Специалист;Тип клиента\nИванов;Клиенты 1С\n".encode()).report.error
    assert err.code == "unknown-columns" and err.problem.param["found"] == "«Специалист», «Тип клиента»"


@pytest.mark.parametrize(
    ("text", "month"),
    [("Период: Март 2021 г.", "2021-03"), ("за май 2020", "2020-05"), ("Период: Ноябрь 2026 г.", "2026-11")],
)
def test_month_from_title(text, month):
    assert month_from_text(text) == pd.Period(month, "M")


def test_title_date_range_gives_period():
    rows = [["Дата", "Пользователь 1С", "Категория Пользователя", "Дата последней авторизации",
             "Авторизация в отчетный период"], ["", "Нет", "Первый платный", "", "Нет"]]
    p = read_export("b.csv", csv_bytes(rows, title=["Статистика подключения пользователей",
                                                     "Период: 01.11.2026 - 20.11.2026"]))
    assert p.report.kind is Kind.BUHFON
    assert str(p.report.period_from) == "2026-11-01"
    assert str(p.report.period_to) == "2026-11-20"
