"""``python -m kpi``: the JSON contract, the readable summary, files written, and exit status 2."""

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from kpi.cli import main
from kpi.read.recognise import read_export
from tests.helpers import csv_bytes

ROOT = Path(__file__).resolve().parents[2]
CONNECT_KEYS = {"month", "quarter", "month_in_quarter", "base", "active_window", "active_qtd", "authorized_window",
                "active_window_pct", "active_qtd_pct", "target_pct", "milestone_pct", "milestone_met",
                "clients_needed", "months"}
BUHFON_KEYS = {"users", "not_launched", "never_launched", "by_category"}


@pytest.fixture
def files(tmp_path):
    base = tmp_path / "clients.csv"
    base.write_bytes(csv_bytes([["Клиент", "ИНН", "Тип клиента", "Телефон"],
                                *[[f"ООО Клиент {i}", f"77000000{i:02d}", "Клиенты 1С", "+7"] for i in range(10)],
                                ["=HYPERLINK(\"http://x\")", "7799999999", "Клиенты 1С", "@SUM(A1)"]],
                               title=["Клиенты ИТС по состоянию на 01.01.2021", ""]))
    log = tmp_path / "log.csv"
    # 3 clients in January, one more in February; base 11 → Feb (month 2): 4 of 11, milestone 40 % = 4.4 → 5
    rows = [["15.01.2021 10:00:00", f"ООО Клиент {i}", "Чат"] for i in range(3)]
    rows.append(["01.02.2021 9:00:00", "ООО Клиент 3", "Звонок"])
    log.write_bytes(csv_bytes([["Дата и время", "Клиент", "Вид коммуникации"], *rows], encoding="utf-8-sig"))
    return base, log


def test_connect_json_contract(files, capsys):
    base, log = files
    assert main(["connect", str(base), str(log), "--month", "2021-02", "--json"]) == 0
    j = json.loads(capsys.readouterr().out)
    assert set(j) >= CONNECT_KEYS
    assert (j["month"], j["quarter"], j["month_in_quarter"]) == ("2021-02", "2021-Q1", 2)
    assert (j["base"], j["active_window"], j["active_qtd"], j["authorized_window"]) == (11, 4, 4, None)
    assert j["active_qtd_pct"] == round(400 / 11, 2)
    assert (j["milestone_pct"], j["milestone_met"], j["clients_needed"], j["target_pct"]) == (40.0, False, 1, 60.0)
    assert [m["active_qtd"] for m in j["months"]] == [3, 4, None]


def test_connect_base_override_and_client_type(files, capsys):
    _base, log = files
    assert main(["connect", str(log), "--month", "2021-02", "--base", "5", "--client-type", "all", "--json"]) == 0
    j = json.loads(capsys.readouterr().out)
    # typed base 5, 4 active → 80 %; 40 % of 5 = 2 → met
    assert (j["base"], j["active_qtd_pct"], j["milestone_met"]) == (5, 80.0, True)


def test_connect_readable_summary_in_russian(files, capsys):
    base, log = files
    assert main(["connect", str(base), str(log), "--month", "2021-02"]) == 0
    out = capsys.readouterr().out
    assert "февраль 2021" in out
    assert "не хватает 1 клиента" in out


def test_silent_xlsx_and_csv(files, tmp_path, capsys):
    base, log = files
    out_x, out_c = tmp_path / "silent.xlsx", tmp_path / "silent.csv"
    assert main(["connect", str(base), str(log), "--month", "2021-02", "--silent", str(out_x)]) == 0
    assert main(["connect", str(base), str(log), "--month", "2021-02", "--silent", str(out_c),
                 "--silent-scope", "quarter"]) == 0
    ws = openpyxl.load_workbook(out_x).active
    header = [c.value for c in ws[1]]
    assert header[:2] == ["Клиент", "ИНН"] and "Телефон" in header
    # February: 10 of 11 clients had nothing in February (only Клиент 3 did)
    assert ws.max_row - 1 == 10
    names = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert '=HYPERLINK("http://x")' in names
    cell = next(c for c in ws["A"] if c.value == '=HYPERLINK("http://x")')
    assert cell.data_type == "s"
    text = out_c.read_bytes().decode("utf-8-sig")
    # quarter scope: 11 − 4 active = 7 rows plus the header
    assert len(text.strip().splitlines()) == 8
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text


