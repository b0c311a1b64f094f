"""Say what was set aside and what differs (issue 9 §2, §5): warnings that name their file, the vendor's
summary as the base, and errors that say how each file was read. Numbers are worked out in the comments."""

from datetime import date

import pandas as pd
import pytest

from kpi.errors import ComputeError
from kpi.pipeline import connect_view, describe_files

from .build import CRM, VendorSummary, base_parsed, log_parsed, set_aside_parsed, stats_parsed

NOV = pd.Period("2026-11", "M")


def _stats(n=46, active=10):
    # n clients K00..; the first `active` had a communication in November (reporting month)
    return [[f"K{i:02d}", f"Клиент {i}", f"77000002{i:02d}", "Да" if i < active else "Нет", "Нет", "Нет"]
            for i in range(n)]


def _codes(view):
    return sorted(w.code for w in view.warnings)


def test_vendor_summary_is_the_base_and_is_reconciled():
    vendor = VendorSummary(base=50, base_date=date(2026, 11, 30), authorized_window=None, active_window=10,
                           file="stats.csv", row=52)
    view = connect_view([stats_parsed(_stats(), vendor=vendor)], NOV)
    s = view.summary
    # the vendor's base 50 wins over the 46 rows; 10 active in the window → 20 %
    assert (s.base, s.base_source, s.active_window) == (50, "vendor_summary", 10)
    assert s.to_json()["active_window_pct"] == 20.0
    assert view.vendor_summary is vendor
    differs = [w for w in view.warnings if w.code == "vendor-differs"]
    assert [w.param["key"] for w in differs] == ["base"]  # the window figure agrees: 10 = 10
    assert differs[0].file == "stats.csv" and "46" in differs[0].message and "50" in differs[0].message
    # the per-client table is still the list of who is in the base: 46 − 10 silent
    assert view.log_clients_not_in_base == 0


def test_vendor_window_differs_when_the_log_adds_clients():
    vendor = VendorSummary(base=46, base_date=None, authorized_window=None, active_window=10, file="stats.csv")
    # the log adds K20 (in the table, no flag) and one client outside it: ours 12 against the vendor's 10
    log = log_parsed([["20.11.2026 10:00:00", "Клиент 20", "7700000220", "", "Чат"],
                      ["21.11.2026 10:00:00", "Чужой", "7799999999", "", "Чат"]])
    view = connect_view([stats_parsed(_stats(), vendor=vendor), log], NOV)
    assert (view.summary.base, view.summary.active_window) == (46, 12)
    differs = {w.param["key"]: w for w in view.warnings if w.code == "vendor-differs"}
    assert set(differs) == {"active_window"}
    assert "10" in differs["active_window"].message and "12" in differs["active_window"].message
    assert view.log_clients_not_in_base == 1


def test_vendor_figures_of_another_month_are_not_compared():
    vendor = VendorSummary(base=46, base_date=None, authorized_window=None, active_window=3, file="stats.csv")
    view = connect_view([stats_parsed(_stats(), vendor=vendor)], pd.Period("2026-12", "M"))
    assert "vendor-differs" not in _codes(view)


def test_pbx_and_crm_files_beside_real_ones_change_nothing_and_are_named():
    base = base_parsed([["K1", "ООО А", "7700000001", "Клиенты 1С"], ["K2", "ООО Б", "7700000002", "Клиенты 1С"]])
    log = log_parsed([["05.11.2026 10:00:00", "ООО А", "7700000001", "", "Чат"]])
    alone = connect_view([base, log], NOV)
    pbx = set_aside_parsed("calls.csv")
    crm = set_aside_parsed("deals.csv", kind=CRM, code="set-aside-crm")
    beside = connect_view([pbx, base, crm, log], NOV)
    assert beside.summary.to_json() == alone.summary.to_json()
    # base 2, 1 active → 50 %
    assert (beside.summary.base, beside.summary.active_window) == (2, 1)
    aside = {(w.code, w.file) for w in beside.warnings}
    assert aside == {("set-aside-pbx", "calls.csv"), ("set-aside-crm", "deals.csv")}


