"""Issue 9, read side: the shapes partners really have, read right or set aside with a reason and a code.

Each input is generated here (fake names, never a copy of a real file) in the shape the issue describes;
every expectation is worked out by hand from the rows written.
"""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from kpi.read.recognise import read_export
from kpi.read.schema import KIND_OPTIONS, Kind
from kpi.read.vendor import VendorSummary
from tests.helpers import csv_bytes, xlsx_bytes

# --- the ITS portal's «Отчет по договорам 1С:ИТС» ---------------------------------------------------------

ITS_FIRST = ["Партнер", "Код партнера", "Регномер", "Пользователь", "ИНН / ЕДРПОУ(Укр) пользователя",
             "Наименование вида 1С:ИТС", "Начало", "Конец", "Месяцев", "Действует", "Вид 1С:ИТС", "Купон", "Отменена",
             "Способ оплаты", "ИНН партнера", "СубДистрибьютор", "Доплата по старой цене",
             "Льготная цена для\nпользователя", "Льготная цена для\nпартнера", "Тип Цен",
             "Дата регистрации договора 1С:ИТС", "Дополнительные регномера", "ИНН", "КПП", "Директор", "Город", "Улица",
             "Дом", "Корпус", "Квартира", "Тел Код Города", "Телефон", "Факс", "eMail"]
ITS_SECOND = ["Пользователь", "ИНН", "КПП", "Директор", "Ответственный", "Город", "Улица", "Дом", "Корпус",
              "Квартира", "Тел Код Города", "Телефон", "Факс", "eMail"]
ITS_HEADER = ITS_FIRST + ITS_SECOND
REPEATED = ["Пользователь", "ИНН", "КПП", "Директор", "Город", "Улица", "Дом", "Корпус", "Квартира", "Тел Код Города",
            "Телефон", "Факс", "eMail"]


def its_row(regnum: object, user: str, inn: object, kind: str, start: str, end: str, refused: str = "",
            extra: str | None = None, responsible: str = "Петрова А.А.") -> list[object]:
    first = dict.fromkeys(ITS_FIRST, None)
    first.update({"Партнер": "ООО «Партнёр»", "Код партнера": 12345, "Регномер": regnum, "Пользователь": user,
                  "ИНН / ЕДРПОУ(Укр) пользователя": inn, "Наименование вида 1С:ИТС": kind, "Начало": start,
                  "Конец": end, "Месяцев": 12, "Действует": "Действует", "Отменена": refused or None,
                  "Дата регистрации договора 1С:ИТС": start + " 0:00:00", "Дополнительные регномера": extra,
                  "ИНН": inn, "Телефон": 4951234567, "КПП": 770101001})
    second = [user, inn, 770101001, "Директоров Д.Д.", responsible, "Москва", None, None, None, None, None,
              None, None, None]
    return [first[c] for c in ITS_FIRST] + second


ITS_ROWS = [
    # a region-01 ИНН stored as a number has lost its zero; two additional регномера
    its_row(800100200300, "ООО «Альфа»", 105012345, "1С:КП ПРОФ", "01.01.2022", "31.12.2022",
            extra="200001904946;200000289498"),
    its_row(800100200300, "ООО «Альфа»", 105012345, "1СПАРК Риски", "01.01.2022", "31.12.2022"),
    # a 12-digit ИНН (a float in the workbook) and a text регномер; refused from April
    its_row("FR123456", "ИП Бетов Б.Б.", 500100732259.0, "ИТСааС ПРОФ", "01.07.2022", "30.06.2023",
            refused="Отказ с 01.04.2023", responsible="Сидоров С.С."),
    # an 11-digit ИНН of a person that lost its zero
    its_row(800100200301, "ИП Гаммов Г.Г.", 12345678901, "Предприятие через Интернет", "01.03.2022", "28.02.2023"),
]


