"""The Streamlit app through AppTest: every page on the sample data, uploads, filters, errors, downloads.

Expected numbers are computed here independently of ``kpi``: the sample files are read with plain
pandas/openpyxl, and the uploaded files are built in the test from rows whose counts are known.
"""

from __future__ import annotations

import base64
import io
import json
import math
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.apptest import new_app, upload

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_data"
NBSP = "\u00a0"
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---- independent expectations ---------------------------------------------------------------------


def _sample_base() -> pd.DataFrame:
    """The ITS client list: a title line, an empty line, then the header (cp1251, «;»)."""
    return pd.read_csv(SAMPLES / "clients_its.csv", sep=";", encoding="cp1251", skiprows=2, dtype=str)


def _sample_log() -> pd.DataFrame:
    log = pd.read_csv(SAMPLES / "connect_log_2026-Q4.csv", sep=";", encoding="utf-8-sig", dtype=str)
    log["t"] = pd.to_datetime(log["Дата и время"], format="%d.%m.%Y %H:%M:%S")
    return log


def _codes_between(log: pd.DataFrame, start: str, end: str) -> set[str]:
    hit = (log["t"] >= pd.Timestamp(start)) & (log["t"] < pd.Timestamp(end))
    return set(log.loc[hit, "Код клиента"])


@pytest.fixture(scope="module")
def sample() -> dict[str, object]:
    """The sample quarter (Q4 2026, reporting month November) counted with plain pandas."""
    base = _sample_base()
    log = _sample_log()
    ones = set(base.loc[base["Тип клиента"] == "Клиенты 1С", "Код клиента"])
    qtd = _codes_between(log, "2026-10-01", "2026-12-01") & ones
    window = _codes_between(log, "2026-09-01", "2026-12-01") & ones
    nov = _codes_between(log, "2026-11-01", "2026-12-01") & ones
    oct_ = _codes_between(log, "2026-10-01", "2026-11-01") & ones
    n = len(ones)
    return {
        "base": n, "qtd": len(qtd), "window": len(window), "nov": len(nov), "oct": len(oct_),
        "qtd_pct": 100 * len(qtd) / n, "window_pct": 100 * len(window) / n,
        "needed": max(0, math.ceil(2 * n / 5) - len(qtd)),  # month 2: 2/3 of 60 % = 40 % of the base
        "all_base": len(base), "all_qtd": len(_codes_between(log, "2026-10-01", "2026-12-01")),
        "base_frame": base[base["Тип клиента"] == "Клиенты 1С"], "nov_codes": nov, "qtd_codes": qtd,
    }


def pct_ru(x: float, digits: int = 1) -> str:
    """51.13 → «51,1 %» (written here, not imported, so the test checks the app's formatting)."""
    text = f"{x:.{digits}f}".replace(".", ",")
    return f"{text}{NBSP}%"


# ---- building uploads -----------------------------------------------------------------------------


def csv_cp1251(rows: list[list[object]], title: list[str] = ()) -> bytes:
    lines = [*title, *(";".join("" if v is None else str(v) for v in r) for r in rows)]
    return ("\r\n".join(lines) + "\r\n").encode("cp1251")


def xlsx(rows: list[list[object]], title: list[str] = ()) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Отчет"
    for t in title:
        ws.append([t])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


BASE_HEADER = ["Код клиента", "Клиент", "ИНН", "Тип клиента", "Ответственный"]
LOG_HEADER = ["Дата и время", "Код клиента", "Клиент", "Вид коммуникации"]


