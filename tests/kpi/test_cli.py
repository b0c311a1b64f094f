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


def test_python_m_kpi_ends_with_its_output_and_files_complete(files, tmp_path):
    """``python -m kpi`` leaves without the interpreter's teardown (``cli.finish``): what it printed and the
    file it wrote must be whole all the same, and a pipe gets the same JSON as an in-process call."""
    base, log = files
    out = tmp_path / "молчат.xlsx"
    proc = subprocess.run([sys.executable, "-m", "kpi", "connect", str(base), str(log), "--month", "2021-02",
                           "--json", "--silent", str(out), "--silent-scope", "quarter"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    j = json.loads(proc.stdout)
    assert (j["base"], j["active_qtd"]) == (11, 4)
    rows = list(openpyxl.load_workbook(out, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 1 + 11 - 4  # the heading and the seven silent clients


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


# --- issue 9/10: the keys, options and error JSON added to the contract -----------------------------------

NEW_CONNECT_KEYS = {"files", "warnings", "log_clients_not_in_base", "vendor_summary"}
ERROR_KEYS = {"code", "file", "sheet", "row", "column", "message"}


def test_connect_json_adds_files_warnings_not_in_base_and_vendor_summary(files, capsys):
    base, log = files
    extra = base.parent / "extra.csv"  # one client outside the base talked in February
    extra.write_bytes(csv_bytes([["Дата и время", "Клиент", "Вид коммуникации"],
                                 ["02.02.2021 9:00:00", "ООО Посторонний", "Чат"]]))
    assert main(["connect", str(base), str(log), str(extra), "--month", "2021-02", "--json"]) == 0
    j = json.loads(capsys.readouterr().out)
    assert set(j) >= CONNECT_KEYS | NEW_CONNECT_KEYS
    assert [(f["file"], f["kind"], f["rows_used"], f["rows_skipped"]) for f in j["files"]] == [
        ("clients.csv", "client_base", 11, 0), ("log.csv", "connect_log", 4, 0), ("extra.csv", "connect_log", 1, 0)]
    # base 11; active: the 4 from the fixture + the outsider = 5
    assert (j["base"], j["active_qtd"], j["log_clients_not_in_base"], j["vendor_summary"]) == (11, 5, 1, None)
    [w] = j["warnings"]
    assert w["code"] == "log-not-in-base" and w["params"]["count"] == 1 and set(w) >= {"code", "file", "message"}
    assert main(["connect", str(base), str(log), str(extra), "--month", "2021-02", "--json", "--only-base"]) == 0
    j = json.loads(capsys.readouterr().out)
    assert (j["active_qtd"], j["log_clients_not_in_base"]) == (4, 1)


def test_typed_base_only_gives_null_not_in_base(files, capsys):
    _base, log = files
    assert main(["connect", str(log), "--month", "2021-02", "--base", "5", "--json"]) == 0
    j = json.loads(capsys.readouterr().out)
    assert j["log_clients_not_in_base"] is None and j["base_source"] == "typed" and j["warnings"] == []


def test_base_only_input_exits_2_with_no_communication_data(files, capsys):
    base, _log = files
    assert main(["connect", str(base), "--month", "2021-02", "--json"]) == 2
    out, err = capsys.readouterr()
    e = json.loads(out)["error"]
    assert set(e) == ERROR_KEYS and e["code"] == "no-communication-data"
    assert "clients.csv — Список клиентов ИТС" in e["message"] and err.startswith("Ошибка: ")
    assert main(["connect", str(base), "--month", "2021-02"]) == 2  # without --json: stderr only
    out, err = capsys.readouterr()
    assert out == "" and "нет данных о коммуникациях" in err


def test_error_json_for_a_usage_problem_and_a_missing_file(files, tmp_path, capsys):
    base, log = files
    assert main(["connect", str(base), str(log), "--month", "2021-02", "--tz", "Mars/Olympus", "--json"]) == 2
    e = json.loads(capsys.readouterr().out)["error"]
    assert (e["code"], e["file"], e["row"]) == ("tz-unknown", None, None)
    assert main(["connect", str(tmp_path / "нет.csv"), "--json"]) == 2
    e = json.loads(capsys.readouterr().out)["error"]
    assert (e["code"], e["file"]) == ("file-unopenable", "нет.csv")


def test_usage_errors_in_russian_exit_2(files, capsys):
    base, _log = files
    with pytest.raises(SystemExit) as exc:
        main(["connect", str(base), "--client-type", "xx", "--json"])
    assert exc.value.code == 2
    out, err = capsys.readouterr()
    assert "использование:" in err and "ошибка:" in err and "недопустимое значение" in err
    assert "usage:" not in err and "invalid choice" not in err
    assert json.loads(out)["error"]["code"] == "usage"
    with pytest.raises(SystemExit):
        main(["connect"])
    assert "не указаны обязательные аргументы" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["connect", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "параметры:" in out and "показать эту справку и выйти" in out and "--only-base" in out


def test_kind_option_is_checked(files, capsys):
    base, log = files
    with pytest.raises(SystemExit):
        main(["connect", str(base), str(log), "--kind", f"{log.name}=журнал"])
    assert "ФАЙЛ=ВИД" in capsys.readouterr().err
    assert main(["connect", str(base), str(log), "--month", "2021-02", "--kind", "other.csv=log", "--json"]) == 2
    e = json.loads(capsys.readouterr().out)["error"]
    assert (e["code"], e["file"]) == ("usage", "other.csv")
    # naming a file as it is: its path or its name; the kind it already has changes nothing
    for name in (str(log), log.name):
        assert main(["connect", str(base), str(log), "--month", "2021-02", "--kind", f"{name}=log", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["active_qtd"] == 4


def test_kind_ignore_sets_a_file_aside(files, capsys):
    base, log = files
    extra = base.parent / "extra.csv"
    extra.write_bytes(csv_bytes([["Дата и время", "Клиент", "Вид коммуникации"],
                                 ["02.02.2021 9:00:00", "ООО Клиент 9", "Чат"]]))
    assert main(["connect", str(base), str(log), str(extra), "--month", "2021-02", "--kind", "extra.csv=ignore",
                 "--json"]) == 0
    j = json.loads(capsys.readouterr().out)
    assert j["active_qtd"] == 4 and ("set-aside-user", "extra.csv") in {(w["code"], w["file"]) for w in j["warnings"]}


def test_its_kinds_option(files, capsys):
    base, log = files
    with pytest.raises(SystemExit):
        main(["connect", str(base), str(log), "--its-kinds", " ; "])
    assert "--its-kinds" in capsys.readouterr().err
    assert main(["connect", str(base), str(log), "--month", "2021-02", "--its-kinds", "КП;ИТС", "--json"]) == 0


def test_a_list_longer_than_a_sheet_is_exit_2_with_advice(files, tmp_path, monkeypatch, capsys):
    from kpi.write import export

    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 5)  # 10 silent clients do not fit on a 5-row sheet
    base, log = files
    out = tmp_path / "s.xlsx"
    assert main(["connect", str(base), str(log), "--month", "2021-02", "--silent", str(out), "--json"]) == 2
    e = json.loads(capsys.readouterr().out)["error"]
    assert e["code"] == "list-too-long" and "CSV" in e["message"]


def test_buhfon_and_priority_json_add_files_and_warnings(tmp_path, capsys):
    f = tmp_path / "bf.csv"
    f.write_bytes(csv_bytes([["Пользователь", "Категория Пользователя", "Авторизация в отчетный период"],
                             ["А", "Первый платный", "Нет"]]))
    assert main(["buhfon", str(f), "--json"]) == 0
    j = json.loads(capsys.readouterr().out)
    assert j["files"] == [{"file": "bf.csv", "kind": "buhfon", "rows_used": 1, "rows_skipped": 0}]
    assert j["warnings"] == []
    assert main(["buhfon", str(tmp_path / "нет.csv"), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "file-unopenable"


# --- real shapes through the reader and the CLI (tests/fixtures/shapes.py) ----------------------------------

def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_its_report_log_and_pbx_crm_in_any_order(tmp_path, capsys):
    import itertools

    from tests.fixtures import shapes as S

    rows, facts = S.its_demo()
    its = _write(tmp_path, "its.xlsx", S.its_contracts_xlsx(rows))
    log = _write(tmp_path, "log.csv", csv_bytes([
        ["Дата и время", "Клиент", "ИНН", "Регистрационный номер", "Вид коммуникации"],
        ["03.11.2022 10:00:00", "Тета", "", "200000000092", "Чат"],     # Тест-Тета through an additional регномер
        ["04.11.2022 10:00:00", "Бета", "0105000002", "", "Звонок"],     # the zero the report's number lost
        ["05.11.2022 10:00:00", "Посторонний", "7799999999", "", "Чат"]]))  # not in the base
    pbx = _write(tmp_path, "calls.csv", S.pbx_calls("csv"))
    crm = _write(tmp_path, "deals.csv", S.crm_deals_csv())
    outs = []
    for order in itertools.permutations([its, log, pbx, crm]):
        assert main(["connect", *map(str, order), "--month", "2022-11", "--json"]) == 0
        outs.append(json.loads(capsys.readouterr().out))
    j = outs[0]
    # base: the fixture's 7; active: Тета, Бета and the outsider = 3
    assert (j["base"], j["base_source"], j["active_window"], j["log_clients_not_in_base"]) == (
        facts.base, "its_contracts", 3, 1)
    assert {(w["code"], w["file"]) for w in j["warnings"]} == {
        ("set-aside-pbx", "calls.csv"), ("set-aside-crm", "deals.csv"), ("log-not-in-base", "log.csv"),
        ("columns-repeated", "its.xlsx")}  # the report's second group repeats «Пользователь», «ИНН» …
    assert {f["file"]: f["kind"] for f in j["files"]} == {
        "its.xlsx": "its_contracts", "log.csv": "connect_log", "calls.csv": "pbx_calls", "deals.csv": "crm_deals"}
    def same(out):  # files and warnings follow the order the files were given in: compared as sets
        return ({k: v for k, v in out.items() if k not in ("files", "warnings")},
                sorted(json.dumps(w, sort_keys=True) for w in out["warnings"]),
                sorted(json.dumps(f, sort_keys=True) for f in out["files"]))

    for other in outs[1:]:
        assert same(other) == same(j)
    # the same without the set-aside files: the same figures
    assert main(["connect", str(its), str(log), "--month", "2022-11", "--json"]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert {k: plain[k] for k in CONNECT_KEYS} == {k: j[k] for k in CONNECT_KEYS}


@pytest.mark.parametrize("position", ["above", "below"])
def test_vendor_summary_above_or_below_the_table_is_the_base(tmp_path, capsys, position):
    from tests.fixtures import shapes as S

    facts = S.VendorSummaryFacts(base=50, base_date=None, authorized_window=12, active_window=10)
    report = _write(tmp_path, "vendor.xlsx", S.vendor_report(S.vendor_clients(46, active=10, authorized=12), facts,
                                                           position))
    assert main(["connect", str(report), "--json"]) == 0
    j = json.loads(capsys.readouterr().out)
    # the summary's 50 is the base (46 rows in the table); 10 active and 12 authorised, as the vendor prints
    assert (j["base"], j["base_source"], j["active_window"], j["authorized_window"]) == (50, "vendor_summary", 10, 12)
    assert j["vendor_summary"] == facts.to_json()
    differs = [w for w in j["warnings"] if w["code"] == "vendor-differs"]
    assert [w["params"]["key"] for w in differs] == ["base"] and "46" in differs[0]["message"]
    assert j["files"] == [{"file": "vendor.xlsx", "kind": "connect_clients", "rows_used": 46, "rows_skipped": 0}]
