"""One client across files, whatever the order: the identity closure (issue 9 §4)."""

import itertools
from collections import Counter
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kpi.compute.connect import build_connect, components
from kpi.compute.silent import silent_clients
from kpi.pipeline import connect_view
from kpi.read.recognise import read_export
from kpi.read.schema import Kind
from tests.fixtures.shapes import ItsRow, VendorSummaryFacts, vendor_report

from .build import base_parsed, its_parsed, log_parsed, stats_parsed

NOV = pd.Period("2026-11", "M")


def _chain_files():
    base = base_parsed([["K1", "Альфа (список)", "", "Клиенты 1С"], ["K2", "Бета", "", "Клиенты 1С"]],
                       name="base.csv")
    stats = stats_parsed([["K1", "ООО Альфа", "7700000001", "Нет", "Нет", "Нет"],
                          ["K2", "ООО Бета", "7700000002", "Нет", "Нет", "Нет"]], name="stats.csv")
    log = log_parsed([["05.11.2026 10:00:00", "Альфа из журнала", "7700000001", "", "Чат"]], name="log.csv")
    return [base, stats, log]


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_code_only_list_code_and_inn_export_inn_only_log_are_one_client_in_any_order(order):
    files = _chain_files()
    view = connect_view([files[i] for i in order], NOV)
    s = view.summary
    # two clients (K1 = 7700000001, K2): the log's client is K1, so 1 active of a base of 2, nobody outside
    assert len(view.data.clients) == 2
    assert (s.base, s.base_source, s.active_window, s.active_qtd) == (2, "base_list", 1, 1)
    assert view.log_clients_not_in_base == 0
    assert set(silent_clients(view.data, NOV)["_code"]) == {"K2"}


def test_a_60_link_chain_is_one_client():
    # file A: (K_i, N_i); file B: (K_{i+1}, N_i) — each row links two codes through an ИНН: 60 codes, one client.
    # Rows go in reverse so no left-to-right pass can finish early.
    a = [[f"K{i:02d}", f"Клиент {i}", f"77000001{i:02d}", "Клиенты 1С"] for i in reversed(range(60))]
    b = [[f"K{i + 1:02d}", f"Звено {i}", f"77000001{i:02d}", "Клиенты 1С"] for i in reversed(range(59))]
    data = build_connect([base_parsed(a, name="a.csv"), base_parsed(b, name="b.csv")])
    assert len(data.clients) == 1


def test_components_of_a_long_shuffled_path():
    rng = np.random.default_rng(7)
    n = 100_000
    perm = rng.permutation(n)  # the path perm[0] – perm[1] – … in random numbering and random edge order
    edges = rng.permutation(n - 1)
    a, b = perm[edges], perm[edges + 1]
    label = components(n, a, b)
    assert (label == 0).all()
    # components labelled by their smallest node
    label = components(6, np.array([5, 1, 3]), np.array([3, 0, 1]))
    assert label.tolist() == [0, 0, 2, 0, 4, 0]  # 5–3–1–0 is one component; 2 and 4 alone
    assert components(3, np.array([], dtype=np.int64), np.array([], dtype=np.int64)).tolist() == [0, 1, 2]


# --- the property: shuffling files and rows never changes a number or a list -------------------------------

IDS = ("code", "inn", "regnum")


