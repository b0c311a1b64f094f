"""The app on the files partners really have (issue 9): the sidebar's month follows the files, the user's
say over how a file is read («Данные»), the ITS kinds that count as support, «Только клиенты базы», the
vendor's printed figures beside ours, the warnings above the gauges. Expected numbers are hand counts of
the generated files (``tests.fixtures.shapes``)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.fixtures.shapes import (
    ClientId,
    LogRow,
    VendorSummaryFacts,
    connect_log_csv,
    its_contracts_xlsx,
    its_demo,
    pbx_calls,
    vendor_clients,
    vendor_report,
)
from tests.pages.apptest import new_app, run, upload
from tests.pages.test_app_pages import decode
from ui.files import _widget_key

ROOT = Path(__file__).resolve().parents[2]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
IN_BASE = [ClientId("ООО «Тест-Альфа»", inn="7700000001"), ClientId("ООО «Тест-Бета»", inn="0105000002"),
           ClientId("ООО «Тест-Тета»", regnum="200000000091")]  # Тета only through an additional регномер
OUTSIDE = ClientId("ООО «Чужой»", inn="7799999999")






def its_files(log_clients: list[ClientId]) -> list[tuple[str, bytes, str]]:
    rows, _facts = its_demo()
    log = [LogRow(datetime(2022, 11, 1 + i, 10, 0, 0), c) for i, c in enumerate(log_clients)]
    return [("договоры.xlsx", its_contracts_xlsx(rows), XLSX), ("журнал.csv", connect_log_csv(log), CSV),
            ("звонки.csv", pbx_calls("csv"), CSV)]


def qtd_gauge(at: AppTest) -> float:
    charts = {c.proto.id: json.loads(c.proto.spec) for c in at.get("plotly_chart")}
    gauge = next(f for f in charts.values() if f["data"][0].get("type") == "indicator")
    return decode(gauge["data"][0]["value"])


def summary_cell(at: AppTest, row_starts: str, column: str = "Количество") -> str:
    for t in at.table:
        frame = t.value
        if column in frame.columns:
            hit = frame[frame.iloc[:, 0].astype(str).str.startswith(row_starts)]
            if len(hit):
                return str(hit[column].iloc[0])
    raise AssertionError(f"no row {row_starts!r}")


def warnings(at: AppTest) -> str:
    return "\n".join(w.value.replace("\\", "") for w in at.warning)


def test_the_sidebar_month_follows_the_files():
    at = new_app()
    box = at.selectbox(key="month")
    assert box.value == "auto:2026-11" and box.options[0] == "Из файлов: ноябрь 2026"
    report = vendor_report(vendor_clients(6, 3, month=(2021, 2)), VendorSummaryFacts(base=6),
                           period="Период: Февраль 2021 г.")
    at = upload(at, [("статистика.xlsx", report, XLSX)])
    box = at.selectbox(key="month")
    assert box.value == "auto:2021-02" and box.options[0] == "Из файлов: февраль 2021"


def test_its_report_gives_the_base_and_a_pbx_file_is_named_above_the_gauges():
    at = upload(new_app(), its_files(IN_BASE))
    assert summary_cell(at, "Всего клиентов ИТС") == "7"
    assert qtd_gauge(at) == pytest.approx(100 * 3 / 7)
    assert "звонки.csv" in warnings(at)
    assert any(p.proto.page == "data" for p in at.get("page_link"))  # the way to «Данные»


def test_data_page_sets_a_file_aside_and_the_choice_holds_on_every_page():
    at = upload(new_app(), its_files(IN_BASE))
    at.switch_page("pages/data.py")
    run(at)
    key = _widget_key("kind", "журнал.csv")
    assert at.selectbox(key=key).value == "auto"
    at.selectbox(key=key).set_value("ignore")
    run(at)
    assert dict(at.session_state["file_kinds"]) == {"журнал.csv": "ignore"}
    at.switch_page("pages/connect.py")
    run(at)
    assert not [c for c in at.get("plotly_chart")]  # no communication data left: no gauge, never a confident 0 %
    at.switch_page("pages/data.py")
    run(at)
    assert at.selectbox(key=key).value == "ignore"  # kept although the page's widgets were dropped meanwhile


def test_its_kinds_picker_changes_the_base():
    at = upload(new_app(), its_files(IN_BASE))
    at.switch_page("pages/data.py")
    run(at)
    pick = at.multiselect(key="its_kinds_pick")
    assert "1С:КП ПРОФ 12 мес." in pick.options and "Контрагент" in pick.options
    assert "Контрагент" not in pick.value and "1С:КП ПРОФ 12 мес." in pick.value
    pick.set_value(["1С:КП ПРОФ 12 мес."])
    run(at)
    at.switch_page("pages/connect.py")
    run(at)
    assert summary_cell(at, "Всего клиентов ИТС") == "3"  # Альфа, Тета, Йота hold a КП ПРОФ in force


def test_log_clients_outside_the_base_count_unless_only_base():
    at = upload(new_app(), its_files([*IN_BASE, OUTSIDE]))
    assert qtd_gauge(at) == pytest.approx(100 * 4 / 7)  # as the vendor counts them
    assert any("нет в базе: 1" in e.proto.label for e in at.expander)
    at.toggle(key="only_base").set_value(True)
    run(at)
    assert qtd_gauge(at) == pytest.approx(100 * 3 / 7)


def test_vendor_figures_are_shown_beside_ours_with_the_difference():
    clients = vendor_clients(12, 5, 3)
    report = vendor_report(clients, VendorSummaryFacts(base=14, authorized_window=3, active_window=6))
    at = upload(new_app(), [("статистика.xlsx", report, XLSX)])
    rows = next(t.value for t in at.table if "В отчёте кабинета" in t.value.columns)
    active = rows[rows["Показатель"].str.startswith("С коммуникациями")].iloc[0]
    assert (active["В отчёте кабинета"], active["У нас"], active["Разница"]) == ("6", "5", "−1")
    base = rows[rows["Показатель"].str.startswith("Всего")].iloc[0]  # the vendor's 14; our table lists 12
    assert (base["В отчёте кабинета"], base["У нас"], base["Разница"]) == ("14", "12", "−2")
    assert any("в отчёте кабинета" in c.value.lower() and "6" in c.value for c in at.caption)  # said why, below
