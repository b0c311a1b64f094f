"""Columns worked on side by side give exactly what one thread gives (``kpi.threads``)."""

import threading
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi import threads
from kpi.compute.connect import build_connect
from kpi.read.recognise import read_export
from tests.helpers import FUZZ_SCALE, csv_bytes

PROPS = settings(max_examples=10 * FUZZ_SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.function_scoped_fixture])


@pytest.fixture
def always_threads(monkeypatch):
    """A pool for any size, two threads whatever the machine has."""
    monkeypatch.setattr(threads, "MIN_CELLS", 0)
    monkeypatch.setenv("KPI_THREADS", "2")


def test_results_keep_the_order_of_the_inputs_whichever_thread_ends_first(always_threads):
    seen: set[str] = set()

    def slow_first(i: int) -> int:
        seen.add(threading.current_thread().name)
        time.sleep(0.05 if i == 0 else 0.0)
        return i * i

    assert threads.per_column(slow_first, list(range(6)), cells=1) == [i * i for i in range(6)]
    assert any(name.startswith("kpi-column") for name in seen)  # the pool did run them


def test_small_work_and_one_thread_stay_on_the_calling_thread(monkeypatch):
    names: list[str] = []

    def record(_x: int) -> None:
        names.append(threading.current_thread().name)

    threads.per_column(record, [1, 2, 3], cells=threads.MIN_CELLS - 1)
    monkeypatch.setenv("KPI_THREADS", "1")
    threads.per_column(record, [1, 2, 3], cells=10 * threads.MIN_CELLS)
    assert set(names) == {threading.current_thread().name}


def test_an_error_in_a_column_is_raised_as_the_serial_loop_raises_it(always_threads):
    def fail_on_odd(i: int) -> int:
        if i % 2:
            raise ValueError(i)
        return i

    with pytest.raises(ValueError, match=r"^1$"):
        threads.per_column(fail_on_odd, [0, 1, 2, 3], cells=1)


def test_threads_setting(monkeypatch):
    monkeypatch.setenv("KPI_THREADS", "3")
    assert threads.workers() == 3
    monkeypatch.setenv("KPI_THREADS", "нет")
    assert threads.workers() >= 1


_HEADER = ["Код клиента", "Клиент", "ИНН", "Тип клиента", "Коммуникации в отчетном месяце",
           "Коммуникации в -1 месяце", "Коммуникации в -2 месяце", "Авторизация в отчетном месяце",
           "Дата последней коммуникации", "Дата последней авторизации", "Телефон"]
_rows = st.lists(st.tuples(
    st.sampled_from(["К-1", "К-2", "К-3", "", "К-4"]),  # codes repeat: merged rows, shared identity
    st.sampled_from(["ООО Альфа", " ИП Бета ", "", "АО Гамма"]),
    st.sampled_from(["7700000001", "7700000002", "", "100200300", "7700000001 "]),
    st.sampled_from(["Клиенты 1С", "Прочие клиенты", ""]),
    st.sampled_from(["Да", "Нет", "", "может быть"]),
    st.sampled_from(["Да", "Нет", ""]),
    st.sampled_from(["Да", "нет", "1"]),
    st.sampled_from(["Да", "Нет", "?"]),
    st.sampled_from(["05.11.2026 10:00:00", "", "31.02.2026", " 01.10.2026 9:15", "2026-10-03T10:00:00+03:00"]),
    st.sampled_from(["5.11.2026 10:00", "", "нет данных", "45000", "01.09.2026"]),
    st.sampled_from(["+7 495 000-00-00", "", "nan"]),
), min_size=1, max_size=40)


def _read_and_join(rows):
    parsed = read_export("stats.csv", csv_bytes([_HEADER, *[list(r) for r in rows]],
                                                title=["Период: Ноябрь 2026 г."]))
    if not parsed.ok:
        return parsed.report.error.problem.code, None, None
    data = build_connect([parsed])
    notes = [(n.code, n.row, n.column) for n in parsed.report.notes]
    return notes, parsed.table, data


@PROPS
@given(_rows)
def test_reading_and_joining_on_threads_equal_one_thread(monkeypatch, rows):
    monkeypatch.setenv("KPI_THREADS", "1")
    serial_notes, serial_table, serial_data = _read_and_join(rows)
    monkeypatch.setattr(threads, "MIN_CELLS", 0)
    monkeypatch.setenv("KPI_THREADS", "2")
    notes, table, data = _read_and_join(rows)
    assert notes == serial_notes
    if table is None:
        return
    pd.testing.assert_frame_equal(table, serial_table)
    pd.testing.assert_frame_equal(data.clients, serial_data.clients)
    pd.testing.assert_frame_equal(data.activity, serial_data.activity)
    assert [(n.code, n.row) for n in data.notes] == [(n.code, n.row) for n in serial_data.notes]
    assert np.array_equal(data.clients.index.to_numpy(), serial_data.clients.index.to_numpy())