def its_report(rows: list[list[object]] = ITS_ROWS, title: str = "Отчет по договорам 1С:ИТС от 07.11.2022 ") -> bytes:
    """The shape 1C:Enterprise writes: merged title, partner line, merged group headings, header in row 5."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "TDSheet"
    ws["A1"] = title
    ws.merge_cells("A1:L1")
    ws["A2"] = "Партнер:  (12345)  ООО «Партнёр»"
    ws["A4"] = "Данные из карточки пользользователя"
    ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=len(ITS_FIRST))
    ws.cell(row=4, column=len(ITS_FIRST) + 1, value="Данные о пользователе из последней заявки")
    ws.merge_cells(start_row=4, start_column=len(ITS_FIRST) + 1, end_row=4, end_column=len(ITS_HEADER))
    for j, name in enumerate(ITS_HEADER, start=1):
        ws.cell(row=5, column=j, value=name)
    for i, row in enumerate(rows, start=6):
        for j, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=i, column=j, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_its_report_is_read_as_its_contracts_with_its_fields():
    p = read_export("Отчет по договорам.xlsx", its_report())
    r = p.report
    assert r.error is None and r.set_aside is None, (r.error, r.set_aside)
    assert (r.kind, r.sheet, r.header_row, r.rows_used) == (Kind.ITS_CONTRACTS, "TDSheet", 5, 4)
    assert r.report_date == date(2022, 11, 7)
    assert r.decided_by == ["Наименование вида 1С:ИТС", "Начало", "Конец"]
    t = p.table
    assert t["_inn"].tolist() == ["0105012345", "0105012345", "500100732259", "012345678901"]
    assert t["_regnum"].tolist() == ["800100200300", "800100200300", "FR123456", "800100200301"]
    assert t["_regnums_extra"].iloc[0] == "200001904946;200000289498"
    assert t["_regnums_extra"].iloc[1:].isna().all()
    assert t["_client"].tolist() == ["ООО «Альфа»", "ООО «Альфа»", "ИП Бетов Б.Б.", "ИП Гаммов Г.Г."]
    assert t["_its_kind"].tolist() == ["1С:КП ПРОФ", "1СПАРК Риски", "ИТСааС ПРОФ", "Предприятие через Интернет"]
    assert t["_start"].tolist()[2] == pd.Timestamp("2022-07-01")
    assert t["_end"].tolist()[2] == pd.Timestamp("2023-06-30")
    assert pd.api.types.is_datetime64_dtype(t["_start"]) and pd.api.types.is_datetime64_dtype(t["_end"])
    assert t["_refused_from"].iloc[2] == pd.Timestamp("2023-04-01")
    assert t["_refused_from"].drop(t.index[2]).isna().all()
    # «Ответственный» exists only in the second group (the user's last order)
    assert t["_responsible"].tolist() == ["Петрова А.А.", "Петрова А.А.", "Сидоров С.С.", "Петрова А.А."]
    # repeated names: the first keeps its name (fields and downloads), the later ones a suffix; said once
    (warning,) = r.warnings
    assert warning.code == "columns-repeated" and warning.file == "Отчет по договорам.xlsx"
    assert warning.param["columns"] == ", ".join(f"«{c}»" for c in REPEATED)
    assert "Пользователь (2)" in t.columns and "ИНН (2)" in t.columns
    assert r.fields["Пользователь"] == "client" and r.fields["ИНН / ЕДРПОУ(Укр) пользователя"] == "inn"
    # identifiers are text in the kept source columns too: no 500100732259.0, no 1.0501E+08
    # and an ИНН the workbook stored as a number gets its lost leading zero back there as well
    assert t["ИНН / ЕДРПОУ(Укр) пользователя"].tolist() == ["0105012345", "0105012345", "500100732259", "012345678901"]
    assert t["Регномер"].tolist()[0] == "800100200300" and t["ИНН (2)"].tolist()[2] == "500100732259"
    assert t["Телефон"].tolist()[0] == "4951234567"


def test_its_report_is_never_a_log_even_when_read_by_the_cli_kind_name():
    assert KIND_OPTIONS["its"] is Kind.ITS_CONTRACTS and KIND_OPTIONS["ignore"] is None
    p = read_export("its.xlsx", its_report(), kind=KIND_OPTIONS["its"])
    assert p.ok and p.kind is Kind.ITS_CONTRACTS and p.report.forced


def test_its_report_without_a_date_in_its_title():
    p = read_export("its.xlsx", its_report(title="Отчет по договорам 1С:ИТС"))
    assert p.kind is Kind.ITS_CONTRACTS and p.report.report_date is None


# --- PBX calls and CRM deals: recognised and set aside -----------------------------------------------------

PBX_TITLE = ["История звонков", "Дата отчета: 07.11.2022", "Звонки: Внешние", "С: 11/01/2022", "По: 11/30/2022",
             "Типы звонков: Все"]
PBX_HEADER = ["Тип звонка", "Клиент", "Сотрудник", "Должность", "Через", "Переадресация", "Дата", "Время",
              "Ожидание", "Длительность"]
PBX_ROWS = [["входящий", "+79161234567", "Иванов И.И.", "Консультант", "+74951234567", "", "01.11.2022",
             "10:15", "0:05", "3:20"],
            ["неотвеченный", "+79167654321", "", "", "+74951234567", "", "02.11.2022", "11:00", "0:40", "0:00"]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_pbx_call_history_is_set_aside_with_its_evidence(fmt):
    rows = [PBX_HEADER, *PBX_ROWS]
    data = csv_bytes(rows, title=PBX_TITLE) if fmt == "csv" else xlsx_bytes(rows, title=PBX_TITLE)
    p = read_export(f"calls.{fmt}", data)
    r = p.report
    assert not p.ok and r.error is None
    assert r.kind is Kind.PBX_CALLS
    assert r.set_aside.code == "set-aside-pbx" and r.set_aside.file == f"calls.{fmt}"
    assert r.decided_by == ["Тип звонка", "Через", "Переадресация", "Ожидание"]
    assert r.set_aside.param["evidence"] == "«Тип звонка», «Через», «Переадресация», «Ожидание»"


CRM_HEADER = ["ID", "Название сделки", "Стадия сделки", "Воронка", "Сумма", "Валюта", "Компания", "Ответственный",
              "Дата начала", "Дата завершения", "Регномер", "Комментарий"]
CRM_ROWS = [["101", "Продление ИТС", "Успешно", "Продажи", "24000", "RUB", "ООО «Альфа»", "Петрова А.А.",
             "01.11.2022", "15.11.2022", "800100200300", ""]]


def test_crm_deal_export_is_set_aside_with_its_evidence():
    p = read_export("deals.csv", csv_bytes([CRM_HEADER, *CRM_ROWS]))
    r = p.report
    assert not p.ok and r.error is None
    assert r.kind is Kind.CRM_DEALS and r.set_aside.code == "set-aside-crm"
    assert r.decided_by == ["Название сделки", "Стадия сделки", "Воронка"]


def test_a_date_and_a_client_without_a_channel_is_not_a_log():
    rows = [["Дата", "Клиент", "ИНН"], ["05.11.2026 10:00:00", "ООО «Альфа»", "7701234567"]]
    p = read_export("dated.csv", csv_bytes(rows))
    r = p.report
    assert not p.ok and r.error is None and r.kind is None
    assert r.set_aside.code == "set-aside-not-log"
    assert r.decided_by == ["Дата", "Клиент", "ИНН"]
    # with the channel it is a log, and the channel is what decided it
    rows = [["Дата", "Клиент", "ИНН", "Канал"], ["05.11.2026 10:00:00", "ООО «Альфа»", "7701234567", "Чат"]]
    p = read_export("log.csv", csv_bytes(rows))
    assert p.kind is Kind.CONNECT_LOG and p.report.decided_by == ["Дата", "Канал"]
    rows = [["Дата и время", "ИНН", "Линия"], ["05.11.2026 10:00:00", "7701234567", "Бухгалтерия"]]
    assert read_export("line.csv", csv_bytes(rows)).kind is Kind.CONNECT_LOG


def test_edo_counterparty_list_is_not_an_its_base():
    rows = [["Контрагент", "ИНН", "КПП", "Идентификатор участника ЭДО", "Оператор ЭДО", "Дата приглашения",
             "Статус приглашения"],
            ["ООО «Альфа»", "7701234567", "770101001", "2AE-1234", "Такском", "01.11.2022", "Принято"]]
    p = read_export("edo.xlsx", xlsx_bytes(rows))
    r = p.report
    assert not p.ok and r.set_aside.code == "set-aside-unknown"
    assert r.decided_by == ["Идентификатор участника ЭДО", "Оператор ЭДО", "Дата приглашения"]
    # the user knows better: read it as a client list
    p = read_export("edo.xlsx", xlsx_bytes(rows), kind=KIND_OPTIONS["base"])
    assert p.ok and p.kind is Kind.CLIENT_BASE and p.report.forced and p.table["_inn"].tolist() == ["7701234567"]


def test_plain_client_lists_are_still_base_lists():
    p = read_export("b.csv", csv_bytes([["Клиент", "Телефон", "Комментарий"], ["ООО А", "+7 1", ""]]))
    assert p.kind is Kind.CLIENT_BASE and p.report.decided_by == ["Клиент"]
    p = read_export("inn.csv", csv_bytes([["ИНН"], ["7701234567"], ["274012345"]]))
    assert p.kind is Kind.CLIENT_BASE and p.table["_inn"].tolist() == ["7701234567", "0274012345"]


# --- the user's override ------------------------------------------------------------------------------------

def test_ignore_sets_a_file_aside_unread():
    p = read_export("x.csv", b"whatever", ignore=True)
    assert not p.ok and p.report.error is None and p.report.forced
    assert p.report.set_aside.code == "set-aside-user" and p.report.set_aside.file == "x.csv"


def test_forced_kind_must_have_its_columns():
    rows = [["Клиент", "ИНН"], ["ООО А", "7701234567"]]
    p = read_export("b.csv", csv_bytes(rows), kind=Kind.CONNECT_CLIENTS)
    err = p.report.error
    assert not p.ok and err.code == "kind-columns-missing" and err.file == "b.csv"
    assert err.problem.param["missing"] == "«Коммуникации в отчетном месяце»"
    p = read_export("b.csv", csv_bytes(rows), kind=Kind.CONNECT_LOG)
    assert p.report.error.code == "kind-columns-missing" and "«Дата»" in p.report.error.problem.param["missing"]
    # a PBX history read as a log on the user's word: dates and clients are there
    p = read_export("calls.csv", csv_bytes([PBX_HEADER, *PBX_ROWS], title=PBX_TITLE), kind=Kind.CONNECT_LOG)
    assert p.ok and p.kind is Kind.CONNECT_LOG and p.report.rows_used == 2


# --- the header rule -----------------------------------------------------------------------------------------

def test_a_data_cell_equal_to_a_field_name_never_makes_a_header():
    rows = [["Номер", "Описание", "Сумма"], ["1", "Контрагент", "10"], ["2", "Товар", "20"]]
    p = read_export("x.csv", csv_bytes(rows))
    assert not p.ok and p.report.error.code == "no-header"
    rows = [["Номер", "Описание", "Сумма"], ["1", "Контрагент", "10"]]
    p = read_export("x.xlsx", xlsx_bytes(rows))
    assert not p.ok and p.report.error.code == "no-header" and p.report.error.file == "x.xlsx"


def test_a_one_column_list_of_names_holding_a_field_name_has_no_header():
    p = read_export("names.csv", csv_bytes([["ООО А"], ["Контрагент"], ["ООО Б"]]))
    assert not p.ok and p.report.error.code == "no-header"
    # a one-column list with its header after a title and a blank row is read
    p = read_export("inn.csv", csv_bytes([["Клиенты ИТС на 01.10.2026"], [""], ["ИНН"], ["7701234567"]]))
    assert p.kind is Kind.CLIENT_BASE and p.report.header_row == 3 and p.table["_inn"].tolist() == ["7701234567"]


def test_a_one_cell_title_equal_to_a_field_name_does_not_hide_the_header():
    rows = [["Контрагент"], ["Клиент", "ИНН", "Коммуникации в отчетном месяце"], ["ООО А", "7701234567", "Да"]]
    p = read_export("x.csv", csv_bytes(rows))
    assert p.kind is Kind.CONNECT_CLIENTS and p.report.header_row == 2 and p.report.rows_used == 1


# --- the vendor's summary table ----------------------------------------------------------------------------

STATS_TITLE = ["Статистика использования 1С-Коннект (по клиентам)", "Период: Ноябрь 2026 г.",
               "Тип клиентов: Клиенты 1С"]
STATS_HEADER = ["Клиент", "ИНН", "Тип клиента", "Коммуникации в отчетном месяце", "Коммуникации в -1 месяце",
                "Коммуникации в -2 месяце", "Авторизация в отчетном месяце"]
STATS_ROWS = [["ООО «Альфа»", "7701234567", "Клиенты 1С", "Да", "Нет", "Нет", "Да"],
              ["ООО «Бета»", "7702345678", "Клиенты 1С", "Нет", "Да", "Нет", "Нет"],
              ["АО «Вектор»", "0274012345", "Клиенты 1С", "Нет", "Нет", "Нет", "Нет"]]
SUMMARY = [["Показатель", "Количество", "% (контроль норматива)"],
           ["Всего клиентов ИТС (по состоянию на 30.11.2026, контроль норматива):", "50", ""],
           ["Клиентов с авторизацией в отчетном, -1 и -2 месяцах:", "31", "62"],
           ["Клиентов с коммуникациями в отчетном, -1 или -2 месяцах:", "28", "56"]]
FOOTNOTE = [["*Данные в отчете выводятся по часовому поясу вашего региона*"]]


def _vendor(fmt: str, rows: list[list[object]]) -> bytes:
    if fmt == "csv":
        return csv_bytes(rows, title=STATS_TITLE)
    numeric = [[int(c) if isinstance(c, str) and c.isdigit() and len(c) < 4 else c for c in r] for r in rows]
    return xlsx_bytes(numeric, title=STATS_TITLE)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("where", ["above", "below", "below_adjacent"])
def test_vendor_summary_is_read_wherever_it_stands_and_never_a_client(fmt, where):
    blank = [[""] * 3, [""] * 3]
    rows = {"above": [*SUMMARY, *blank, STATS_HEADER, *STATS_ROWS],
            "below": [STATS_HEADER, *STATS_ROWS, *blank, *SUMMARY, [""], *FOOTNOTE],
            "below_adjacent": [STATS_HEADER, *STATS_ROWS, *SUMMARY]}[where]
    p = read_export(f"stat.{fmt}", _vendor(fmt, rows))
    r = p.report
    assert r.error is None and r.kind is Kind.CONNECT_CLIENTS
    assert r.period_month == pd.Period("2026-11", "M")
    # the base is the vendor's 50, not «one more client»; the three clients are the table's
    assert p.table["_client"].tolist() == ["ООО «Альфа»", "ООО «Бета»", "АО «Вектор»"]
    assert (r.rows_read, r.rows_used) == (3, 3) and not r.notes and not r.warnings
    first_line = len(STATS_TITLE) + 1 + {"above": 1, "below": 7, "below_adjacent": 5}[where]
    assert r.vendor_summary == VendorSummary(base=50, base_date=date(2026, 11, 30), authorized_window=31,
                                             active_window=28, file=f"stat.{fmt}", row=first_line,
                                             sheet="Отчет" if fmt == "xlsx" else None)
    assert r.vendor_summary.to_json() == {"base": 50, "base_date": "2026-11-30", "authorized_window": 31,
                                          "active_window": 28}
    assert r.title == STATS_TITLE


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "tsv"])
def test_vendor_summary_alone(fmt):
    if fmt == "tsv":  # as the seed prints it, tab-separated
        data = ("\n".join("\t".join(r) for r in SUMMARY) + "\n").encode("utf-8")
        name = "summary.txt"
    else:
        data, name = _vendor(fmt, SUMMARY), f"summary.{fmt}"
    p = read_export(name, data)
    r = p.report
    assert r.error is None and p.ok and r.kind is Kind.VENDOR_SUMMARY
    assert len(p.table) == 0 and r.rows_used == 0
    assert (r.vendor_summary.base, r.vendor_summary.authorized_window, r.vendor_summary.active_window) == (50, 31, 28)
    assert r.vendor_summary.base_date == date(2026, 11, 30)


def test_seed_summary_with_base_one():
    """The seed's own table: base 1, two clients with communications (200 %)."""
    text = ("Показатель\tКоличество\t% (контроль норматива)\n"
            "Всего клиентов ИТС (по состоянию на 31.12.2017, контроль норматива):\t1\t\n"
            "Клиентов с авторизацией в отчетном, -1 и -2 месяцах:\t2\t200\n"
            "Клиентов с коммуникациями в отчетном, -1 или -2 месяцах:\t2\t200\n")
    s = read_export("seed.csv", text.encode("utf-8")).report.vendor_summary
    assert s.to_json() == {"base": 1, "base_date": "2017-12-31", "authorized_window": 2, "active_window": 2}