def test_a_log_wholly_outside_the_quarter_is_named_with_its_range():
    base = base_parsed([["K1", "ООО А", "7700000001", "Клиенты 1С"]])
    current = log_parsed([["05.11.2026 10:00:00", "ООО А", "7700000001", "", "Чат"]], name="now.csv")
    old = log_parsed([["10.01.2026 09:00:00", "ООО А", "7700000001", "", "Чат"],
                      ["20.03.2026 18:00:00", "ООО Б", "7700000002", "", "Чат"]], name="old.csv")
    view = connect_view([base, current, old], NOV)
    [w] = [w for w in view.warnings if w.code == "dates-outside-quarter"]
    # November is month 2 of Q4: the counted months are Sep–Nov (window) and Oct–Nov (QTD); Jan–Mar is outside
    assert w.file == "old.csv" and (w.param["first"], w.param["last"]) == ("10.01.2026", "20.03.2026")
    assert view.summary.active_window == 1


def test_seed_table_log_clients_outside_the_base_count_unless_only_base():
    # the seed: base 1, 2 clients with communications → 200 %
    base = base_parsed([["K1", "ООО А", "7700000001", "Клиенты 1С"]])
    log = log_parsed([["05.11.2026 10:00:00", "ООО А", "7700000001", "", "Чат"],
                      ["06.11.2026 10:00:00", "ООО Б", "7700000002", "", "Звонок"]])
    view = connect_view([base, log], NOV)
    assert (view.summary.base, view.summary.active_window) == (1, 2)
    assert view.summary.to_json()["active_window_pct"] == 200.0
    assert view.log_clients_not_in_base == 1 and list(view.not_in_base["_inn"]) == ["7700000002"]
    assert _codes(view) == ["log-not-in-base"]
    only = connect_view([base, log], NOV, only_base=True)
    assert (only.summary.active_window, only.summary.to_json()["active_window_pct"]) == (1, 100.0)
    # without any list (typed base only) there is nothing to be outside of: null
    typed = connect_view([log], NOV, base=1)
    assert typed.log_clients_not_in_base is None and typed.summary.base_source == "typed"


def test_base_only_is_no_communication_data_naming_the_files():
    base = base_parsed([["K1", "ООО А", "7700000001", "Клиенты 1С"]], name="a.csv")
    with pytest.raises(ComputeError) as exc:
        connect_view([base, set_aside_parsed("b.xlsx")], NOV)
    assert exc.value.code == "no-communication-data"
    assert "a.csv — Список клиентов ИТС" in exc.value.message
    assert "b.xlsx — отложен: история звонков АТС" in exc.value.message


def test_no_base_and_no_month_name_the_files_and_their_kinds():
    log = log_parsed([["05.11.2026 10:00:00", "ООО А", "7700000001", "", "Чат"]], name="log.csv")
    with pytest.raises(ComputeError) as exc:
        connect_view([log], NOV)
    assert exc.value.code == "no-base" and "log.csv — 1С-Коннект: журнал коммуникаций" in exc.value.message
    base = base_parsed([["K1", "ООО А", "7700000001", "Клиенты 1С"]], name="a.csv")
    with pytest.raises(ComputeError) as exc:
        connect_view([base], None)
    # a base alone without a month: the missing communication data is the reason, not the month
    assert exc.value.code == "no-communication-data" and "a.csv — Список клиентов ИТС" in exc.value.message
    assert describe_files([]) == "ни одного файла"


def test_base_zero_is_never_met():
    log = log_parsed([["05.11.2026 10:00:00", "ООО А", "7700000001", "", "Чат"]])
    view = connect_view([log], NOV, base=0)
    assert view.summary.milestone_met is False and view.summary.to_json()["milestone_met"] is None
    assert "base-zero" in _codes(view)


def test_base_list_wins_over_the_per_client_export():
    # base list: K00, K01, K99; per-client export: K00..K04 (K00 active). Base = the list's 3, not the union 6.
    base = base_parsed([["K00", "Клиент 0", "", "Клиенты 1С"], ["K01", "Клиент 1", "", "Клиенты 1С"],
                        ["K99", "Клиент 99", "", "Клиенты 1С"]])
    view = connect_view([stats_parsed(_stats(5, 1)), base], NOV)
    assert (view.summary.base, view.summary.base_source, view.summary.active_window) == (3, "base_list", 1)
