"""The ITS contract report as the base: support contracts in force on the report date, joined to the log through
ИНН (leading zero restored, 12 digits) and additional регномера. Expected numbers are the fixture's hand-computed
facts (``its_demo``) and the arithmetic in the comments, never the code's own output."""

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from kpi.compute.connect import build_connect
from kpi.compute.its import its_kinds_table
from kpi.compute.silent import silent_clients
from kpi.errors import ComputeError
from kpi.pipeline import connect_view
from kpi.rules import is_support_kind
from tests.fixtures.shapes import SERVICE_EXAMPLES, SUPPORT_EXAMPLES, its_demo

from .build import its_parsed, log_parsed

NOV = pd.Period("2022-11", "M")


@pytest.mark.parametrize("kind", SUPPORT_EXAMPLES)
def test_support_kinds_by_default(kind):
    assert is_support_kind(kind)


@pytest.mark.parametrize("kind", SERVICE_EXAMPLES)
def test_service_kinds_are_not_support(kind):
    assert not is_support_kind(kind)


def test_its_base_by_kinds_with_restored_zeros_and_a_12_digit_inn():
    rows, facts = its_demo()
    data = build_connect([its_parsed(rows)], NOV)
    base = data.clients[data.clients["_known"]]
    assert data.list_source == "its_contracts"
    assert len(base) == facts.base == 7
    keys = {inn if isinstance(inn, str) else reg for inn, reg in zip(base["_inn"], base["_regnum"], strict=True)}
    assert keys == facts.base_keys  # 0105000002, 0200000010 with their zero; 770000000003 all 12 digits
    # services-only and not-in-force clients are not in the base (nor anywhere in the client table)
    inns = set(data.clients["_inn"].dropna())
    assert not inns & (facts.services_only_keys | facts.not_in_force_keys)


def test_its_kinds_table_counts_clients_per_kind():
    rows, facts = its_demo()
    table = its_kinds_table(its_parsed(rows))
    assert dict(zip(table["kind"], table["clients"], strict=True)) == facts.kind_clients
    support = set(table.loc[table["support"], "kind"])
    assert support == {"1С:КП ПРОФ 12 мес.", "1С:КП Базовый", "ИТСааС Старт", "Предприятие через Интернет Базовый",
                       "ГРМ КП Базовый"}


def test_its_kinds_can_be_narrowed():
    rows, _facts = its_demo()
    # only «ИТС…»: ИП Тестов (ИТСааС Старт) and Тест-Йота (ИТСааС Старт beside its КП) → 2
    data = build_connect([its_parsed(rows)], NOV, its_kinds=("ИТС",))
    assert int(data.clients["_known"].sum()) == 2


def test_log_matched_through_an_additional_regnum_and_restored_inn():
    rows, _facts = its_demo()
    log = log_parsed([
        ["03.11.2022 10:00:00", "Тета по доп. регномеру", "", "200000000092", "Чат"],   # Тест-Тета (extra regnum)
        ["04.11.2022 10:00:00", "Бета", "0105000002", "", "Звонок"],                     # Тест-Бета (zero restored)
        ["05.11.2022 10:00:00", "ИП Тестов", "770000000003", "", "Чат"],                 # 12-digit ИНН
        ["06.11.2022 10:00:00", "Дельта", "7700000005", "", "Чат"],                      # services only: not in base
    ])
    view = connect_view([its_parsed(rows), log], NOV)
    s = view.summary
    # base 7 (fixture); active: Тета, Бета, Тестов in the base + Дельта outside it = 4
    assert (s.base, s.base_source, s.active_window, s.active_qtd) == (7, "its_contracts", 4, 4)
    assert view.log_clients_not_in_base == 1
    assert [w.code for w in view.warnings] == ["log-not-in-base"]
    silent = silent_clients(view.data, NOV)
    # silent: the 7 base clients minus Тета, Бета, Тестов = Альфа, Гамма (FR000004), Йота, Каппа
    got = {inn if isinstance(inn, str) else reg for inn, reg in zip(silent["_inn"], silent["_regnum"], strict=True)}
    assert got == {"7700000001", "FR000004", "0200000010", "7700000011"}
    # the second group's «Ответственный» travels with the client
    assert set(view.data.clients["_responsible"].dropna()) == {"Тестова А.А.", "Тестов Б.Б."}
    only = connect_view([its_parsed(rows), log], NOV, only_base=True)
    assert (only.summary.active_window, only.log_clients_not_in_base) == (3, 1)


def test_refusal_on_the_report_date_removes_the_contract():
    rows, _facts = its_demo()
    on_the_day = [r for r in rows if r.client == "ООО «Тест-Альфа»"]
    from dataclasses import replace
    refused = [replace(on_the_day[0], refused_from=date(2022, 11, 7))]
    data = build_connect([its_parsed(refused)], NOV)
    assert int(data.clients["_known"].sum()) == 0  # «Отказ с 07.11.2022» on the report date: not in force


def test_no_support_in_force_gives_base_zero_and_never_met():
    rows, _facts = its_demo()
    services = [r for r in rows if r.client in ("ООО «Тест-Дельта»", "ООО «Тест-Лямбда»")]
    log = log_parsed([["03.11.2022 10:00:00", "Дельта", "7700000005", "", "Чат"]])
    view = connect_view([its_parsed(services), log], NOV)
    assert view.summary.base == 0
    codes = [w.code for w in view.warnings]
    assert "base-zero" in codes and "its-no-support" in codes
    j = view.summary.to_json()
    assert j["milestone_met"] is None and view.summary.milestone_met is False
    assert all(m["milestone_met"] is None for m in j["months"])


def test_its_without_a_date_uses_the_end_of_the_month_and_says_so():
    rows, facts = its_demo()
    log = log_parsed([["03.11.2022 10:00:00", "Бета", "0105000002", "", "Чат"]])
    view = connect_view([its_parsed(rows, report_date=None), log], NOV)
    assert "its-no-date" in [w.code for w in view.warnings]
    # on 30.11.2022 the same 7 are in force (nothing starts or ends between 07.11 and 30.11)
    assert view.summary.base == facts.base


def test_its_report_alone_is_no_communication_data():
    rows, _facts = its_demo()
    with pytest.raises(ComputeError) as exc:
        connect_view([its_parsed(rows)], NOV)
    assert exc.value.code == "no-communication-data"
    assert "its.xlsx" in exc.value.message


@pytest.mark.parametrize(("report_day", "far"), [
    (date(2022, 11, 7), False),  # in the reporting month
    (date(2022, 10, 1), False),  # the quarter's first day
    (date(2022, 9, 1), False),  # a month before the quarter: within the slack
    (date(2022, 8, 31), True),
    (date(2022, 12, 31), False),  # a month after the reporting month
    (date(2023, 1, 1), True),
    (date(2021, 11, 7), True),  # last year's report
])
def test_an_its_report_far_from_the_reporting_month_is_warned(report_day, far):
    rows, _facts = its_demo()
    rows = [replace(r, start=date(2020, 1, 1), end=date(2024, 12, 31)) for r in rows]  # in force either way
    log = log_parsed([["05.11.2022 10:00:00", "Кто-то", "7700000099", "", "Чат"]])
    view = connect_view([its_parsed(rows, report_date=report_day), log], NOV)
    found = [w for w in view.warnings if w.code == "its-date-far"]
    assert bool(found) == far
    if far:
        assert found[0].file == "its.xlsx" and found[0].param["date"] == report_day.strftime("%d.%m.%Y")