def small_upload() -> list[tuple[str, bytes, str]]:
    """10 1C clients and 2 others; Oct: T1–T3, Nov: T3, T4 and one other client → quarter to date 4 of 10."""
    base = [BASE_HEADER]
    base += [[f"T{i}", f"ООО Тест {i}", f"77000000{i:02d}", "Клиенты 1С", "Петров П.П." if i <= 4 else "Сидорова С.С."]
             for i in range(1, 11)]
    base += [["P1", "ООО Прочий 1", "7800000001", "Прочие клиенты", ""],
             ["P2", "<script>alert(1)</script>", "7800000002", "Прочие клиенты", ""]]
    log = [LOG_HEADER,
           ["05.10.2026 10:00:00", "T1", "ООО Тест 1", "Чат"],
           ["06.10.2026 11:00:00", "T2", "ООО Тест 2", "Звонок"],
           ["07.10.2026 12:00:00", "T3", "ООО Тест 3", "Чат"],
           ["03.11.2026 12:00:00", "T3", "ООО Тест 3", "Чат"],
           ["10.11.2026 09:30:00", "T4", "ООО Тест 4", "Удаленное подключение"],
           ["12.11.2026 09:30:00", "P1", "ООО Прочий 1", "Чат"],
           # 20:30 UTC on 31 October: still October in Moscow (23:30), already November in Yekaterinburg
           ["2026-10-31T20:30:00Z", "T5", "ООО Тест 5", "Звонок"]]
    return [("клиенты_итс.csv", csv_cp1251(base, title=["Клиенты ИТС по состоянию на 01.10.2026", ""]), CSV_MIME),
            ("журнал.csv", csv_cp1251(log), CSV_MIME)]


# ---- reading the app ------------------------------------------------------------------------------


