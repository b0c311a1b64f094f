"""Quarter figures from joined inputs, each expected number worked out by hand in the comments."""

import pandas as pd
import pytest

from kpi.compute.connect import build_connect
from kpi.compute.quarter import qtd_months, summarize, window_months
from kpi.compute.silent import ClientFilter, apply_filter, client_status, export_frame, silent_clients
from kpi.errors import ComputeError
from kpi.pipeline import connect_view, pick_month
from kpi.read.recognise import read_export
from tests.helpers import csv_bytes

M = pd.Period


def base_list(rows):
    return read_export("base.csv", csv_bytes([["Код клиента", "Клиент", "ИНН", "Тип клиента", "Ответственный"], *rows]))


def log(rows, name="log.csv", tz="Europe/Moscow"):
    return read_export(name, csv_bytes([["Дата и время", "Клиент", "ИНН", "Вид коммуникации"], *rows]), tz)


def test_seed_table_base_one_two_active_is_200_percent():
    # The seed's own table: base 1 (typed from the cabinet), 2 clients with communications → 200 %.
    parsed = [log([["10.12.2017 10:00:00", "ООО А", "7701234567", "Чат"],
                   ["11.12.2017 11:00:00", "ООО Б", "7701234568", "Звонок"]])]
    s = connect_view(parsed, M("2017-12", "M"), base=1).summary
    j = s.to_json()
    assert (j["base"], j["active_window"], j["active_qtd"]) == (1, 2, 2)
    assert j["active_window_pct"] == 200.0
    assert j["milestone_met"] is True and j["clients_needed"] == 0


def test_window_and_quarter_to_date_differ_in_month_one():
    # Base: 10 1C clients K1..K10 and one other. Log: K1,K2 in Feb; K3 in Mar; K4 in Apr; K5 in Apr and May.
    clients = [[f"K{i}", f"Клиент {i}", "", "Клиенты 1С", ""] for i in range(1, 11)]
    clients.append(["K11", "Прочий", "", "Прочие клиенты", ""])
    entries = [["01.02.2021 9:00:00", "Клиент 1"], ["15.02.2021 9:00:00", "Клиент 2"],
               ["20.03.2021 9:00:00", "Клиент 3"], ["01.04.2021 9:00:00", "Клиент 4"],
               ["02.04.2021 9:00:00", "Клиент 5"], ["03.05.2021 9:00:00", "Клиент 5"],
               ["04.04.2021 9:00:00", "Прочий"]]
    parsed = [base_list(clients), log([[d, n, "", "Чат"] for d, n in entries])]
    data = build_connect(parsed)
    april = summarize(data, M("2021-04", "M"))
    # April is month 1 of Q2: window Feb–Apr has K1..K5 (5); quarter to date (April) K4, K5 (2).
    assert (april.base, april.active_window, april.active_qtd) == (10, 5, 2)
    # milestone 20 % of 10 = 2 clients: met exactly
    assert april.milestone_met and april.clients_needed == 0
    may = summarize(data, M("2021-05", "M"))
    # May: window Mar–May K3,K4,K5 (3); QTD Apr–May K4,K5 (2); 40 % of 10 = 4 → 2 missing
    assert (may.active_window, may.active_qtd, may.milestone_met, may.clients_needed) == (3, 2, False, 2)
    # all clients: the «Прочий» client counts too, base 11; 40 % of 11 = 4.4 → 5 needed, 3 active
    may_all = summarize(data, M("2021-05", "M"), client_type="all")
    assert (may_all.base, may_all.active_qtd, may_all.clients_needed) == (11, 3, 2)
    months = may.months
    assert months["active_month"].tolist()[:2] == [2, 1]
    assert months["active_qtd"].tolist()[:2] == [2, 2]
    assert months["milestone_pct"].tolist() == [20.0, 40.0, 60.0]
    assert pd.isna(months["active_qtd"].iloc[2])


def test_quarter_that_starts_mid_data():
    # Log from Nov 2020 to Jan 2021; reporting month Jan 2021 (month 1 of Q1): only January counts for QTD.
    parsed = [log([["30.11.2020 12:00:00", "А", "", "Чат"], ["31.12.2020 23:59:59", "Б", "", "Чат"],
                   ["01.01.2021 0:00:01", "В", "", "Чат"]])]
    assert pick_month(parsed) == M("2021-01", "M")
    s = connect_view(parsed, None, base=10).summary
    assert s.month == M("2021-01", "M")
    assert (s.active_window, s.active_qtd) == (3, 1)


@pytest.mark.parametrize(
    ("stamp", "tz", "month"),
    [
        # 00:30 on 1 April in Novosibirsk (UTC+7) is 17:30 on 31 March in UTC: a naive local stamp stays April
        ("01.04.2021 0:30:00", "Asia/Novosibirsk", "2021-04"),
        # the same instant written in UTC belongs to April in Novosibirsk, to March in Moscow (20:30)
        ("2021-03-31T17:30:00Z", "Asia/Novosibirsk", "2021-04"),
        ("2021-03-31T17:30:00Z", "Europe/Moscow", "2021-03"),
        ("2021-04-01T00:30:00+07:00", "Europe/Moscow", "2021-03"),
    ],
)
def test_month_edges_across_time_zones(stamp, tz, month):
    p = log([[stamp, "А", "", "Чат"]], tz=tz)
    assert p.table["_month"].iloc[0] == M(month, "M")


