"""Issue 6 in the app, through AppTest: pace forecast, who calls whom, the priority list, the month history.

Expected numbers are computed here without ``kpi``: the sample files are read with plain pandas, and the
working days of the production calendar are counted by hand in the comments. Every test points the
history database into its own ``tmp_path`` (``KPI_HISTORY_DB``), never at the user's file, and "today"
is fixed through ``KPI_TODAY`` where it matters.
"""

from __future__ import annotations

import io
import math
import sqlite3
from datetime import date
from fractions import Fraction
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from kpi import texts
from tests.pages.apptest import go, new_app, run
from tests.pages.test_app_pages import decode, figures, pct_ru, small_upload, unescape
from tests.pages.test_app_pages import texts as page_texts

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_data"
NBSP = "\u00a0"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"


# ---- isolation ------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def history_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test here gets its own history file under ``tmp_path``; no test sees the user's file."""
    path = tmp_path / "история" / "kpi_history.sqlite3"
    monkeypatch.setenv("KPI_HISTORY_DB", str(path))
    monkeypatch.delenv("KPI_TODAY", raising=False)
    from kpi.write.history import default_db_path

    assert default_db_path() == path
    return path


# ---- independent expectations ---------------------------------------------------------------------


def _between(log: pd.DataFrame, start: str, end: str) -> set[str]:
    hit = (log["t"] >= pd.Timestamp(start)) & (log["t"] < pd.Timestamp(end))
    return set(log.loc[hit, "Код клиента"])


@pytest.fixture(scope="module")
def sample() -> dict[str, object]:
    """The sample quarter (Q4 2026, reporting month November), counted with plain pandas."""
    base = pd.read_csv(SAMPLES / "clients_its.csv", sep=";", encoding="cp1251", skiprows=2, dtype=str)
    log = pd.read_csv(SAMPLES / "connect_log_2026-Q4.csv", sep=";", encoding="utf-8-sig", dtype=str)
    log["t"] = pd.to_datetime(log["Дата и время"], format="%d.%m.%Y %H:%M:%S")
    ones = base[base["Тип клиента"] == "Клиенты 1С"]
    codes = set(ones["Код клиента"])
    oct_ = _between(log, "2026-10-01", "2026-11-01") & codes
    qtd = _between(log, "2026-10-01", "2026-12-01") & codes
    nov = _between(log, "2026-11-01", "2026-12-01") & codes
    silent = ones[~ones["Код клиента"].isin(nov)]  # «Коммуникации в отчетном месяце = Нет»
    silent_q = ones[~ones["Код клиента"].isin(qtd)]
    bf = pd.read_excel(SAMPLES / "buhfon_2026-11.xlsx", header=3, dtype=str, engine="openpyxl")
    all_no = bf.groupby("ИНН")["Авторизация в отчетный период"].agg(lambda s: bool((s == "Нет").all()))
    not_launching = set(all_no[all_no].index)
    return {
        "base": len(ones), "qtd": len(qtd), "oct": len(oct_), "silent": silent,
        "priority": silent[silent["ИНН"].isin(not_launching)],
        "priority_q": silent_q[silent_q["ИНН"].isin(not_launching)],
        "silent_without_users": int((~silent["ИНН"].isin(set(bf["ИНН"]))).sum()),
    }


def sample_uploads() -> list[tuple[str, bytes, str]]:
    """The bundled sample files, uploaded as a manager would (so the app is not in the demo state)."""
    mime = {".csv": CSV_MIME, ".xlsx": XLSX_MIME}
    return [(p.name, p.read_bytes(), mime[p.suffix]) for p in sorted(SAMPLES.iterdir()) if p.suffix in mime]


def round_half_up_1(x: Fraction) -> float:
    return math.floor(x * 10 + Fraction(1, 2)) / 10


