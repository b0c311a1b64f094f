"""Who calls whom: keeping clients with their people, dealing the rest evenly, priority order."""

import io

import openpyxl
import pandas as pd

from kpi.compute.assign import UNASSIGNED, priority_order, split_calls, split_sheets
from kpi.write.export import sheets_to_xlsx_bytes


def rows(specs):
    """specs: (name, responsible, last_specialist, is_1c, auth, last_comm)"""
    df = pd.DataFrame(specs, columns=["_client", "_responsible", "_last_specialist", "_is_1c", "auth_window",
                                      "_last_comm"])
    df["_last_comm"] = pd.to_datetime(df["_last_comm"])
    df["auth_window"] = df["auth_window"].astype("boolean")
    return df


def test_priority_order():
    df = rows([
        ("прочий", None, None, False, True, None),
        ("давно", None, None, True, False, "2026-01-10"),
        ("недавно", None, None, True, False, "2026-10-01"),
        ("никогда", None, None, True, False, None),
        ("запускал, не говорил", None, None, True, True, None),
    ])
    # 1C first; among them: authorised but never talked, then never talked, then the oldest silence
    assert priority_order(df)["_client"].tolist() == ["запускал, не говорил", "никогда", "давно", "недавно",
                                                      "прочий"]


def test_split_keeps_responsible_and_last_specialist_then_deals_evenly():
    df = rows([
        ("A", "Аня", None, True, False, None),
        ("B", None, "Боря", True, False, "2026-10-01"),
        ("C", None, "Чужой", True, False, "2026-10-02"),
        ("D", None, None, True, False, "2026-10-03"),
        ("E", None, None, True, False, "2026-10-04"),
        ("F", None, None, True, False, "2026-10-05"),
    ])
    s = split_calls(df, ["Аня", "Боря", "Вера"])
    got = dict(zip(s.rows["_client"], s.rows["assignee"], strict=True))
    assert got["A"] == "Аня" and got["B"] == "Боря"
    # after A→Аня, B→Боря the loads are 1,1,0: the next (C, the oldest of the rest) goes to Вера, then
    # D to Аня (ties go to the earlier name), E to Боря, F to Вера → 2 each
    assert (got["C"], got["D"], got["E"], got["F"]) == ("Вера", "Аня", "Боря", "Вера")
    summary = s.summary().set_index("Сотрудник")
    assert summary["Клиентов"].tolist() == [2, 2, 2]
    assert summary.loc["Аня", "Закреплены в данных"] == 1
    assert summary.loc["Боря", "Обслуживал последним"] == 1


def test_split_without_people_uses_responsible_from_data_or_leaves_unassigned():
    df = rows([("A", "Аня", None, True, False, None), ("B", "Боря", None, True, False, None)])
    assert split_calls(df).people == ["Аня", "Боря"]
    none = rows([("A", None, None, True, False, None)])
    s = split_calls(none)
    assert s.people == [UNASSIGNED] and s.rows["assignee"].tolist() == [UNASSIGNED]


def test_split_workbook_has_summary_and_one_sheet_per_person():
    df = rows([("A", "Аня", None, True, False, None), ("B", "Боря", None, True, False, None),
               ("C", "Боря", None, True, False, None)])
    s = split_calls(df)
    data = sheets_to_xlsx_bytes(split_sheets(s, lambda r: r[["_client"]].rename(columns={"_client": "Клиент"})))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Сводка", "Аня", "Боря"]
    assert [c.value for c in wb["Боря"]["A"]] == ["Клиент", "B", "C"]
    assert wb["Сводка"]["B2"].value == 1 and wb["Сводка"]["B3"].value == 2