def decode(v: object) -> object:
    """Plotly 7 stores numeric arrays as {"dtype", "bdata"}; scalars stay plain."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]).tolist()
    return v


def figures(at: AppTest) -> dict[str, dict]:
    """Plotly figures of the page by their key (the element id ends with ``-<key>``)."""
    return {el.proto.id.rsplit("-", 1)[-1]: json.loads(el.proto.spec) for el in at.get("plotly_chart")}


def gauge_values(at: AppTest) -> tuple[float, float]:
    f = figures(at)
    return decode(f["gauge_qtd"]["data"][0]["value"]), decode(f["gauge_window"]["data"][0]["value"])


def unescape(text: str) -> str:
    """Markdown as a reader sees it: the app backslash-escapes text that came from files."""
    return re.sub(r"\\(.)", r"\1", text)


def texts(at: AppTest) -> str:
    """Every text element of the page as a reader sees it (Markdown escapes removed)."""
    parts = [e.value for kind in ("markdown", "caption", "info", "warning", "success", "error", "title")
             for e in at.get(kind)]
    return unescape("\n".join(str(p) for p in parts))


def summary(at: AppTest) -> pd.DataFrame:
    return at.table[0].value


def silent_list(at: AppTest) -> pd.DataFrame:
    """The list of whom to call: the only ``st.dataframe`` of the main page (its tables are ``st.table``)."""
    assert len(at.dataframe) == 1, "the silent-client list is not shown"
    return at.dataframe[0].value


def found(at: AppTest) -> int:
    """The total in «Найдено: 1 234 клиента.»"""
    for c in at.caption:
        if c.value.startswith("Найдено: "):
            return int(c.value.split()[1].replace(NBSP, "").rstrip("."))
    raise AssertionError("no «Найдено» caption")






# ---- the tests ------------------------------------------------------------------------------------


def test_main_page_on_the_sample_shows_the_independent_numbers(sample):
    at = new_app()
    qtd, window = gauge_values(at)
    assert qtd == pytest.approx(sample["qtd_pct"])
    assert window == pytest.approx(sample["window_pct"])
    shown = texts(at)
    assert "Демонстрационные данные" in shown
    assert f"До ориентира месяца не хватает {sample['needed']} клиентов" in shown
    table = summary(at)
    assert list(table.columns) == ["Показатель", "Количество", "% (контроль норматива)"]
    rows = dict(zip(table["Показатель"].str[:40], zip(table["Количество"], table["% (контроль норматива)"],
                                                       strict=True), strict=True))
    assert (str(sample["base"]), "") in rows.values()
    assert (str(sample["window"]), pct_ru(sample["window_pct"])) in rows.values()
    assert (str(sample["qtd"]), pct_ru(sample["qtd_pct"])) in rows.values()
    months = at.table[1].value
    assert list(months["Коммуникации в месяце"][:2]) == [str(sample["oct"]), str(sample["nov"])]
    assert months["Коммуникации в месяце"][2] == "—"  # December: after the reporting month
    # the quarter chart: quarter-to-date share after October and November
    bars = decode(figures(at)["quarter_chart"]["data"][0]["y"])
    assert bars[:2] == pytest.approx([100 * sample["oct"] / sample["base"], sample["qtd_pct"]])
    # the list: 1C clients of the base without a communication in November (the seed's filter)
    assert found(at) == sample["base"] - sample["nov"]
    assert set(silent_list(at)["Код клиента"]) == set(sample["base_frame"]["Код клиента"]) - sample["nov_codes"]


def test_every_page_renders_on_the_sample(sample):
    at = new_app()
    at.switch_page("pages/buhfon.py").run()
    assert not at.exception, at.exception
    bf = pd.read_excel(SAMPLES / "buhfon_2026-11.xlsx", header=3, dtype=str, engine="openpyxl")
    no = bf["Авторизация в отчетный период"].eq("Нет")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Пользователей в отчёте"] == str(len(bf))
    assert metrics["Не запускали в периоде"] == str(int(no.sum()))
    assert metrics["Ни разу не запускали"] == str(int((no & bf["Дата последней авторизации"].isna()).sum()))
    assert found(at) == int(no.sum())
    chart = figures(at)["bf_categories_chart"]
    never, before = (decode(t["x"]) for t in chart["data"])
    assert sum(never) + sum(before) == int(no.sum())

    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    labels = [e.label for e in at.expander]
    for name in ("buhfon_2026-11.xlsx", "clients_its.csv", "connect_clients_2026-11.xlsx", "connect_log_2026-Q4.csv"):
        assert any(name in unescape(lbl) for lbl in labels), name
    shown = [df.value for df in [*at.dataframe, *at.table]]
    props = pd.concat([d for d in shown if list(d.columns) == ["Свойство", "Значение"]])
    assert "cp1251" in set(props["Значение"]) and "Список клиентов ИТС" in set(props["Значение"])
    notes = pd.concat([d for d in shown if "Причина" in d.columns])
    assert "строка итогов, не клиент" in set(notes["Причина"])  # the «Итого» row of the per-client export
    assert any(r.startswith("тот же клиент") for r in notes["Причина"])  # the planted duplicate, merged

    at.switch_page("pages/about.py").run()
    assert not at.exception, at.exception
    about = texts(at)
    for pct in ("20", "40", "60"):
        assert f"{pct}{NBSP}%" in about

    at.switch_page("pages/connect.py").run()
    assert not at.exception, at.exception
    assert gauge_values(at)[0] == pytest.approx(sample["qtd_pct"])


def test_an_upload_changes_the_numbers_and_switching_pages_keeps_it(sample):
    at = upload(new_app(), small_upload())
    qtd, window = gauge_values(at)
    # 1C clients with a communication in Oct–Nov: T1, T2, T3, T4 and T5 (23:30 Moscow on 31 Oct) → 5 of 10
    assert qtd == pytest.approx(50.0)
    assert window == pytest.approx(50.0)
    shown = texts(at)
    assert "Демонстрационные данные" not in shown
    assert "Ориентир месяца выполнен" in shown  # 5 ≥ 40 % of 10
    assert found(at) == 10 - 2  # silent in November: all but T3 and T4

    for page in ("pages/data.py", "pages/buhfon.py", "pages/about.py", "pages/connect.py"):
        at.switch_page(page).run()
        assert not at.exception, at.exception
        if page == "pages/data.py":
            assert any("клиенты_итс.csv" in unescape(e.label) for e in at.expander)
            assert not any("sample" in e.label or "buhfon" in e.label for e in at.expander)
        if page == "pages/buhfon.py":  # no 1С-Бухфон export among the uploads: said, not the samples shown
            assert "Нет ни одной выгрузки 1С-Бухфон" in texts(at)
    assert gauge_values(at)[0] == pytest.approx(50.0)

    # removing every file returns to the samples, nothing breaks
    at.file_uploader(key="uploads").clear()
    at.run()
    assert not at.exception, at.exception
    assert gauge_values(at)[0] == pytest.approx(sample["qtd_pct"])


def test_time_zone_month_and_base_change_the_figures(sample):
    at = upload(new_app(), small_upload())
    months = at.table[1].value
    assert list(months["Коммуникации в месяце"][:2]) == ["4", "2"]  # Oct: T1–T3 + T5; Nov: T3, T4
    at.selectbox(key="tz").set_value("Asia/Yekaterinburg").run()
    months = at.table[1].value
    assert list(months["Коммуникации в месяце"][:2]) == ["3", "3"]  # T5 moves to 1 November (01:30)
    at.selectbox(key="month").set_value("2026-10").run()
    assert gauge_values(at)[0] == pytest.approx(30.0)  # October alone: T1–T3 of 10
    assert "Ориентир месяца выполнен" in texts(at)  # month 1: 20 %
    at.number_input(key="base").set_value(20).run()
    assert gauge_values(at)[0] == pytest.approx(15.0)
    assert "До ориентира месяца не хватает 1 клиента" in texts(at)  # ⌈20 % of 20⌉ = 4, have 3
    at.radio(key="client_type").set_value("all").run()
    assert not at.exception, at.exception
    assert gauge_values(at)[0] == pytest.approx(15.0)  # typed base 20; P1 talked in Nov, not Oct


def test_client_type_all_on_the_sample(sample):
    at = new_app()
    at.radio(key="client_type").set_value("all").run()
    assert gauge_values(at)[0] == pytest.approx(100 * sample["all_qtd"] / sample["all_base"])


def test_filters_change_the_list(sample):
    at = new_app()
    assert found(at) == sample["base"] - sample["nov"]
    at.checkbox(key="f_no_comm_month").uncheck().run()
    assert found(at) == sample["base"]
    at.checkbox(key="f_no_comm_quarter").check().run()
    assert found(at) == sample["base"] - sample["qtd"]
    assert len(silent_list(at)) == sample["base"] - sample["qtd"]
    at.checkbox(key="f_no_comm_quarter").uncheck().run()
    person = sample["base_frame"]["Ответственный"].dropna().iloc[0]
    at.multiselect(key="f_responsible").select(person).run()
    assert found(at) == int((sample["base_frame"]["Ответственный"] == person).sum())
    at.multiselect(key="f_responsible").unselect(person).run()
    one = sample["base_frame"].iloc[5]
    at.text_input(key="f_search").input(one["ИНН"]).run()
    assert found(at) == 1
    assert list(silent_list(at)["Клиент"]) == [one["Клиент"]]
    at.checkbox(key="f_no_auth").check().run()
    assert found(at) <= 1


def test_a_bad_file_shows_an_error_naming_it_beside_the_other_results():
    files = [*small_upload(), ("сломанный_отчёт.xlsx", b"PK\x03\x04 not really a workbook", XLSX_MIME),
             ("**жирный**.csv", "Столбец;Другой\r\n1;2\r\n".encode("cp1251"), CSV_MIME)]
    at = upload(new_app(), files)
    errors = [e.value for e in at.error]
    assert any("сломанный\\_отчёт\\.xlsx" in e for e in errors), errors
    assert any("\\*\\*жирный\\*\\*\\.csv" in e for e in errors), errors  # shown as text, not bold
    assert gauge_values(at)[0] == pytest.approx(50.0)  # the good files still count
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    assert any("сломанный\\_отчёт\\.xlsx" in e.value for e in at.error)


def test_a_client_named_like_a_script_is_shown_as_text():
    at = upload(new_app(), small_upload())
    at.radio(key="client_type").set_value("all").run()
    at.text_input(key="f_search").input("script").run()
    table = silent_list(at)
    assert list(table["Клиент"]) == ["<script>alert(1)</script>"]
    html = [str(h.proto) for h in at.get("html")]  # the only HTML is the uploader's Russian CSS
    assert all("<style>" in h and "alert" not in h for h in html), html
    assert "<script>" not in texts(at)


def test_back_to_the_samples_clears_the_uploader(sample):
    at = upload(new_app(), small_upload())
    assert gauge_values(at)[0] == pytest.approx(50.0)
    at.button(key="to_demo").click().run()
    assert not at.exception, at.exception
    assert gauge_values(at)[0] == pytest.approx(sample["qtd_pct"])
    assert "Демонстрационные данные" in texts(at)
    assert at.session_state["upload_gen"] == 1
    fresh = at.file_uploader(key="uploads_1")
    assert fresh.value in (None, [])
    upload(at, small_upload(), key="uploads_1")
    assert gauge_values(at)[0] == pytest.approx(50.0)


def test_download_bytes_and_names(sample):
    from kpi.compute.silent import ClientFilter, apply_filter, client_status
    from kpi.pipeline import buhfon_view, connect_view, read_files
    from ui import downloads

    files = [(p.name, p.read_bytes()) for p in sorted(SAMPLES.glob("*.*")) if p.suffix in (".csv", ".xlsx")]
    parsed = read_files(files)
    view = connect_view(parsed)
    rows = apply_filter(client_status(view.data, view.month), ClientFilter(no_comm_month=True))
    assert downloads.silent_file_name(view.summary, "xlsx") == "молчащие_клиенты_2026-Q4_ноябрь.xlsx"
    assert downloads.silent_file_name(view.summary, "csv") == "молчащие_клиенты_2026-Q4_ноябрь.csv"
    ws = openpyxl.load_workbook(io.BytesIO(downloads.silent_xlsx(rows, view.data, view.summary))).active
    values = list(ws.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(values) if "Клиент" in r)
    body = values[header_at + 1:]
    assert len(body) == sample["base"] - sample["nov"]
    code = values[header_at].index("Код клиента")
    assert {r[code] for r in body} == set(sample["base_frame"]["Код клиента"]) - sample["nov_codes"]
    text = downloads.silent_csv(rows, view.data).decode("utf-8-sig")
    lines = [ln for ln in text.split("\r\n") if ln]
    assert lines[0].startswith("Код клиента;Клиент;ИНН") and len(lines) == 1 + len(body)

    data, result = buhfon_view(parsed)
    bf_rows = result.table[result.table["not_launched"]]
    assert downloads.buhfon_file_name(result, "xlsx") == "1С-Бухфон_без_запуска_2026-11-01_2026-11-20.xlsx"
    ws = openpyxl.load_workbook(io.BytesIO(downloads.buhfon_xlsx(bf_rows, data, result))).active
    assert ws.max_row == 2 + result.not_launched  # title, header, one row per user


def test_a_per_client_export_without_a_period_asks_for_the_month():
    header = ["Клиент", "ИНН", "Коммуникации в отчетном месяце", "Коммуникации в -1 месяце", "Коммуникации в -2 месяце"]
    rows = [[f"ООО Без периода {i}", f"66000000{i:02d}", "Да" if i <= 3 else "Нет", "Да" if i == 4 else "Нет", "Нет"]
            for i in range(1, 11)]
    at = upload(new_app(), [("статистика.xlsx", xlsx([header, *rows]), XLSX_MIME)])
    assert "Демонстрационные данные" not in texts(at)
    assert "не удалось определить отчетный месяц" in texts(at)
    assert not at.get("plotly_chart")
    at.selectbox(key="month").set_value("2026-08").run()  # month 2 of Q3: August and July count
    assert not at.exception, at.exception
    assert gauge_values(at) == (pytest.approx(40.0), pytest.approx(40.0))  # 4 of 10 (no type column: all 1C)
    assert "Ориентир месяца выполнен" in texts(at)