def test_bad_input_exits_2_with_russian_message_naming_the_file(tmp_path):
    bad = tmp_path / "пусто.xlsx"
    bad.write_bytes(b"")
    proc = subprocess.run([sys.executable, "-m", "kpi", "connect", str(bad), "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "пусто.xlsx" in proc.stderr and "пуст" in proc.stderr
    assert "Traceback" not in proc.stderr
    expected = read_export("пусто.xlsx", b"").report.error.problem.to_json()
    assert json.loads(proc.stdout) == {"error": expected} and expected["file"] == "пусто.xlsx"


def test_bad_options_exit_2(files, capsys):
    base, _log = files
    assert main(["connect", str(base), "--month", "2021-02", "--tz", "Mars/Olympus"]) == 2
    assert "Mars/Olympus" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["connect", str(base), "--month", "февраль"])
    assert exc.value.code == 2


def test_buhfon_json(tmp_path, capsys):
    f = tmp_path / "bf.csv"
    f.write_bytes(csv_bytes([["Пользователь", "Категория Пользователя", "Дата последней авторизации",
                              "Авторизация в отчетный период"],
                             ["А", "Первый платный", "", "Нет"], ["Б", "Первый платный", "01.01.2020 1:00:00", "Нет"],
                             ["В", "Второй платный", "05.11.2026 1:00:00", "Да"]]))
    assert main(["buhfon", str(f), "--json"]) == 0
    j = json.loads(capsys.readouterr().out)
    assert set(j) >= BUHFON_KEYS
    assert (j["users"], j["not_launched"], j["never_launched"], j["by_category"]) == (3, 2, 1, {"Первый платный": 2})


def test_forecast_keys_with_fixed_today(files, capsys):
    base, log = files
    assert main(["connect", str(base), str(log), "--month", "2021-02", "--today", "2021-02-10", "--json"]) == 0
    j = json.loads(capsys.readouterr().out)
    # Q1 2021 working days: January 15; 1–10 February 8 → 23 elapsed; 11–28 February 11 (Saturday 20.02
    # worked, 22–23.02 off) + March 22 → 33 left. Pace 4/23 a day → 4 + 4·33/23 = 9.74 → 9 of 11 = 81.8 %.
    # Target ⌈0.6·11⌉ = 7, 3 missing over 33 days = 0.09 → rounded up to 0.1 a day.
    assert (j["forecast_pct"], j["needed_per_workday"], j["forecast_as_of"]) == (81.8, 0.1, "2021-02-10")


def test_split_workbook_per_responsible(tmp_path, capsys):
    base = tmp_path / "b.csv"
    base.write_bytes(csv_bytes([["Клиент", "Ответственный"], ["А", "Иванова"], ["Б", "Петров"], ["В", "Петров"],
                                ["Г", ""]]))
    log = tmp_path / "log.csv"  # a client outside the base talked in January: the four stay silent
    log.write_bytes(csv_bytes([["Дата и время", "Клиент", "Вид коммуникации"], ["15.01.2021 10:00:00", "Д", "Чат"]]))
    out = tmp_path / "split.xlsx"
    assert main(["connect", str(base), str(log), "--month", "2021-02", "--silent", str(out), "--split"]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Сводка", "Иванова", "Петров"]
    # Г has nobody: dealt to whoever has fewest — Иванова (1) rather than Петров (2)
    assert [r[0] for r in wb["Иванова"].iter_rows(min_row=2, values_only=True)] == ["А", "Г"]
    assert main(["connect", str(base), "--month", "2021-02", "--split"]) == 2
    assert "--split" in capsys.readouterr().err


def test_priority_command(tmp_path, capsys):
    base = tmp_path / "b.csv"
    base.write_bytes(csv_bytes([["Клиент", "ИНН"], ["ООО А", "7701000001"], ["ООО Б", "7701000002"]]))
    bf = tmp_path / "bf.csv"
    bf.write_bytes(csv_bytes([["Пользователь", "ИНН", "Категория Пользователя", "Авторизация в отчетный период"],
                              ["u1", "7701000001", "Первый платный", "Нет"], ["u2", "7701000002", "Первый платный",
                                                                               "Да"]]))
    log = tmp_path / "log.csv"  # communication data is needed: a client outside the base talked in January
    log.write_bytes(csv_bytes([["Дата и время", "Клиент", "Вид коммуникации"], ["15.01.2021 10:00:00", "Д", "Чат"]]))
    out = tmp_path / "p.xlsx"
    assert main(["priority", str(base), str(bf), str(log), "--month", "2021-02", "--out", str(out), "--json"]) == 0
    j = json.loads(capsys.readouterr().out)
    assert (j["priority"], j["silent_without_users"]) == (1, 0)
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[2]][:2] == ["ООО А", "7701000001"]
