"""Month figures kept on request, so the next month can say what changed: an embedded SQLite file.

Only figures are stored — counts, percentages, the month and the client scope ("1c"/"all") — never a
client's name, ИНН, contact or any other row of an export: the file sits in the user's profile, gets
copied with it and is not covered by whatever protects the exports themselves. The table has exactly
the columns of ``MonthRecord`` and ``save_month`` refuses a client type outside ``CLIENT_TYPES``, so a
name cannot slip in through the one free-text column.

SQLite because it is in the standard library, survives a crash mid-write (rollback journal) and is a
single file the user can delete. Each call opens and closes its own connection: Streamlit runs scripts
in threads, and a connection held open would keep the file locked against a second browser tab.

Every failure a person can fix is a ``HistoryError`` carrying a typed problem (``kpi.errors``: codes
``history-damaged``, ``history-foreign-table``, ``history-locked``, ``history-unwritable``, ``history-newer``)
located at the file: damaged (not an SQLite file, or not ours), locked by another program (the 2-second busy
timeout ends the wait instead of hanging the page), not writable, or written by a newer version. Programming
errors (a malformed record) stay ``ValueError``.
"""

from __future__ import annotations

import math
import numbers
import os
import re
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from kpi import errors as E
from kpi.errors import ProblemError

#: Environment variable that points the history at another file (a shared folder, a test).
ENV_VAR = "KPI_HISTORY_DB"
APP_DIR = "kpi-1c"
FILE_NAME = "history.sqlite3"

#: Client scopes the history accepts; mirrors ``kpi.compute.quarter.ClientType`` (a test keeps them in step).
CLIENT_TYPES = ("1c", "all")

#: Seconds to wait for another program's lock before giving up with a message.
LOCK_TIMEOUT_S = 2.0

#: Bumped when the table changes; a file from a newer version is refused rather than misread.
SCHEMA_VERSION = 1

_TABLE = "month_kpi"
_MONTH_RE = re.compile(r"\d{4}-(0[1-9]|1[0-2])")

def _now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass
class MonthRecord:
    """One month's figures for one client scope, as saved; no client-level data by design."""

    #: Reporting month, ``"2026-11"``.
    month: str
    #: Client scope: ``"1c"`` (the KPI's scope) or ``"all"``.
    client_type: str
    base: int
    #: Clients with a communication in the vendor report's rolling window M−2..M.
    active_window: int
    #: Clients with a communication in the quarter up to this month (what the milestone is judged on).
    active_qtd: int
    authorized_window: int | None
    active_qtd_pct: float
    milestone_pct: float
    milestone_met: bool
    #: When the record was saved, ISO 8601 with the UTC offset; defaults to now.
    saved_at: str = field(default_factory=_now_iso)


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(MonthRecord))