# --- several tables on one sheet -----------------------------------------------------------------------------

def test_a_blank_row_ends_the_table_and_the_table_below_is_named():
    log = [["Дата и время", "Клиент", "Вид коммуникации"], ["05.11.2026 10:00:00", "ООО «Альфа»", "Чат"]]
    rows = [STATS_HEADER, *STATS_ROWS, [""], *log]
    p = read_export("two.xlsx", xlsx_bytes(rows, title=STATS_TITLE))
    r = p.report
    assert r.kind is Kind.CONNECT_CLIENTS and r.rows_used == 3
    (warning,) = r.warnings
    # title 3 rows, header on 4, clients 5–7, blank 8, the log's header on 9
    assert (warning.code, warning.sheet, warning.param["table_row"]) == ("second-table", "Отчет", 9)


def test_a_table_above_is_named_and_not_taken_for_the_title():
    log = [["Дата и время", "Клиент", "Вид коммуникации"], ["05.03.2021 10:00:00", "ООО «Альфа»", "Чат"]]
    rows = [*log, [""], STATS_HEADER, *STATS_ROWS]
    p = read_export("two.csv", csv_bytes(rows, title=STATS_TITLE))
    r = p.report
    # title lines 1–3, the log's header on line 4; the per-client table (more known fields) is read
    assert r.kind is Kind.CONNECT_CLIENTS and r.rows_used == 3 and r.header_row == 7
    assert [(w.code, w.param["table_row"]) for w in r.warnings] == [("second-table", 4)]
    assert r.title == STATS_TITLE and r.period_month == pd.Period("2026-11", "M")