@st.composite
def worlds(draw):
    n = draw(st.integers(1, 7))
    clients = [{"code": f"K{i}", "inn": f"77000000{i:02d}", "regnum": f"R{i}", "name": f"Клиент {i}"}
               for i in range(n)]
    subsets = st.sets(st.sampled_from(IDS), max_size=3)
    base = [(i, draw(subsets)) for i in range(n) if draw(st.booleans())]
    stats = [(i, draw(subsets), draw(st.lists(st.booleans(), min_size=3, max_size=3)))
             for i in range(n) if draw(st.booleans())]
    log = draw(st.lists(st.tuples(st.integers(0, n - 1), subsets, st.integers(0, 4)), max_size=12))
    # ITS contracts: (client, support kind?, its регномер shown as the main one or as an additional one, ИНН shown?)
    its = [(i, draw(st.booleans()), draw(st.booleans()), draw(st.booleans()))
           for i in range(n) if draw(st.booleans())] if draw(st.booleans()) else []
    if not stats and not log:
        log = [(0, {"inn"}, 0)]
    if not base and not stats:
        base = [(0, {"code"})]
    # the vendor cabinet's summary table as a file of its own: (its base, its active clients in the window)
    vendor = draw(st.none() | st.tuples(st.integers(1, 9), st.integers(0, 9)))
    return clients, base, stats, log, its, vendor


def _files(world, perm_rows):
    clients, base, stats, log, its, vendor = world

    def ident(i, ids, key):
        return clients[i][key] if key in ids else ""

    out = []
    if base:
        rows = [[ident(i, ids, "code"), clients[i]["name"], ident(i, ids, "inn"), ident(i, ids, "regnum"),
                 "Клиенты 1С"] for i, ids in base]
        out.append(base_parsed(perm_rows(rows), header=("Код клиента", "Клиент", "ИНН", "Регистрационный номер",
                                                        "Тип клиента")))
    if stats:
        rows = [[ident(i, ids, "code"), clients[i]["name"], ident(i, ids, "inn"), ident(i, ids, "regnum"),
                 *("Да" if f else "Нет" for f in flags)] for i, ids, flags in stats]
        out.append(stats_parsed(perm_rows(rows), header=(
            "Код клиента", "Клиент", "ИНН", "Регистрационный номер", "Коммуникации в отчетном месяце",
            "Коммуникации в -1 месяце", "Коммуникации в -2 месяце")))
    if log:
        months = ["15.11.2026", "15.10.2026", "15.09.2026", "15.08.2026", "15.07.2026"]
        rows = [[f"{months[m]} 10:00:00", clients[i]["name"], ident(i, ids, "inn"), ident(i, ids, "code"),
                 ident(i, ids, "regnum"), "Чат"] for i, ids, m in log]
        out.append(log_parsed(perm_rows(rows), header=("Дата и время", "Клиент", "ИНН", "Код клиента",
                                                       "Регистрационный номер", "Вид коммуникации")))
    if its:
        rows = [ItsRow(f"X{i}{k}" if extra else clients[i]["regnum"], clients[i]["name"],
                       clients[i]["inn"] if with_inn else None, "1С:КП ПРОФ" if support else "1СПАРК Риски",
                       date(2026, 1, 1), date(2026, 12, 31), extra_regnums=(clients[i]["regnum"],) if extra else ())
                for k, (i, support, extra, with_inn) in enumerate(its)]
        out.append(its_parsed(perm_rows(rows), report_date=date(2026, 11, 30)))
    if vendor:
        facts = VendorSummaryFacts(base=vendor[0], active_window=vendor[1])
        summary = read_export("vendor.csv", vendor_report([], facts, position="alone", fmt="csv"))
        assert summary.ok and summary.kind is Kind.VENDOR_SUMMARY, summary.report.error
        out.append(summary)
    return out


def _outcome(files):
    view = connect_view(files, NOV)
    silent = silent_clients(view.data, NOV)
    # every world client has its own name on every row: the silent list as a multiset of clients
    vendor = view.vendor_summary.to_json() if view.vendor_summary is not None else None
    return (view.summary.to_json(), view.log_clients_not_in_base, len(view.data.clients),
            Counter(silent["_client"]), Counter(w.code for w in view.warnings), vendor)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], phases=[Phase.generate])
@given(world=worlds(), data=st.data())
def test_shuffling_files_and_rows_changes_nothing(world, data):
    before = _outcome(_files(world, lambda rows: rows))
    shuffled = _files(world, lambda rows: data.draw(st.permutations(rows)))
    after = _outcome(data.draw(st.permutations(shuffled)))
    assert before == after


