"""The cross-program list: silent in 1С-Коннект and no 1С-Бухфон user of the client launched."""

import pandas as pd

from kpi.compute.connect import build_connect
from kpi.compute.priority import priority_list
from kpi.compute.silent import ClientFilter, apply_filter, client_status
from kpi.pipeline import buhfon_view
from kpi.read.recognise import read_export
from tests.helpers import csv_bytes


def test_priority_matching_by_inn_regnum_and_name():
    base = read_export("base.csv", csv_bytes([
        ["Клиент", "ИНН", "Регистрационный номер"],
        ["ООО Альфа", "7701000001", ""],     # silent; its only user did not launch → listed (matched by ИНН)
        ["ООО Бета", "", "800000002"],       # silent; one of two users launched → not listed
        ["ООО Гамма", "", ""],               # silent; matched by name, user never launched → listed
        ["ООО Дельта", "7701000004", ""],    # silent; no 1С-Бухфон user at all → counted as without users
        ["ООО Эпсилон", "7701000005", ""],   # talked in March → not silent
    ]))
    log = read_export("log.csv", csv_bytes([["Дата", "ИНН", "Клиент", "Вид коммуникации"],
                                                ["05.03.2021 10:00:00", "7701000005", "", "Чат"]]))
    bf = read_export("bf.csv", csv_bytes([
        ["Пользователь", "Организация", "ИНН", "Регистрационный номер", "Категория Пользователя",
         "Дата последней авторизации", "Авторизация в отчетный период"],
        ["u1", "Альфа", "7701000001", "", "Первый платный", "01.01.2020 1:00:00", "Нет"],
        ["u2", "Бета", "", "800000002", "Первый платный", "01.01.2020 1:00:00", "Нет"],
        ["u3", "Бета", "", "800000002", "Первый платный", "02.03.2021 1:00:00", "Да"],
        ["u4", "ооо  гамма", "", "", "Второй платный", "", "Нет"],
        ["u5", "ООО Неизвестная", "7709999999", "", "Второй платный", "", "Нет"],
        ["u6", "", "", "", "Второй платный", "", "Нет"],
        ["u7", "Эпсилон", "7701000005", "", "Второй платный", "", "Нет"],
    ]))
    data = build_connect([base, log])
    status = client_status(data, pd.Period("2021-03", "M"))
    silent = apply_filter(status, ClientFilter(no_comm_month=True))
    _, result = buhfon_view([bf])
    p = priority_list(status, silent, result)
    assert sorted(p.rows["_client"]) == ["ООО Альфа", "ООО Гамма"]
    assert p.rows.set_index("_client").loc["ООО Гамма", "1С-Бухфон ни разу не запускался"] == "Да"
    # clients with users: Альфа, Бета, Гамма, Эпсилон = 4; silent without users: Дельта = 1
    # users not matched: u5 (unknown ИНН); without identity: u6
    assert p.to_json() == {"priority": 2, "matched_clients": 4, "silent_without_users": 1, "users_unmatched": 1,
                           "users_without_identity": 1}
    assert len(p.unmatched_ru()) == 3