def hand_forecast(base: int, qtd: int, elapsed: int, left: int) -> tuple[str, str]:
    """(forecast «55,5 %», per working day «2,9») from counts, as the issue defines them."""
    count = min(qtd * (elapsed + left) // elapsed, base)  # linear pace over the working days, floored
    needed = math.ceil(Fraction(3 * base, 5)) - qtd  # 60 % of the base, rounded up, minus those reached
    per_day = math.ceil(Fraction(10 * needed, left)) / 10  # rounded up to 0.1: the pace that is enough
    return pct_ru(round_half_up_1(Fraction(100 * count, base))), f"{per_day:.1f}".replace(".", ",")


# ---- reading the app ------------------------------------------------------------------------------








def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def captions(at: AppTest) -> str:
    return unescape("\n".join(c.value for c in at.caption))


def split_table(at: AppTest) -> dict[str, int]:
    """The «Распределить звонки» preview: person → clients (the main page's third ``st.table``)."""
    t = at.table[2].value
    return dict(zip(t["Сотрудник"], (int(str(v).replace(NBSP, "")) for v in t["Клиентов"]), strict=True))


def found(at: AppTest) -> int:
    for c in at.caption:
        if c.value.startswith("Найдено: "):
            return int(c.value.split()[1].replace(NBSP, "").rstrip("."))
    raise AssertionError("no «Найдено» caption")


def sheet_rows(ws) -> tuple[list[object], list[tuple]]:
    """(header, data rows) of a sheet written with a title line above the header."""
    values = list(ws.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(values) if "Клиент" in r or "Сотрудник" in r)
    return list(values[at]), values[at + 1:]


# ---- 1. pace and forecast -------------------------------------------------------------------------

# Working days of Q4 2026 by the Russian production calendar, counted by hand:
#   October 2026: 1 Oct is a Thursday; 31 days minus 9 weekend days (3,4,10,11,17,18,24,25,31) = 22.
#   1–20 November: weekends 1,7,8,14,15 and the holiday 4 November (Wednesday) → 20 − 5 − 1 = 14.
#   21–30 November: 23–27 and 30 November = 6.
#   December 2026: 23 weekdays minus 31 December (the day off moved from Sunday 4 January 2026 by the
#   government's decree for 2026) = 22.
OCT, NOV_TO_20, NOV_AFTER_20, DEC = 22, 14, 6, 22


def test_forecast_beside_the_gauges_matches_a_hand_count(sample, monkeypatch):
    monkeypatch.setenv("KPI_TODAY", "2026-11-20")
    at = new_app()
    base, qtd = sample["base"], sample["qtd"]
    assert (base, qtd) == (274, 86)  # the sample the numbers below were worked out on
    elapsed, left = OCT + NOV_TO_20, NOV_AFTER_20 + DEC  # 36 and 28
    pct, per_day = hand_forecast(base, qtd, elapsed, left)
    # 86 · 64 / 36 = 152,9 → 152 clients = 55,47 % → «55,5 %»; (165 − 86) / 28 = 2,82 → «2,9» a day
    assert (pct, per_day) == (f"55,5{NBSP}%", "2,9")
    m = metrics(at)
    assert m["Прогноз к концу квартала"] == pct
    assert m["Нужно в рабочий день"] == f"{per_day} клиента"
    assert m["Рабочих дней осталось"] == str(left) == "28"
    delta = {x.label: x.delta for x in at.metric}["Прогноз к концу квартала"]
    assert delta == f"-4,5{NBSP}п.{NBSP}п. от норматива"  # 55,5 − 60, drawn red (leading «-»)
    shown = captions(at)
    assert "На 20.11.2026: при текущем темпе к концу квартала: 55,5 % (норматив 60 %). " \
           "Нужно 2,9 клиента в рабочий день." in shown
    # the same inputs straight into kpi's forecast agree with the page and with the hand count
    from kpi.compute.forecast import forecast_quarter

    f = forecast_quarter(pd.Period("2026Q4", freq="Q"), base, qtd, date(2026, 11, 20))
    assert (f.workdays_elapsed, f.workdays_left, f.forecast_pct, f.needed_per_workday) == (elapsed, left, 55.5, 2.9)
    # the gauges are still there, beside it
    assert {"gauge_qtd", "gauge_window"} <= set(figures(at))


def test_forecast_is_as_of_the_end_of_the_reporting_month_at_most(sample, monkeypatch):
    monkeypatch.setenv("KPI_TODAY", "2027-01-15")  # after the reporting month: "now" is 30.11.2026
    at = new_app()
    elapsed, left = OCT + NOV_TO_20 + NOV_AFTER_20, DEC  # 42 and 22
    pct, per_day = hand_forecast(sample["base"], sample["qtd"], elapsed, left)
    # 86 · 64 / 42 = 131,05 → 131 = 47,81 % → «47,8 %»; 79 / 22 = 3,59 → «3,6»
    assert (pct, per_day) == (f"47,8{NBSP}%", "3,6")
    m = metrics(at)
    assert (m["Прогноз к концу квартала"], m["Нужно в рабочий день"], m["Рабочих дней осталось"]) == \
        (pct, f"{per_day} клиента", "22")
    assert "На 30.11.2026:" in captions(at)


def test_forecast_says_plainly_when_there_is_too_little_data(monkeypatch):
    monkeypatch.setenv("KPI_TODAY", "2026-10-05")  # 1, 2 and 5 October: 3 working days < 5
    at = new_app()
    m = metrics(at)
    assert m["Прогноз к концу квартала"] == "мало данных"
    assert m["Рабочих дней осталось"] == str(22 + 20 + 22 - 3)
    assert "мало данных для прогноза: прошло 3 рабочих дня квартала" in captions(at)
    assert m["Нужно в рабочий день"] == "1,3 клиента"  # 79 / 61 = 1,295… → 1,3


def test_a_wrong_kpi_today_is_said_and_the_app_works(monkeypatch):
    monkeypatch.setenv("KPI_TODAY", "завтра")
    at = new_app()
    assert any("KPI_TODAY" in unescape(w.value) for w in at.warning)
    assert "Прогноз к концу квартала" in metrics(at)


# ---- 2. who calls whom ----------------------------------------------------------------------------


def _sample_split(people: list[str] | None):
    from kpi.compute.assign import split_calls
    from kpi.compute.silent import ClientFilter, apply_filter, client_status
    from kpi.pipeline import connect_view, read_files

    view = connect_view(read_files([(n, b) for n, b, _ in sample_uploads()]))
    rows = apply_filter(client_status(view.data, view.month), ClientFilter(no_comm_month=True))
    return view, split_calls(rows, people)


def test_split_workbook_has_a_sheet_per_responsible_person_with_their_silent_clients(sample):
    from ui import downloads

    view, split = _sample_split(None)
    assert downloads.split_file_name(view.summary) == "звонки_по_сотрудникам_2026-Q4_ноябрь.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(downloads.split_xlsx(split, view.data, view.summary)))
    silent = sample["silent"]
    expected = silent.groupby("Ответственный")["Код клиента"].apply(set).to_dict()
    assert wb.sheetnames == ["Сводка", *sorted(expected)]
    header, body = sheet_rows(wb["Сводка"])
    counts = {r[header.index("Сотрудник")]: r[header.index("Клиентов")] for r in body}
    assert counts == {p: len(c) for p, c in expected.items()}  # e.g. Иванова Е.А.: 77
    assert sum(counts.values()) == len(silent) == 227
    for person, codes in expected.items():
        header, body = sheet_rows(wb[person])
        assert {r[header.index("Код клиента")] for r in body} == codes, person


def test_split_among_typed_names_is_even(sample):
    from ui import downloads

    view, split = _sample_split(["Анна", "Борис"])  # nobody of the data or the log: every client dealt out
    wb = openpyxl.load_workbook(io.BytesIO(downloads.split_xlsx(split, view.data, view.summary)))
    assert wb.sheetnames == ["Сводка", "Анна", "Борис"]
    n = len(sample["silent"])
    sizes = [len(sheet_rows(wb[p])[1]) for p in ("Анна", "Борис")]
    assert sizes == [math.ceil(n / 2), n // 2] == [114, 113]
    codes = [r[sheet_rows(wb[p])[0].index("Код клиента")] for p in ("Анна", "Борис") for r in sheet_rows(wb[p])[1]]
    assert sorted(codes) == sorted(sample["silent"]["Код клиента"])  # each silent client exactly once


def test_split_section_on_the_main_page(sample):
    at = new_app()
    assert "Распределить звонки" in [e.label for e in at.expander]
    silent = sample["silent"]
    assert split_table(at) == silent.groupby("Ответственный").size().to_dict()
    assert at.download_button(key="split_xlsx").label == "Скачать по сотрудникам (.xlsx)"
    # typed names replace the data's people
    at.text_area(key="split_people").input("Анна\n\n Борис \nАнна")
    run(at)
    assert split_table(at) == {"Анна": 114, "Борис": 113}
    # the split follows the list's filters: silent since the start of the quarter
    at.text_area(key="split_people").input("")
    at.checkbox(key="f_no_comm_month").uncheck()
    at.checkbox(key="f_no_comm_quarter").check()
    run(at)
    assert sum(split_table(at).values()) == found(at) == sample["base"] - sample["qtd"]


def test_split_without_responsible_people_asks_for_names():
    at = new_app()
    # a base list without «Ответственный»: 4 clients; in October (the log's month) only A1 talked
    base = ["Код клиента;Клиент;ИНН;Тип клиента", *(f"A{i};ООО {i};770000000{i};Клиенты 1С" for i in range(1, 5))]
    log = ["Дата и время;Код клиента;Клиент;Вид коммуникации", "05.10.2026 10:00:00;A1;ООО 1;Чат"]
    at.file_uploader(key="uploads").set_value([("база.csv", "\r\n".join(base).encode("cp1251"), CSV_MIME),
                                               ("журнал.csv", "\r\n".join(log).encode("cp1251"), CSV_MIME)])
    run(at)
    assert any("нет столбца «Ответственный»" in w.value for w in at.warning)
    assert split_table(at) == {"(не распределено)": 3}
    at.text_area(key="split_people").input("Петров\nСидорова")
    run(at)
    assert split_table(at) == {"Петров": 2, "Сидорова": 1}


# ---- 3. one priority list -------------------------------------------------------------------------


def test_priority_page_on_the_sample(sample):
    at = go(new_app(), "pages/priority.py")
    expected = sample["priority"]
    m = metrics(at)
    assert m["Молчат в отчетном месяце (ноябрь 2026) и не запускают 1С-Бухфон"] == str(len(expected)) == "49"
    assert found(at) == len(expected)
    table = at.dataframe[0].value
    assert set(table["Код клиента"]) == set(expected["Код клиента"])
    assert table["1С-Бухфон ни разу не запускался"].isin(["Да", "Нет"]).all()
    # the unmatched, with the reason: silent clients whose ИНН no 1С-Бухфон user has
    shown = page_texts(at)
    assert "Не удалось сопоставить" in shown
    assert f"- Молчащих клиентов без пользователей 1С-Бухфон (не найдены по ИНН, рег. номеру и наименованию): " \
           f"{sample['silent_without_users']}" in shown
    at.radio(key="pr_scope").set_value("quarter")
    run(at)
    assert found(at) == len(sample["priority_q"])
    assert set(at.dataframe[0].value["Код клиента"]) == set(sample["priority_q"]["Код клиента"])


def test_priority_download_bytes(sample):
    from kpi.compute.priority import priority_list
    from kpi.compute.silent import ClientFilter, apply_filter, client_status
    from kpi.pipeline import buhfon_view, connect_view, read_files
    from ui import downloads

    parsed = read_files([(n, b) for n, b, _ in sample_uploads()])
    view = connect_view(parsed)
    status = client_status(view.data, view.month)
    result = priority_list(status, apply_filter(status, ClientFilter(no_comm_month=True)), buhfon_view(parsed)[1])
    assert downloads.priority_file_name(view.summary, "xlsx") == "приоритетный_обзвон_2026-Q4_ноябрь.xlsx"
    ws = openpyxl.load_workbook(io.BytesIO(downloads.priority_xlsx(result, view.data, view.summary))).active
    header, body = sheet_rows(ws)
    assert {r[header.index("Код клиента")] for r in body} == set(sample["priority"]["Код клиента"])
    assert header[-3:] == ["Пользователей 1С-Бухфон", "Последний запуск 1С-Бухфон", "1С-Бухфон ни разу не запускался"]
    lines = [ln for ln in downloads.priority_csv(result, view.data).decode("utf-8-sig").split("\r\n") if ln]
    assert len(lines) == 1 + len(sample["priority"])


def test_priority_page_without_a_buhfon_export_says_what_is_missing():
    at = new_app()
    at.file_uploader(key="uploads").set_value(small_upload())
    run(at)
    go(at, "pages/priority.py")
    assert any("нужны обе выгрузки" in i.value for i in at.info)
    assert any("Нет ни одной выгрузки 1С-Бухфон" in unescape(w.value) for w in at.warning)
    assert not at.dataframe


# ---- 4. history -----------------------------------------------------------------------------------


def history_frame(path: Path) -> pd.DataFrame:
    with sqlite3.connect(path) as con:
        return pd.read_sql_query("SELECT * FROM month_kpi ORDER BY month", con)


def test_history_save_shows_the_month_and_the_change_since_the_last_save(sample, history_db):
    at = new_app()
    at.file_uploader(key="uploads").set_value(sample_uploads())
    run(at)
    go(at, "pages/history.py")
    assert str(history_db) in captions(at)  # the path is shown
    assert not history_db.exists()  # looking creates nothing
    save = at.button(key="save_month")
    assert save.label == "Сохранить итоги месяца" and not save.disabled
    save.click()
    run(at)
    saved = history_frame(history_db)
    assert list(saved["month"]) == ["2026-11"]
    row = saved.iloc[0]
    base, qtd, oct_ = sample["base"], sample["qtd"], sample["oct"]
    assert (row["client_type"], row["base"], row["active_qtd"]) == ("1c", base, qtd)
    assert row["active_qtd_pct"] == pytest.approx(100 * qtd / base, abs=0.005)
    assert set(saved.columns) == {"month", "client_type", "base", "active_window", "active_qtd", "authorized_window",
                                  "active_qtd_pct", "milestone_pct", "milestone_met", "saved_at"}  # no names
    table = at.dataframe[0].value
    assert list(table["Месяц"]) == ["Ноябрь 2026"] and list(table["С начала квартала"]) == [str(qtd)]
    assert any("Сохранены итоги: ноябрь 2026" in s.value for s in at.success)
    assert "сохранённых месяцев нет" in captions(at)

    # an earlier month: October, then back to November — the change since the saved October
    at.selectbox(key="month").set_value("2026-10")
    run(at)
    at.button(key="save_month").click()
    run(at)
    assert list(history_frame(history_db)["month"]) == ["2026-10", "2026-11"]
    at.selectbox(key="month").set_value("auto:2026-11")
    run(at)
    change = unescape("\n".join(i.value for i in at.info))
    diff = qtd - oct_
    pp = f"{round_half_up_1(Fraction(round(10000 * qtd / base) - round(10000 * oct_ / base), 100)):.1f}"
    assert "С прошлого сохранённого месяца (октябрь 2026" in change
    assert f"с начала квартала +{diff} клиент" in change
    assert f"(+{pp.replace('.', ',')}{NBSP}п.{NBSP}п.)" in change
    chart = figures(at)["history_chart"]
    assert decode(chart["data"][0]["y"]) == pytest.approx([100 * oct_ / base, 100 * qtd / base], abs=0.005)
    assert decode(chart["data"][1]["y"]) == [20.0, 40.0]  # each month's milestone

    # the figures survive a restart: a new session reads the same file
    again = go(new_app(), "pages/history.py")
    assert list(again.dataframe[0].value["Месяц"]) == ["Ноябрь 2026", "Октябрь 2026"]


def test_the_demo_data_is_not_saved(history_db):
    at = go(new_app(), "pages/history.py")
    assert at.button(key="save_month").disabled
    assert "Демонстрационные данные не сохраняются" in captions(at)
    assert not history_db.exists()


def test_a_damaged_history_file_is_a_clear_error_and_the_app_works(sample, history_db):
    history_db.parent.mkdir(parents=True)
    history_db.write_bytes(b"this is not an SQLite database, just bytes " * 50)
    at = go(new_app(), "pages/history.py")
    errors = [unescape(e.value) for e in at.error]
    shown = texts.PROBLEMS["history-damaged"].split("(")[0].strip()  # the catalogue's text, up to its detail
    assert any(str(history_db) in e and shown in e.lower() for e in errors), errors
    go(at, "pages/connect.py")
    assert not at.error
    assert decode(figures(at)["gauge_qtd"]["data"][0]["value"]) == pytest.approx(100 * sample["qtd"] / sample["base"])
    assert history_db.read_bytes().startswith(b"this is not")  # left as it was


def test_a_locked_history_file_is_a_clear_error(history_db):
    from kpi.write.history import MonthRecord, save_month

    save_month(history_db, MonthRecord("2026-10", "1c", 10, 3, 3, None, 30.0, 20.0, True))
    other = sqlite3.connect(history_db, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")  # another program holds the file
        at = go(new_app(), "pages/history.py")
        errors = [unescape(e.value) for e in at.error]
        shown = texts.PROBLEMS["history-locked"].split("(")[0].strip()
        assert any(str(history_db) in e and shown in e.lower() for e in errors), errors
    finally:
        other.close()
    run(at)
    assert not at.error
    assert list(at.dataframe[0].value["Месяц"]) == ["Октябрь 2026"]
