"""The month history file: round trip, upsert, survival across connections, and the failures a user
can meet (damaged, locked, not writable) as Russian messages naming the file. Only ``tmp_path``."""

from __future__ import annotations

import os
import sqlite3
import sys
import time
import typing
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from kpi.write import history
from kpi.write.history import (
    COLUMNS,
    HistoryError,
    MonthRecord,
    change_since_last,
    default_db_path,
    load_history,
    save_month,
)

OCT = MonthRecord(month="2026-10", client_type="1c", base=300, active_window=150, active_qtd=70,
                  authorized_window=120, active_qtd_pct=23.33, milestone_pct=20.0, milestone_met=True,
                  saved_at="2026-11-02T10:00:00+03:00")
NOV = MonthRecord(month="2026-11", client_type="1c", base=310, active_window=170, active_qtd=110,
                  authorized_window=None, active_qtd_pct=35.48, milestone_pct=40.0, milestone_met=False,
                  saved_at="2026-11-23T18:00:00+03:00")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "sub" / "history.sqlite3"


def test_round_trip(db: Path) -> None:
    save_month(db, NOV)
    save_month(db, OCT)
    df = load_history(db)
    assert list(df.columns) == list(COLUMNS)
    assert list(df["month"]) == ["2026-10", "2026-11"]  # sorted by month, not by save order
    oct_row = df.iloc[0].to_dict()
    assert oct_row["base"] == 300 and oct_row["active_qtd"] == 70 and oct_row["authorized_window"] == 120
    assert bool(oct_row["milestone_met"]) is True
    assert oct_row["active_qtd_pct"] == pytest.approx(23.33)
    assert oct_row["saved_at"] == "2026-11-02T10:00:00+03:00"
    assert df["authorized_window"].isna().tolist() == [False, True]
    assert str(df["authorized_window"].dtype) == "Int64" and df["milestone_met"].dtype == bool


def test_upsert_replaces_the_same_month_and_type(db: Path) -> None:
    save_month(db, NOV)
    save_month(db, replace(NOV, active_qtd=120, active_qtd_pct=38.71, saved_at="2026-11-24T09:00:00+03:00"))
    save_month(db, replace(NOV, client_type="all", base=400))
    df = load_history(db)
    assert len(df) == 2
    one_c = df[df["client_type"] == "1c"].iloc[0]
    assert one_c["active_qtd"] == 120 and one_c["saved_at"] == "2026-11-24T09:00:00+03:00"
    assert list(df["client_type"]) == ["1c", "all"]


def test_survives_a_restart(db: Path) -> None:
    save_month(db, OCT)
    # A new process would open a new connection: do the same and read the raw table.
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT month, client_type, base FROM month_kpi").fetchall()
    con.close()
    assert rows == [("2026-10", "1c", 300)]
    assert load_history(db).iloc[0]["base"] == 300


def test_reading_never_creates_the_file(db: Path) -> None:
    df = load_history(db)
    assert df.empty and list(df.columns) == list(COLUMNS)
    assert change_since_last(db, NOV) is None
    assert not db.exists() and not db.parent.exists()


def test_saved_at_defaults_to_now_with_offset(db: Path) -> None:
    rec = MonthRecord("2026-11", "1c", 300, 150, 100, None, 33.33, 40.0, False)
    assert "T" in rec.saved_at and ("+" in rec.saved_at or "-" in rec.saved_at[10:])
    save_month(db, rec)
    assert load_history(db).iloc[0]["saved_at"] == rec.saved_at


def test_numpy_values_from_pandas_are_accepted(db: Path) -> None:
    rec = replace(NOV, base=np.int64(310), active_qtd=np.int64(110), active_qtd_pct=np.float64(35.48),
                  milestone_met=np.bool_(False))
    save_month(db, rec)
    assert load_history(db).iloc[0]["base"] == 310


def test_change_since_last_compares_with_the_previous_month(db: Path) -> None:
    save_month(db, OCT)
    save_month(db, replace(OCT, client_type="all", base=999))  # another scope is not compared
    change = change_since_last(db, NOV)
    assert change == {
        "previous_month": "2026-10", "previous_saved_at": "2026-11-02T10:00:00+03:00", "same_quarter": True,
        "base": 10, "active_window": 20, "active_qtd": 40, "authorized_window": None,
        "active_qtd_pct": 12.2, "previous_milestone_met": True,
    }
    # Saving November first does not change the answer: the same month is never the reference.
    save_month(db, NOV)
    assert change_since_last(db, replace(NOV, active_qtd=111)) == {**change, "active_qtd": 41}
    assert change_since_last(db, OCT) is None  # nothing earlier


def test_change_across_a_quarter_boundary(db: Path) -> None:
    save_month(db, replace(NOV, month="2026-12", active_qtd=190, milestone_met=True))
    jan = replace(NOV, month="2027-01", active_qtd=60)
    change = change_since_last(db, jan)
    assert change is not None and change["same_quarter"] is False and change["active_qtd"] == -130