# --- the shortcut of the closure (rows with no repeated identifier skip it) equals the plain closure ----------

def _id_frame(rows):
    return pd.DataFrame({c: pd.Series([r[k] for r in rows], dtype="str")
                         for k, c in enumerate(("_code", "_inn", "_regnum", "_client"))})


_cell = st.one_of(st.none(), st.sampled_from(["A", "B", "C", "D"]), st.text("0123456789", min_size=1, max_size=3))
_id_rows = st.lists(st.tuples(_cell, _cell, _cell, st.one_of(st.none(), st.sampled_from(["x", "y", "X "]))),
                    max_size=30)


@settings(max_examples=120, deadline=None)
@given(known=_id_rows, log=_id_rows)
def test_assign_keys_shortcut_equals_the_plain_closure(known, log):
    from kpi.compute.connect import _assign_keys

    k, lg = _id_frame(known), _id_frame(log)
    fast_known, fast_log, _ = _assign_keys(k, lg)
    plain_known, plain_log, _ = _assign_keys(k, lg, shortcut=False)
    assert fast_known.tolist() == plain_known.tolist()
    assert fast_log.tolist() == plain_log.tolist()


def test_assign_keys_shortcut_on_a_large_export_with_a_few_repeats():
    from kpi.compute.connect import _assign_keys

    rng = np.random.default_rng(7)
    n = 20_000
    code = [f"K{i}" for i in range(n)]
    inn = [f"77{i:08d}" for i in range(n)]
    regnum = [None if i % 5 == 0 else f"R{i}" for i in range(n)]
    for i in rng.integers(0, n, 40):  # a few rows repeating another row's ИНН or рег. номер
        j = int(rng.integers(0, n))
        inn[i], regnum[j] = inn[j], regnum[int(i)]
    k = _id_frame(list(zip(code, inn, regnum, [None] * n, strict=True)))
    fast, _, _ = _assign_keys(k, pd.DataFrame())
    plain, _, _ = _assign_keys(k, pd.DataFrame(), shortcut=False)
    assert fast.tolist() == plain.tolist() and len(set(fast.tolist())) < n


@settings(max_examples=120, deadline=None)
@given(st.lists(st.integers(0, 60), max_size=80) | st.lists(st.integers(0, 10**12), max_size=20),
       st.none() | st.sets(st.integers(0, 79)))
def test_first_seen_equals_factorize(values, extra):
    """Also when the caller names the rows that may repeat: every repeated row plus any others."""
    from kpi.compute.connect import first_seen

    values = np.asarray(values, dtype=np.int64)
    codes, uniques = pd.factorize(values)
    candidates = None
    if extra is not None:
        repeated = set(np.flatnonzero(pd.Series(values).duplicated(keep=False).to_numpy()).tolist())
        candidates = np.array(sorted(repeated | {i for i in extra if i < len(values)}), dtype=np.int64)
    got_codes, firsts = first_seen(values, candidates)
    if got_codes is None:
        got_codes, firsts = np.arange(len(values)), np.arange(len(values))
    assert got_codes.tolist() == codes.tolist() and values[firsts].tolist() == uniques.tolist()
    assert (got_codes[firsts] == np.arange(len(firsts))).all()  # each first row is its code's first


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 5), st.booleans(), st.sampled_from([True, False, None])),
                max_size=60),
       st.sets(st.integers(0, 45)), st.sets(st.integers(-2, 8), min_size=1))  # (months beyond the activity too)
