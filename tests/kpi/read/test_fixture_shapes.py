"""The shared generators of issue 9's real shapes (``tests/fixtures/shapes.py``) through the reader.

Expectations are the generators' documented, hand-computed facts; the reader must give them exactly.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi.read.recognise import read_export
from kpi.read.schema import Kind
from tests.fixtures import shapes as F


def test_its_demo_report():
    rows, facts = F.its_demo()
    p = read_export("its.xlsx", F.its_contracts_xlsx(rows, facts.report_date))
    r = p.report
    assert r.error is None and r.kind is Kind.ITS_CONTRACTS and r.sheet == F.ITS_SHEET
    assert r.report_date == facts.report_date and r.header_row == 5
    assert r.rows_used == facts.rows == 17 and not r.notes
    t = p.table
    assert t["_inn"].fillna("-").tolist() == [row.inn_text or "-" for row in rows]
    assert {"0105000002", "770000000003", "0200000010"} <= set(t["_inn"].dropna())
    assert t["_inn"].isna().tolist() == [row.inn is None for row in rows]
    assert t["_regnum"].tolist() == [str(row.regnum) for row in rows]
    extra = dict(zip(t["_regnum"], t["_regnums_extra"], strict=True))
    assert extra["800000009"] == "200000000091;200000000092" and pd.isna(extra["800000001"])
    by_key = {(i if pd.notna(i) else g): resp for i, g, resp in zip(t["_inn"], t["_regnum"], t["_responsible"],
                                                                        strict=True) if pd.notna(resp)}
    assert by_key == facts.responsible
    refused = t.loc[t["_refused_from"].notna(), ["_inn", "_refused_from"]]
    assert refused.values.tolist() == [["7700000008", pd.Timestamp("2022-10-01")],
                                       ["7700000009", pd.Timestamp("2023-04-01")]]
    assert t["_its_kind"].tolist() == [row.kind for row in rows]
    assert t["_start"].tolist() == [pd.Timestamp(row.start) for row in rows]
    assert t["_end"].tolist() == [pd.Timestamp(row.end) for row in rows]
    assert [w.code for w in r.warnings] == ["columns-repeated"]


def test_its_report_with_identifiers_written_as_text():
    rows, facts = F.its_demo()
    t = read_export("its.xlsx", F.its_contracts_xlsx(rows, facts.report_date, inn_as_text=True)).table
    assert {"0105000002", "770000000003", "0200000010"} <= set(t["_inn"].dropna())


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_pbx_history_is_set_aside(fmt):
    p = read_export(f"calls.{fmt}", F.pbx_calls(fmt))
    assert not p.ok and p.report.error is None
    assert p.report.kind is Kind.PBX_CALLS and p.report.set_aside.code == "set-aside-pbx"
    assert "Тип звонка" in p.report.decided_by


def test_crm_deals_are_set_aside():
    p = read_export("deals.csv", F.crm_deals_csv())
    assert not p.ok and p.report.kind is Kind.CRM_DEALS and p.report.set_aside.code == "set-aside-crm"


def test_edo_list_is_set_aside_not_a_base():
    p = read_export("edo.xlsx", F.edo_client_list_xlsx())
    assert not p.ok and p.report.set_aside.code == "set-aside-unknown"
    assert p.report.decided_by == ["Оператор ЭДО", "Дата подключения"]


def test_log_without_channel_is_set_aside_and_with_it_is_a_log():
    client = F.ClientId("ООО «Тест-1»", inn="7800000001")
    rows = [F.LogRow(datetime(2026, 11, 2, 10), client)]
    p = read_export("log.csv", F.connect_log_csv(rows, with_channel=False))
    assert not p.ok and p.report.set_aside.code == "set-aside-not-log"
    p = read_export("log.csv", F.connect_log_csv(rows))
    assert p.ok and p.kind is Kind.CONNECT_LOG and "Вид коммуникации" in p.report.decided_by


def test_base_list_is_a_base():
    p = read_export("base.csv", F.base_list_csv([F.ClientId("ООО «Тест-1»", inn="0105000002", code="К-1")]))
    assert p.ok and p.kind is Kind.CLIENT_BASE and p.table["_inn"].tolist() == ["0105000002"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("position", ["above", "below"])
@pytest.mark.parametrize("totals", [False, True])
def test_vendor_report_with_its_summary(fmt, position, totals):
    clients = F.vendor_clients(46, active=28, authorized=31)
    facts = F.VendorSummaryFacts(base=50, base_date=date(2026, 11, 30), authorized_window=31, active_window=28)
    p = read_export(f"stat.{fmt}", F.vendor_report(clients, facts, position, fmt, totals=totals))
    r = p.report
    assert r.error is None and r.kind is Kind.CONNECT_CLIENTS
    assert r.rows_used == 46 and p.table["_client"].tolist() == [c.client for c in clients]
    assert r.vendor_summary.to_json() == facts.to_json()
    assert int(p.table["_comm_m0"].sum() + p.table["_comm_m1"].sum() + p.table["_comm_m2"].sum()) == 28
    assert [n.code for n in r.notes] == (["totals-row"] if totals else [])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_vendor_summary_alone(fmt):
    facts = F.VendorSummaryFacts(base=1, base_date=date(2017, 12, 31), authorized_window=2, active_window=2)
    p = read_export(f"summary.{fmt}", F.vendor_report([], facts, "alone", fmt))
    assert p.ok and p.kind is Kind.VENDOR_SUMMARY and len(p.table) == 0
    assert p.report.vendor_summary.to_json() == facts.to_json()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(1, 8), gap=st.integers(0, 3), position=st.sampled_from(["above", "below"]),
       fmt=st.sampled_from(["csv", "xlsx"]), totals=st.booleans(), base=st.integers(0, 500))
def test_the_summary_never_changes_the_clients_read(n, gap, position, fmt, totals, base):
    """Wherever the vendor's summary stands and however many blank rows lie between, the clients read are
    exactly the per-client rows, and the summary's figures are the ones printed."""
    clients = F.vendor_clients(n, active=n // 2, authorized=n // 3)
    facts = F.VendorSummaryFacts(base=base, authorized_window=n // 3, active_window=n // 2)
    p = read_export(f"s.{fmt}", F.vendor_report(clients, facts, position, fmt, gap=gap, totals=totals))
    assert p.ok and p.table["_client"].tolist() == [c.client for c in clients]
    assert p.report.vendor_summary.to_json() == facts.to_json()