def test_no_column_can_hold_a_name(db: Path) -> None:
    save_month(db, OCT)
    with sqlite3.connect(db) as con:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        cols = [r[1] for r in con.execute("PRAGMA table_info(month_kpi)")]
        types = {r[1]: r[2] for r in con.execute("PRAGMA table_info(month_kpi)")}
    con.close()
    assert tables == ["month_kpi"]
    assert tuple(cols) == COLUMNS
    # Text columns are the month, the scope and the timestamp only; everything else is a number.
    assert {c for c, t in types.items() if t == "TEXT"} == {"month", "client_type", "saved_at"}
    banned = ("name", "назв", "наимен", "inn", "инн", "contact", "контакт", "phone", "email", "client_id")
    assert not [c for c in cols if any(b in c.lower() for b in banned)]
    # The one free-text column refuses anything but a known scope, so a client's name cannot get in.
    with pytest.raises(ValueError, match="client_type"):
        save_month(db, replace(OCT, client_type="ООО Ромашка"))


def test_client_types_mirror_the_quarter_module() -> None:
    from kpi.compute.quarter import ClientType

    assert set(history.CLIENT_TYPES) == set(typing.get_args(ClientType))


@pytest.mark.parametrize(("field", "value"), [
    ("month", "2026-13"), ("month", "11.2026"), ("base", -1), ("active_qtd", 1.5), ("active_window", True),
    ("active_qtd_pct", float("nan")), ("milestone_met", 1), ("saved_at", ""),
])
def test_bad_records_are_refused(db: Path, field: str, value: object) -> None:
    with pytest.raises(ValueError, match=field):
        save_month(db, replace(OCT, **{field: value}))
    assert not db.exists()


def test_damaged_file(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(os.urandom(4096))
    for call in (lambda: load_history(db), lambda: save_month(db, OCT), lambda: change_since_last(db, NOV)):
        with pytest.raises(HistoryError) as err:
            call()
        assert err.value.code == "history-damaged" and err.value.file == str(db)
        assert str(db) in str(err.value)


def test_foreign_sqlite_table_is_damaged_not_misread(db: Path) -> None:
    db.parent.mkdir(parents=True)
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE month_kpi (month TEXT, client_name TEXT)")
    con.close()
    with pytest.raises(HistoryError) as err:
        load_history(db)
    assert err.value.code == "history-foreign-table" and "client_name" in err.value.problem.param["columns"]


def test_file_from_a_newer_version_is_refused(db: Path) -> None:
    save_month(db, OCT)
    with sqlite3.connect(db) as con:
        con.execute("PRAGMA user_version = 99")
    con.close()
    with pytest.raises(HistoryError) as err:
        load_history(db)
    assert err.value.code == "history-newer" and str(db) in str(err.value)


def test_locked_file_fails_fast(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history, "LOCK_TIMEOUT_S", 0.5)  # (the wait itself is what is checked, not its length)
    save_month(db, OCT)
    other = sqlite3.connect(db, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        for call in (lambda: save_month(db, NOV), lambda: load_history(db)):
            started = time.monotonic()
            with pytest.raises(HistoryError) as err:
                call()
            elapsed = time.monotonic() - started
            assert err.value.code == "history-locked" and str(db) in str(err.value)
            assert 0.4 <= elapsed < 3.0  # waited for the busy timeout, did not hang
    finally:
        other.execute("ROLLBACK")
        other.close()
    save_month(db, NOV)  # once released, it works and nothing half-written is left
    assert list(load_history(db)["month"]) == ["2026-10", "2026-11"]


def test_folder_that_cannot_be_created_is_not_writable(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    path = blocker / "history.sqlite3"
    with pytest.raises(HistoryError) as err:
        save_month(path, OCT)
    assert err.value.code == "history-unwritable"
    assert str(path) in str(err.value) and "недоступен для записи" in str(err.value)


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="permissions do not bind root")
def test_read_only_file_is_not_writable(db: Path) -> None:
    save_month(db, OCT)
    db.chmod(0o444)
    db.parent.chmod(0o555)
    try:
        with pytest.raises(HistoryError) as err:
            save_month(db, NOV)
        assert err.value.code == "history-unwritable"
    finally:
        db.parent.chmod(0o755)
        db.chmod(0o644)


@pytest.mark.parametrize(("sqlite_message", "kind"), [
    ("attempt to write a readonly database", "history-unwritable"),
    ("unable to open database file", "history-unwritable"),
    ("database is locked", "history-locked"),
    ("file is not a database", "history-damaged"),
])
def test_sqlite_errors_are_sorted_into_kinds(tmp_path: Path, sqlite_message: str, kind: str) -> None:
    # Root ignores file permissions, so the read-only case is checked on the translation itself too.
    err = history._translate(tmp_path / "h.sqlite3", sqlite3.OperationalError(sqlite_message))
    assert err.code == kind and err.file == str(tmp_path / "h.sqlite3") and str(tmp_path / "h.sqlite3") in str(err)


def test_default_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KPI_HISTORY_DB", str(tmp_path / "x.sqlite3"))
    assert default_db_path() == tmp_path / "x.sqlite3"
    monkeypatch.delenv("KPI_HISTORY_DB")
    if sys.platform == "win32":
        monkeypatch.setenv("APPDATA", str(tmp_path))
        assert default_db_path() == tmp_path / "kpi-1c" / "history.sqlite3"
    elif sys.platform != "darwin":
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
        monkeypatch.setenv("HOME", str(tmp_path))
        assert default_db_path() == tmp_path / ".local" / "share" / "kpi-1c" / "history.sqlite3"
    assert not default_db_path().exists()  # computing the path creates nothing


def test_default_path_on_windows(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KPI_HISTORY_DB", raising=False)
    monkeypatch.setattr(history.sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    assert default_db_path() == tmp_path / "Roaming" / "kpi-1c" / "history.sqlite3"