def test_duplicates_are_merged_and_flags_ored():
    header = ["Код клиента", "Клиент", "ИНН", "Коммуникации в отчетном месяце", "Коммуникации в -1 месяце",
              "Коммуникации в -2 месяце"]
    rows = [header,
            ["K1", "ООО А", "7701234567", "Нет", "Нет", "Нет"],
            ["K1", "ООО А (дубль)", "7701234567", "Да", "Нет", "Нет"],   # same code → merged, Да wins
            ["", "ООО Б", "7701234568", "Нет", "Да", "Нет"],
            ["K2", "ООО Б", "7701234568", "Нет", "Нет", "Нет"],          # same ИНН as the row above
            ["", "ИП Сидоров", "", "Нет", "Нет", "Нет"],
            ["", "ип  сидоров", "", "Нет", "Нет", "Да"]]                  # same name, nothing else
    p = read_export("stat.csv", csv_bytes(rows, title=["Период: Март 2021 г."]))
    data = build_connect([p])
    assert len(data.clients) == 3
    merged = sorted((n.row, n.kind) for n in data.notes)
    # header on line 2 (one title line); rows 3..8 → merges reported at lines 4, 6, 8
    assert merged == [(4, "merged"), (6, "merged"), (8, "merged")]
    s = summarize(data, M("2021-03", "M"))
    # K1 active in March, ООО Б in February, Сидоров in January → window 3, QTD 3, base 3
    assert (s.base, s.active_window, s.active_qtd) == (3, 3, 3)
    march = silent_clients(data, M("2021-03", "M"))
    assert sorted(march["_client"]) == ["ИП Сидоров", "ООО Б"]


def test_log_matches_base_by_inn_then_name():
    base = base_list([["K1", "ООО «Альфа»", "7701234567", "Клиенты 1С", "Иванова"],
                      ["K2", "ООО «Бета»", "", "Клиенты 1С", "Петров"],
                      ["K3", "ООО «Гамма»", "", "Прочие клиенты", "Петров"]])
    lg = log([["05.03.2021 10:00:00", "Альфа", "7701234567", "Чат"],       # by ИНН despite another name
              ["06.03.2021 10:00:00", "ооо бета", "", "Звонок"],            # by name, quotes and case folded
              ["07.03.2021 10:00:00", "ООО Неизвестный", "", "Чат"]])       # not in the base: still counted
    data = build_connect([base, lg])
    s = summarize(data, M("2021-03", "M"))
    # base = 2 1C clients; active: Альфа, Бета, and the unknown client (no type → 1C) = 3 → 150 %
    assert (s.base, s.active_qtd) == (2, 3)
    assert s.to_json()["active_qtd_pct"] == 150.0
    status = client_status(data, M("2021-03", "M"))
    assert status.loc[status["_client"] == "ООО «Альфа»", "_last_comm"].iloc[0] == pd.Timestamp("2021-03-05 10:00")
    petrov = apply_filter(status, ClientFilter(client_type="all", responsible=("Петров",)))
    assert sorted(petrov["_client"]) == ["ООО «Бета»", "ООО «Гамма»"]
    silent_all = apply_filter(status, ClientFilter(client_type="all", no_comm_month=True))
    assert silent_all["_client"].tolist() == ["ООО «Гамма»"]
    found = apply_filter(status, ClientFilter(search="7701234567"))
    assert found["_client"].tolist() == ["ООО «Альфа»"]


def test_export_frame_keeps_source_columns_and_adds_last_comm():
    base = read_export("b.csv", csv_bytes([["Клиент", "Телефон", "Комментарий"], ["ООО А", "+7 1", "звонить утром"],
                                           ["ООО Б", "+7 2", ""]]))
    lg = log([["05.03.2021 10:00:00", "ООО А", "", "Чат"]])
    data = build_connect([base, lg])
    out = export_frame(silent_clients(data, M("2021-04", "M")), data)
    assert list(out.columns) == ["Клиент", "ИНН", "Телефон", "Комментарий", "Дата последней коммуникации"]
    assert out["Клиент"].tolist() == ["ООО А", "ООО Б"]
    assert out["Дата последней коммуникации"].iloc[0] == pd.Timestamp("2021-03-05 10:00")


def test_no_base_is_a_clear_error():
    with pytest.raises(ComputeError, match="база"):
        connect_view([log([["05.03.2021 10:00:00", "ООО А", "", "Чат"]])], M("2021-03", "M"))


def test_window_helpers():
    assert window_months(M("2021-01", "M")) == [M("2020-11", "M"), M("2020-12", "M"), M("2021-01", "M")]
    assert qtd_months(M("2021-05", "M")) == [M("2021-04", "M"), M("2021-05", "M")]