def test_blank_rows_inside_a_table_do_not_end_it():
    rows = [STATS_HEADER, STATS_ROWS[0], [""], STATS_ROWS[1], [""], [""], STATS_ROWS[2]]
    p = read_export("gaps.csv", csv_bytes(rows))
    assert p.report.rows_used == 3 and not p.report.warnings


# --- identifiers are text ----------------------------------------------------------------------------------

def test_inn_written_as_a_float_is_ten_digits_not_eleven():
    rows = [["Клиент", "ИНН", "Рег. номер"], ["ООО А", "7715845919.0", "800123456.0"], ["ООО Б", "274012345", ""]]
    t = read_export("b.csv", csv_bytes(rows)).table
    assert t["_inn"].tolist() == ["7715845919", "0274012345"]


def test_numeric_identifiers_from_a_workbook_are_text_in_the_source_column():
    rows = [["Клиент", "ИНН", "Регистрационный номер"], ["ООО А", 7715845919.0, 800123456], ["ООО Б", 274012345, None]]
    t = read_export("b.xlsx", xlsx_bytes(rows)).table
    assert t["_inn"].tolist() == ["7715845919", "0274012345"]
    assert t["ИНН"].tolist() == ["7715845919", "0274012345"]  # the download shows the ИНН the client has
    assert t["_regnum"].tolist()[0] == "800123456" and t["Регистрационный номер"].tolist()[0] == "800123456"