_DTYPES: dict[str, str] = {
    "month": "str", "client_type": "str", "base": "int64", "active_window": "int64", "active_qtd": "int64",
    "authorized_window": "Int64", "active_qtd_pct": "float64", "milestone_pct": "float64",
    "milestone_met": "bool", "saved_at": "str",
}

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {_TABLE} (
    month             TEXT    NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'),
    client_type       TEXT    NOT NULL,
    base              INTEGER NOT NULL CHECK (base >= 0),
    active_window     INTEGER NOT NULL CHECK (active_window >= 0),
    active_qtd        INTEGER NOT NULL CHECK (active_qtd >= 0),
    authorized_window INTEGER CHECK (authorized_window >= 0),
    active_qtd_pct    REAL    NOT NULL,
    milestone_pct     REAL    NOT NULL,
    milestone_met     INTEGER NOT NULL CHECK (milestone_met IN (0, 1)),
    saved_at          TEXT    NOT NULL,
    PRIMARY KEY (month, client_type)
)
"""


class HistoryError(ProblemError):
    """The history file cannot be used; ``problem`` says why (a ``history-…`` code) and names the file."""


def _fail(code: str, path: Path, **params: object) -> HistoryError:
    return HistoryError(E.make(code, str(path), **params))


def default_db_path() -> Path:
    """Where the history lives: ``$KPI_HISTORY_DB`` if set, else the user's data folder.

    Linux: ``$XDG_DATA_HOME`` or ``~/.local/share``; Windows: ``%APPDATA%``; macOS: ``~/Library/Application
    Support``; each with ``kpi-1c/history.sqlite3``. Nothing is created here.
    """
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32":
        appdata = os.environ.get("APPDATA", "").strip()
        root = Path(appdata) if appdata else Path.home() / "AppData" / "Roaming"
    elif sys.platform == "darwin":
        root = Path.home() / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_DATA_HOME", "").strip()
        root = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return root / APP_DIR / FILE_NAME


def save_month(db_path: Path, record: MonthRecord) -> None:
    """Save ``record``, replacing an earlier save of the same month and client type.

    Creates the folder and the file on first use.
    """
    row = _row(record)
    path = Path(db_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise _fail("history-unwritable", path, detail=e.strerror or str(e), env=ENV_VAR) from e
    cols = ", ".join(COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[2:])
    with _connect(path) as con:
        # IMMEDIATE takes the write lock up front, so a locked file fails here within the timeout.
        con.execute("BEGIN IMMEDIATE")
        try:
            _ensure_schema(con, path)
            con.execute(
                f"INSERT INTO {_TABLE} ({cols}) VALUES ({', '.join('?' * len(COLUMNS))}) "
                f"ON CONFLICT (month, client_type) DO UPDATE SET {updates}",
                row,
            )
            con.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                with suppress(sqlite3.Error):  # keep the original error, not a failed rollback's
                    con.execute("ROLLBACK")
            raise


def load_history(db_path: Path) -> pd.DataFrame:
    """All saved records, sorted by month then client type; an empty frame when nothing is saved.

    Reading never creates the file: a user who only looks leaves no trace.
    """
    path = Path(db_path)
    if not path.exists():
        return _empty()
    with _connect(path) as con:
        if not _has_table(con, path):
            return _empty()
        rows = con.execute(
            f"SELECT {', '.join(COLUMNS)} FROM {_TABLE} ORDER BY month, client_type"
        ).fetchall()
    if not rows:
        return _empty()
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    df["milestone_met"] = df["milestone_met"].astype(bool)
    return df.astype(_DTYPES)


def change_since_last(db_path: Path, record: MonthRecord) -> dict[str, object] | None:
    """What changed since the latest saved *earlier* month of the same client type; None if none.

    Compared with an earlier month, not with an earlier save of the same month: saves are upserts, so
    the earlier save of this month is gone once this one is saved, and the answer would depend on
    whether the caller asked before or after saving. Against the previous month it does not.

    Differences are ``record − previous``: ``base``, ``active_window``, ``active_qtd`` (ints),
    ``authorized_window`` (None if either is unknown) and ``active_qtd_pct`` in percentage points
    (1 decimal). ``same_quarter`` is False across a quarter boundary, where ``active_qtd`` restarts
    from zero and a drop is expected, not a problem; the UI should say so. Also ``previous_month``,
    ``previous_saved_at`` and ``previous_milestone_met``.
    """
    _row(record)
    path = Path(db_path)
    if not path.exists():
        return None
    with _connect(path) as con:
        if not _has_table(con, path):
            return None
        prev = con.execute(
            f"SELECT {', '.join(COLUMNS)} FROM {_TABLE} WHERE client_type = ? AND month < ? "
            "ORDER BY month DESC LIMIT 1",
            (record.client_type, record.month),
        ).fetchone()
    if prev is None:
        return None
    p = dict(zip(COLUMNS, prev, strict=True))
    auth = (None if record.authorized_window is None or p["authorized_window"] is None
            else record.authorized_window - p["authorized_window"])
    return {
        "previous_month": p["month"],
        "previous_saved_at": p["saved_at"],
        "same_quarter": pd.Period(p["month"], freq="M").asfreq("Q") == pd.Period(record.month, freq="M").asfreq("Q"),
        "base": record.base - p["base"],
        "active_window": record.active_window - p["active_window"],
        "active_qtd": record.active_qtd - p["active_qtd"],
        "authorized_window": auth,
        "active_qtd_pct": _pp_diff(record.active_qtd_pct, p["active_qtd_pct"]),
        "previous_milestone_met": bool(p["milestone_met"]),
    }


def _pp_diff(now: float, before: float) -> float:
    """Difference in percentage points, half up to 1 decimal on the decimal values as printed:
    35.48 − 23.33 is 12.15 and shows as 12.2, not the float 12.149999… shown as 12.1."""
    diff = Decimal(repr(float(now))) - Decimal(repr(float(before)))
    return float(diff.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _DTYPES.items()})


def _row(r: MonthRecord) -> tuple[object, ...]:
    """The record checked and as plain Python values (numpy ints from pandas cannot be bound)."""
    if not isinstance(r.month, str) or not _MONTH_RE.fullmatch(r.month):
        raise ValueError(f"month must look like '2026-11', got {r.month!r}")
    if r.client_type not in CLIENT_TYPES:
        raise ValueError(f"client_type must be one of {CLIENT_TYPES}, got {r.client_type!r}")
    counts: list[int | None] = []
    for name in ("base", "active_window", "active_qtd", "authorized_window"):
        v = getattr(r, name)
        if v is None and name == "authorized_window":
            counts.append(None)
            continue
        if isinstance(v, bool | np.bool_) or not isinstance(v, numbers.Integral) or v < 0:
            raise ValueError(f"{name} must be a non-negative int, got {v!r}")
        counts.append(int(v))
    pcts: list[float] = []
    for name in ("active_qtd_pct", "milestone_pct"):
        v = getattr(r, name)
        if isinstance(v, bool | np.bool_) or not isinstance(v, numbers.Real) or not math.isfinite(v):
            raise ValueError(f"{name} must be a finite number, got {v!r}")
        pcts.append(float(v))
    if not isinstance(r.milestone_met, bool | np.bool_):
        raise ValueError(f"milestone_met must be a bool, got {r.milestone_met!r}")
    if not isinstance(r.saved_at, str) or not r.saved_at:
        raise ValueError("saved_at must be a non-empty ISO date-time string")
    return (r.month, r.client_type, *counts, *pcts, int(bool(r.milestone_met)), r.saved_at)


@contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection in autocommit mode with the busy timeout; sqlite errors become ``HistoryError``."""
    try:
        con = sqlite3.connect(path, timeout=LOCK_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error as e:
        raise _translate(path, e) from e
    with closing(con):
        try:
            yield con
        except sqlite3.Error as e:
            raise _translate(path, e) from e


def _translate(path: Path, e: sqlite3.Error) -> HistoryError:
    msg = str(e)
    low = msg.lower()
    if "locked" in low or "busy" in low:
        return _fail("history-locked", path, detail=msg)
    if isinstance(e, sqlite3.OperationalError) and any(
        s in low for s in ("readonly", "read-only", "unable to open", "permission", "disk i/o", "full")
    ):
        return _fail("history-unwritable", path, detail=msg, env=ENV_VAR)
    # "file is not a database", "database disk image is malformed", a table that is not ours …
    return _fail("history-damaged", path, detail=msg)


def _has_table(con: sqlite3.Connection, path: Path) -> bool:
    """Whether our table exists, after checking the file is ours and not from a newer version."""
    version = con.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise _fail("history-newer", path, version=version, known=SCHEMA_VERSION)
    cols = [r[1] for r in con.execute(f"PRAGMA table_info({_TABLE})")]
    if not cols:
        return False
    if tuple(cols) != COLUMNS:
        raise _fail("history-foreign-table", path, table=_TABLE, columns=", ".join(cols))
    return True


def _ensure_schema(con: sqlite3.Connection, path: Path) -> None:
    if not _has_table(con, path):
        con.execute(_SCHEMA)
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