def test_activity_bitmap_count_equals_the_distinct_keys(rows, scope, months):
    from types import SimpleNamespace

    from kpi.compute.quarter import _Activity

    activity = pd.DataFrame({
        "key": pd.Series([r[0] for r in rows], dtype=np.int64),
        "month": pd.PeriodIndex.from_ordinals([670 + r[1] for r in rows], freq="M").array,
        "comm": pd.Series([r[2] for r in rows], dtype=bool),
        "auth": pd.Series([r[3] for r in rows], dtype="boolean")})
    act = _Activity(SimpleNamespace(activity=activity), pd.Index(sorted(scope), dtype=np.int64))
    ms = [pd.Period("2025-11", "M") + (670 + m - pd.Period("2025-11", "M").ordinal) for m in months]
    for what in ("comm", "auth"):
        plain = {r[0] for r in rows if r[0] in scope and r[1] in months and (r[2] if what == "comm" else r[3])}
        assert act.count(ms, what) == len(act.active(ms, what)) == len(plain)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a.csv", "b.csv"]), st.integers(0, 12),
                          st.sampled_from(["client_stats", "base_list", "its_contracts"])), max_size=40))
def test_merge_notes_only_looks_at_repeated_keys_and_equals_the_plain_rule(rows):
    from kpi.compute.connect import _merge_notes

    known = pd.DataFrame({"_file": [r[0] for r in rows], "_row": list(range(5, 5 + len(rows))),
                          "_src": [r[2] for r in rows]})
    key = np.asarray([r[1] for r in rows], dtype=np.int64)
    plain = []  # every non-ITS row after the first of its (file, key): merged into that first row
    groups: dict[tuple[str, int], list[int]] = {}
    for (f, k, src), row in zip(rows, known["_row"], strict=True):
        if src != "its_contracts":
            groups.setdefault((f, k), []).append(row)
    for rs in groups.values():
        plain += [(r, rs[0]) for r in rs[1:]]
    got = [(n.row, n.param["first_row"]) for n in _merge_notes(known, key)]
    assert sorted(got) == sorted(plain)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=4)), min_size=1, max_size=90), st.integers(1, 5), st.data())
def test_take_few_equals_iloc(cells, n_chunks, data):
    import pyarrow as pa

    from kpi.compute.connect import _take_few

    size = -(-len(cells) // n_chunks)
    chunked = pa.chunked_array([pa.array(cells[i:i + size], type=pa.large_string())
                                for i in range(0, len(cells), size)], type=pa.large_string())
    frame = pd.DataFrame({"t": pd.Series(pd.array(chunked, dtype="str")), "n": np.arange(len(cells))},
                         index=np.arange(len(cells)) * 3)
    rows = np.asarray(data.draw(st.lists(st.integers(0, len(cells) - 1), max_size=80)), dtype=np.int64)
    pd.testing.assert_frame_equal(_take_few(frame, rows), frame.iloc[rows])
    pd.testing.assert_series_equal(_take_few(frame["t"], rows), frame["t"].iloc[rows])


def test_last_communication_is_the_later_of_the_export_and_the_log():
    header = ("Код клиента", "Клиент", "ИНН", "Коммуникации в отчетном месяце", "Коммуникации в -1 месяце",
              "Коммуникации в -2 месяце", "Дата последней коммуникации")
    stats = stats_parsed([["K1", "Альфа", "7700000001", "Нет", "Да", "Нет", "01.10.2026 9:00:00"],
                          ["K2", "Бета", "7700000002", "Да", "Нет", "Нет", "03.11.2026 10:30:00"],
                          ["K3", "Гамма", "7700000003", "Нет", "Нет", "Нет", ""],
                          ["K4", "Дельта", "7700000004", "Нет", "Нет", "Нет", "02.11.2026 8:00:00"]], header=header)
    log = log_parsed([["05.11.2026 10:00:00", "Альфа", "7700000001", "", "Чат"],
                      ["01.11.2026 12:00:00", "Дельта", "7700000004", "", "Звонок"]])
    clients = build_connect([stats, log]).clients.set_index("_code")["_last_comm"]
    assert clients["K1"] == pd.Timestamp("2026-11-05 10:00")  # the log's is later
    assert clients["K2"] == pd.Timestamp("2026-11-03 10:30")  # only the export's
    assert pd.isna(clients["K3"])  # neither
    assert clients["K4"] == pd.Timestamp("2026-11-02 08:00")  # the export's is later