def test_decided_by_for_the_vendor_kinds():
    p = read_export("s.csv", csv_bytes([STATS_HEADER, *STATS_ROWS]))
    assert p.report.decided_by == ["Коммуникации в отчетном месяце", "Клиент", "ИНН"]


def test_a_summary_whose_base_cannot_be_read_is_named_and_still_no_client():
    summary = [SUMMARY[0], [SUMMARY[1][0], "—", ""], *SUMMARY[2:]]
    p = read_export("stat.csv", _vendor("csv", [STATS_HEADER, *STATS_ROWS, [""], *summary]))
    r = p.report
    assert r.vendor_summary is None and r.rows_used == 3
    assert [w.code for w in r.warnings] == ["vendor-summary-unreadable"]
    p = read_export("stat.csv", _vendor("csv", [*summary, [""], STATS_HEADER, *STATS_ROWS]))
    assert p.report.vendor_summary is None and p.report.rows_used == 3
    assert [w.code for w in p.report.warnings] == ["vendor-summary-unreadable"]


def test_the_summary_on_a_sheet_of_its_own():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Сводка"
    for r in SUMMARY:
        ws.append([int(c) if c.isdigit() else c for c in r])
    ws = wb.create_sheet("Клиенты")
    for r in [STATS_HEADER, *STATS_ROWS]:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    p = read_export("two_sheets.xlsx", buf.getvalue())
    r = p.report
    assert r.kind is Kind.CONNECT_CLIENTS and r.sheet == "Клиенты" and r.rows_used == 3
    assert (r.vendor_summary.base, r.vendor_summary.sheet, r.vendor_summary.row) == (50, "Сводка", 2)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_footnote_under_the_table_is_no_client(fmt):
    rows = [STATS_HEADER, *STATS_ROWS, [""], *FOOTNOTE, [""]]
    r = read_export(f"stat.{fmt}", _vendor(fmt, rows)).report
    # title 1–3, header 4, clients 5–7, blank 8, the footnote on 9
    assert r.rows_used == 3 and [(n.code, n.row) for n in r.notes] == [("footnote-row", 9)]
    # a row of one cell between clients is data (a client with nothing else filled)
    rows = [STATS_HEADER, STATS_ROWS[0], [""], ["ООО «Дельта»"], [""], *STATS_ROWS[1:]]
    r = read_export(f"stat.{fmt}", _vendor(fmt, rows)).report
    assert r.rows_used == 4 and not r.notes
