"""The committed sample exports say what they should, recounted from the files with plain pandas.

Nothing here trusts the generator's own numbers: the files are read as a person's spreadsheet tool
would read them and the facts (ИНН checksums, flags against the log, the planted duplicate, the
1С-Бухфон shares) are recomputed independently.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sample_data.make_samples import build_world, log_table, write_log_csv  # noqa: E402

CONNECT_XLSX = SAMPLE / "connect_clients_2026-11.xlsx"
LOG_CSV = SAMPLE / "connect_log_2026-Q4.csv"
BASE_CSV = SAMPLE / "clients_its.csv"
BUHFON_XLSX = SAMPLE / "buhfon_2026-11.xlsx"

CONNECT_HEADER = [
    "Клиент", "ИНН", "Регистрационный номер", "Код клиента", "Тип клиента", "Ответственный",
    "Коммуникации в отчетном месяце", "Коммуникации в -1 месяце", "Коммуникации в -2 месяце",
    "Авторизация в отчетном месяце", "Авторизация в -1 месяце", "Авторизация в -2 месяце",
    "Дата последней коммуникации", "Дата последней авторизации", "Телефон", "Email",
]
BUHFON_HEADER = ["Дата", "Пользователь", "Организация", "ИНН", "Пользователь 1С", "Категория Пользователя",
                 "Дата последней авторизации", "Авторизация в отчетный период", "Телефон", "Email"]
DATE_FORMAT = "%d.%m.%Y %H:%M:%S"


def inn_is_valid(inn: str) -> bool:
    """ФНС checksum of a 10-digit (organisation) or 12-digit (ИП) ИНН, written out plainly."""
    if not inn.isdigit() or len(inn) not in (10, 12):
        return False
    d = [int(ch) for ch in inn]

    def check(weights: list[int], digits: list[int]) -> int:
        return sum(w * x for w, x in zip(weights, digits, strict=True)) % 11 % 10

    if len(d) == 10:
        return check([2, 4, 10, 3, 5, 9, 4, 6, 8], d[:9]) == d[9]
    return (check([7, 2, 4, 10, 3, 5, 9, 4, 6, 8], d[:10]) == d[10]
            and check([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8], d[:11]) == d[11])


@pytest.fixture(scope="module")
def connect() -> pd.DataFrame:
    frame = pd.read_excel(CONNECT_XLSX, sheet_name="Отчет", header=4, dtype=str, engine="calamine")
    return frame.fillna("")


@pytest.fixture(scope="module")
def connect_rows(connect: pd.DataFrame) -> pd.DataFrame:
    return connect[connect["Клиент"] != "Итого"].reset_index(drop=True)


@pytest.fixture(scope="module")
def log() -> pd.DataFrame:
    frame = pd.read_csv(LOG_CSV, sep=";", encoding="utf-8-sig", dtype=str)
    frame["time"] = pd.to_datetime(frame["Дата и время"], format=DATE_FORMAT)
    return frame


@pytest.fixture(scope="module")
def base() -> pd.DataFrame:
    return pd.read_csv(BASE_CSV, sep=";", encoding="cp1251", skiprows=2, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def buhfon() -> pd.DataFrame:
    frame = pd.read_excel(BUHFON_XLSX, sheet_name="Лист1", header=3, dtype=str, engine="calamine")
    return frame.fillna("")


def test_layout_of_the_exports() -> None:
    ws = openpyxl.load_workbook(CONNECT_XLSX, read_only=True)["Отчет"]
    rows = [[c for c in r] for r in ws.iter_rows(values_only=True)]
    assert rows[0][0] == "Статистика использования 1С-Коннект (по клиентам)"
    assert rows[1][0] == "Период: Ноябрь 2026 г."
    assert rows[2][0] == "Тип клиентов: Все клиенты"
    assert all(v is None for v in rows[3])
    assert list(rows[4]) == CONNECT_HEADER
    assert rows[-1][0] == "Итого"

    ws = openpyxl.load_workbook(BUHFON_XLSX, read_only=True)["Лист1"]
    rows = [list(r) for r in ws.iter_rows(max_row=4, values_only=True)]
    assert rows[0][0] == "Статистика подключения пользователей"
    assert rows[1][0] == "Период: 01.11.2026 - 20.11.2026"
    assert list(rows[3]) == BUHFON_HEADER

    raw = BASE_CSV.read_bytes()
    assert raw.startswith("Клиенты ИТС по состоянию на 01.10.2026\r\n\r\nКод клиента;Клиент;ИНН;".encode("cp1251"))
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert LOG_CSV.read_bytes().startswith(b"\xef\xbb\xbf" + "Дата и время;Клиент;ИНН;Код клиента;".encode())


def test_identifiers_are_valid_text(base: pd.DataFrame, connect_rows: pd.DataFrame) -> None:
    assert base["ИНН"].map(inn_is_valid).all()
    is_ip = base["Клиент"].str.startswith("ИП ")
    assert (base.loc[is_ip, "ИНН"].str.len() == 12).all()
    assert (base.loc[~is_ip, "ИНН"].str.len() == 10).all()
    assert base["ИНН"].is_unique and base["Код клиента"].is_unique and base["Клиент"].is_unique
    assert base["Регистрационный номер"].str.fullmatch(r"\d{9}").all()
    assert base["Код клиента"].str.fullmatch(r"К-\d{6}").all()
    # Leading zeros survive: the xlsx keeps ИНН and registration numbers as text cells.
    assert base["ИНН"].str.startswith("0").any()
    assert connect_rows["ИНН"].map(inn_is_valid).all()
    ws = openpyxl.load_workbook(CONNECT_XLSX, read_only=True)["Отчет"]
    for row in ws.iter_rows(min_row=6, max_col=3):
        if row[0].value != "Итого":
            assert row[1].data_type == "s" and row[2].data_type == "s"


def test_flags_agree_with_the_log(connect_rows: pd.DataFrame, log: pd.DataFrame) -> None:
    assert set(log["Код клиента"]) <= set(connect_rows["Код клиента"])
    assert log["time"].is_monotonic_increasing
    assert log["time"].min() >= pd.Timestamp("2026-09-01") and log["time"].max() < pd.Timestamp("2026-11-20 18:00")
    months = {"Коммуникации в отчетном месяце": 11, "Коммуникации в -1 месяце": 10, "Коммуникации в -2 месяце": 9}
    # A client listed twice counts once: «Да» in either of its rows wins.
    flags = connect_rows.groupby("Код клиента")[list(months)].agg(lambda s: (s == "Да").any())
    for column, month in months.items():
        talked = set(log.loc[log["time"].dt.month == month, "Код клиента"])
        assert set(flags.index[flags[column]]) == talked, column
    # Communicating in a month means being authorised in it.
    for comm, auth in [("Коммуникации в отчетном месяце", "Авторизация в отчетном месяце"),
                       ("Коммуникации в -1 месяце", "Авторизация в -1 месяце"),
                       ("Коммуникации в -2 месяце", "Авторизация в -2 месяце")]:
        assert not ((connect_rows[comm] == "Да") & (connect_rows[auth] == "Нет")).any()
    last = pd.to_datetime(connect_rows["Дата последней коммуникации"].replace("", None), format=DATE_FORMAT)
    latest_per_code = last.groupby(connect_rows["Код клиента"]).max().dropna()
    assert latest_per_code.to_dict() == log.groupby("Код клиента")["time"].max().to_dict()


def test_one_planted_duplicate(connect_rows: pd.DataFrame, base: pd.DataFrame) -> None:
    counts = connect_rows["Код клиента"].value_counts()
    assert (counts > 1).sum() == 1 and counts.max() == 2
    code = counts.index[0]
    twice = connect_rows[connect_rows["Код клиента"] == code]
    assert twice.index[1] == twice.index[0] + 1  # adjacent, stale row first
    assert twice["ИНН"].nunique() == 1 and twice["Тип клиента"].iloc[0] == "Клиенты 1С"
    assert list(twice["Коммуникации в отчетном месяце"]) == ["Нет", "Да"]
    assert base["Код клиента"].is_unique
    assert set(base["Код клиента"]) == set(connect_rows["Код клиента"])
    assert len(base) == len(connect_rows) - 1


def test_totals_row(connect: pd.DataFrame, connect_rows: pd.DataFrame) -> None:
    total = connect[connect["Клиент"] == "Итого"]
    assert len(total) == 1
    for column in CONNECT_HEADER[6:12]:
        assert int(float(total[column].iloc[0])) == (connect_rows[column] == "Да").sum()


def test_quarter_story(base: pd.DataFrame, log: pd.DataFrame) -> None:
    ones = set(base.loc[base["Тип клиента"] == "Клиенты 1С", "Код клиента"])
    assert 0.84 <= len(ones) / len(base) <= 0.92

    def share(months: set[int]) -> float:
        talked = set(log.loc[log["time"].dt.month.isin(months), "Код клиента"])
        return len(talked & ones) / len(ones)

    assert 0.30 <= share({10, 11}) < 0.40  # month 2 of Q4: the 40 % milestone is not met
    assert 0.20 <= share({9}) <= 0.30
    assert set(log["Вид коммуникации"]) == {"Чат", "Звонок", "Удаленное подключение"}
    assert log["Специалист"].nunique() == 5
    assert base["Ответственный"].nunique() == 4


def test_buhfon_users(buhfon: pd.DataFrame, base: pd.DataFrame) -> None:
    assert 380 <= len(buhfon) <= 460
    names = dict(zip(base["Клиент"], base["ИНН"], strict=True))
    assert buhfon["Организация"].map(names).eq(buhfon["ИНН"]).all()
    assert buhfon.groupby("Организация").size().max() <= 3
    assert set(buhfon["Пользователь 1С"]) == {"Да", "Нет"}
    assert set(buhfon["Категория Пользователя"]) <= {
        "Пакет от 6 до 10 пользователей", "Пакет от 11 до 20 пользователей", "Пользователь без услуг",
        "Первый платный", "Второй платный", "Третий платный"}
    assert buhfon["Дата"].str.fullmatch(r"(20\d\d)?").all()
    assert buhfon["Email"].map(str.isascii).all()
    assert buhfon["Телефон"].str.fullmatch(r"(\+7 \(\d{3}\) \d{3}-\d\d-\d\d)?").all()
    no = buhfon["Авторизация в отчетный период"] == "Нет"
    assert 0.28 <= no.mean() <= 0.42
    never = buhfon["Дата последней авторизации"] == ""
    assert not (never & ~no).any()
    assert 0.12 <= never[no].mean() <= 0.38
    last = pd.to_datetime(buhfon["Дата последней авторизации"].replace("", None), format=DATE_FORMAT)
    period = (last >= pd.Timestamp("2026-11-01")) & (last < pd.Timestamp("2026-11-21"))
    assert period[~no].all()
    assert not period[no & ~never].any()


def test_build_world_is_deterministic() -> None:
    a, b = build_world(200, seed=1), build_world(200, seed=1)
    for name in ("clients", "log", "buhfon"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert a.duplicate == b.duplicate
    c = build_world(200, seed=2)
    assert not np.array_equal(a.clients["inn"].to_numpy(), c.clients["inn"].to_numpy())
    assert len(build_world(200, seed=1, log_rows_per_client=10).log) == 2000


def test_fast_log_writer_matches_pandas(tmp_path: Path) -> None:
    world = build_world(150, seed=3, log_rows_per_client=4)
    path = tmp_path / "log.csv"
    write_log_csv(world, path, encoding="cp1251", lineterminator="\r\n")
    expected = log_table(world).to_csv(sep=";", index=False, lineterminator="\r\n")
    assert path.read_bytes() == expected.encode("cp1251")


def test_bench_generate_tiny(tmp_path: Path) -> None:
    out = tmp_path / "data"
    cmd = [sys.executable, str(ROOT / "bench" / "generate.py"), "--sizes", "200", "--out", str(out)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=60)
    names = {p.name for p in out.iterdir()}
    assert names == {"connect_clients_200.xlsx", "connect_clients_200.csv", "connect_log_200.csv",
                     "buhfon_200.xlsx", "buhfon_200.csv"}
    clients = pd.read_csv(out / "connect_clients_200.csv", sep=";", encoding="cp1251", skiprows=4, dtype=str)
    assert clients["Клиент"].iloc[-1] == "Итого"
    assert len(clients) == 200 + 1 + 1  # clients, the planted duplicate, «Итого»
    log = pd.read_csv(out / "connect_log_200.csv", sep=";", encoding="cp1251", dtype=str)
    assert len(log) == 2000
    # A second run keeps what exists (in-process, to stay quick).
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.generate([200], out) == []
