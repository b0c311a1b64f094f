"""The quarter's figures for a reporting month: what the vendor report shows, and what counts.

Two counts matter and are kept apart on purpose:

* the vendor report's figure for month M counts clients with a communication "в отчетном, -1 или -2
  месяцах" — a rolling window M−2..M that at months 1 and 2 reaches into the previous quarter;
* the quarter-to-date count (months of this quarter up to M) is what the quarter is judged on, so the
  milestones (20 / 40 / 60 %) are judged on it. At month 3 the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from kpi import errors as E
from kpi import rules
from kpi.compute.connect import ConnectData

ClientType = Literal["1c", "all"]


def quarter_months(month: pd.Period) -> list[pd.Period]:
    """The three months of ``month``'s quarter."""
    first = pd.Period(year=month.year, month=3 * (month.quarter - 1) + 1, freq="M")
    return [first + i for i in range(rules.MONTHS_IN_QUARTER)]


def month_in_quarter(month: pd.Period) -> int:
    return (month.month - 1) % rules.MONTHS_IN_QUARTER + 1


def window_months(month: pd.Period) -> list[pd.Period]:
    """The vendor report's rolling window for month M: M−2, M−1, M."""
    return [month - i for i in reversed(range(rules.VENDOR_WINDOW_MONTHS))]


def qtd_months(month: pd.Period) -> list[pd.Period]:
    """Months of M's quarter up to and including M."""
    return quarter_months(month)[: month_in_quarter(month)]


def share_pct(count: int | None, base: int) -> float | None:
    """Share in percent, unrounded (display rounds once, to its own digits); None when there is no base."""
    if count is None or base <= 0:
        return None
    return 100.0 * count / base


def pct(count: int | None, base: int) -> float | None:
    """Share in percent, rounded to 2 decimals for JSON; None when there is no base."""
    share = share_pct(count, base)
    return None if share is None else round(share, 2)


@dataclass(frozen=True)
class QuarterSummary:
    """The quarter summary for reporting month ``month``; ``to_json`` gives the CLI's contract keys."""

    month: pd.Period
    client_type: ClientType
    base: int
    base_source: str
    active_window: int
    active_qtd: int
    authorized_window: int | None
    months: pd.DataFrame

    @property
    def quarter(self) -> pd.Period:
        return self.month.asfreq("Q")

    @property
    def month_in_quarter(self) -> int:
        return month_in_quarter(self.month)

    @property
    def milestone_pct(self) -> float:
        return rules.milestone_pct(self.month_in_quarter)

    @property
    def milestone_count(self) -> int:
        return rules.milestone_count(self.base, self.month_in_quarter)

    @property
    def target_count(self) -> int:
        return rules.milestone_count(self.base, rules.MONTHS_IN_QUARTER)

    @property
    def milestone_met(self) -> bool:
        """Whether the month's milestone is met; never with a base of 0 (nothing to meet)."""
        return self.base > 0 and rules.milestone_met(self.active_qtd, self.base, self.month_in_quarter)

    @property
    def target_met(self) -> bool:
        return self.base > 0 and rules.milestone_met(self.active_qtd, self.base, rules.MONTHS_IN_QUARTER)

    @property
    def clients_needed(self) -> int:
        return rules.clients_needed(self.active_qtd, self.base, self.month_in_quarter)

    def to_json(self) -> dict[str, object]:
        q = self.quarter
        months = []
        for r in self.months.itertuples(index=False):
            months.append({
                "month": str(r.month), "month_in_quarter": int(r.month_in_quarter),
                "active_month": None if pd.isna(r.active_month) else int(r.active_month),
                "active_qtd": None if pd.isna(r.active_qtd) else int(r.active_qtd),
                "active_qtd_pct": None if pd.isna(r.active_qtd_pct) else float(r.active_qtd_pct),
                "milestone_pct": float(r.milestone_pct), "milestone_count": int(r.milestone_count),
                "milestone_met": None if pd.isna(r.milestone_met) or self.base <= 0 else bool(r.milestone_met),
                "clients_needed": None if pd.isna(r.clients_needed) else int(r.clients_needed),
            })
        return {
            "month": str(self.month), "quarter": f"{q.year}-Q{q.quarter}", "month_in_quarter": self.month_in_quarter,
            "client_type": self.client_type, "base": self.base, "base_source": self.base_source,
            "active_window": self.active_window, "active_qtd": self.active_qtd,
            "authorized_window": self.authorized_window,
            "active_window_pct": pct(self.active_window, self.base), "active_qtd_pct": pct(self.active_qtd, self.base),
            "authorized_window_pct": pct(self.authorized_window, self.base),
            "target_pct": float(rules.TARGET_SHARE * 100), "target_count": self.target_count,
            "milestone_pct": self.milestone_pct, "milestone_count": self.milestone_count,
            "milestone_met": self.milestone_met if self.base > 0 else None, "clients_needed": self.clients_needed,
            "months": months,
        }


def client_scope(data: ConnectData, client_type: ClientType, only_base: bool = False) -> pd.Index:
    """Keys of the clients the KPI counts: 1C clients only (default), or every client; with ``only_base``
    only the base's members (when a list says who they are)."""
    c = data.clients
    keep = np.ones(len(c), dtype=bool) if client_type == "all" else c["_is_1c"].to_numpy(dtype=bool, copy=True)
    if only_base and data.list_source is not None:
        keep &= c["_known"].to_numpy(dtype=bool)
    return c.index[keep]


def base_count(data: ConnectData, client_type: ClientType, override: int | None = None,
               vendor_base: int | None = None) -> tuple[int, str]:
    """The client base and where it comes from: the number typed from the cabinet › the vendor's summary
    table › the ITS contract report › a base list › the per-client export."""
    if override is not None:
        if override < 0:
            raise E.compute_fail("base-negative")
        return int(override), "typed"
    if vendor_base is not None:
        return int(vendor_base), "vendor_summary"
    if data.list_source is None:
        raise E.compute_fail("no-base", files="—")
    return list_count(data, client_type), data.list_source


def list_count(data: ConnectData, client_type: ClientType) -> int:
    """How many clients of the type the base's list holds (0 without a list)."""
    c = data.clients
    known = c["_known"] & (c["_is_1c"] | (client_type == "all"))
    return int(known.sum())


class _Activity:
    """The activity table as plain arrays, restricted once to the clients in scope, for repeated counts.

    A summary counts the same few months in several combinations (window, quarter to date, each month): each
    (month, communication or authorisation) is turned once into a bitmap of the client keys that had it, and
    a count is the bits set in the union of its months' bitmaps."""

    def __init__(self, data: ConnectData, keys: pd.Index):
        a = data.activity
        key = a["key"].to_numpy()
        # keys are small non-negative integers (the identity's node numbers): membership by a bitmap, not a hash
        self.top = max(int(key.max()) + 1 if len(key) else 0, int(keys.max()) + 1 if len(keys) else 0)
        in_scope = np.zeros(self.top, dtype=bool)
        in_scope[keys.to_numpy(dtype=np.int64)] = True
        scope = in_scope[key]
        self.key = key[scope]
        month = a["month"].array.asi8[scope]
        # months as small offsets from the earliest: a month's rows are found by comparing small integers
        self.low = int(month.min()) if len(month) else 0
        self.month = (month - self.low).astype(np.int32)
        self.span = int(self.month.max()) + 1 if len(month) else 0
        self.flags = {what: a[what].to_numpy(dtype=bool, na_value=False)[scope] for what in ("comm", "auth")}
        self._seen: dict[tuple[int, str], np.ndarray] = {}

    def _month_seen(self, month: pd.Period, what: str) -> np.ndarray | None:
        """The keys with ``what`` in ``month``, as a bitmap (None: no activity that month)."""
        rel = month.ordinal - self.low
        if not 0 <= rel < self.span:
            return None
        seen = self._seen.get((rel, what))
        if seen is None:
            seen = np.zeros(self.top, dtype=bool)
            seen[self.key[(self.month == rel) & self.flags[what]]] = True
            self._seen[(rel, what)] = seen
        return seen

    def _hit(self, months: list[pd.Period], what: str) -> np.ndarray:
        wanted = np.zeros(self.span, dtype=bool)  # (a month outside the activity's range is no row's)
        at = np.array([m.ordinal - self.low for m in months], dtype=np.int64)
        wanted[at[(at >= 0) & (at < self.span)]] = True
        return wanted[self.month] & self.flags[what]

    def active(self, months: list[pd.Period], what: str = "comm") -> pd.Index:
        return pd.Index(pd.unique(self.key[self._hit(months, what)]))

    def count(self, months: list[pd.Period], what: str = "comm") -> int:
        """``len(self.active(months, what))``, counted on the months' bitmaps of the keys."""
        maps = [s for m in dict.fromkeys(months) if (s := self._month_seen(m, what)) is not None]
        if not maps:
            return 0
        union = maps[0].copy() if len(maps) > 1 else maps[0]
        for s in maps[1:]:
            union |= s
        return int(np.count_nonzero(union))


def summarize(data: ConnectData, month: pd.Period, client_type: ClientType = "1c",
              base_override: int | None = None, only_base: bool = False,
              vendor_base: int | None = None) -> QuarterSummary:
    """The quarter summary for reporting month ``month`` and the per-month table of its quarter.

    Clients with communications outside the base count in the numerator, as the vendor counts them (the
    seed's table: base 1, 2 clients, 200 %), unless ``only_base``."""
    base, source = base_count(data, client_type, base_override, vendor_base)
    act = _Activity(data, client_scope(data, client_type, only_base))
    active_window = act.count(window_months(month))
    active_qtd = act.count(qtd_months(month))
    authorized = act.count(window_months(month), "auth") if data.has_auth else None
    rows = []
    for k, m in enumerate(quarter_months(month), start=1):
        ms = rules.milestone_pct(k)
        row: dict[str, object] = {"month": m, "month_in_quarter": k, "milestone_pct": ms,
                                  "milestone_count": rules.milestone_count(base, k)}
        if m <= month:
            qtd = act.count(qtd_months(m))
            row |= {"active_month": act.count([m]), "active_qtd": qtd,
                    "active_qtd_pct": pct(qtd, base),
                    "milestone_met": base > 0 and rules.milestone_met(qtd, base, k),
                    "clients_needed": rules.clients_needed(qtd, base, k)}
        else:
            row |= {"active_month": None, "active_qtd": None, "active_qtd_pct": None, "milestone_met": None,
                    "clients_needed": None}
        rows.append(row)
    months = pd.DataFrame(rows, columns=["month", "month_in_quarter", "active_month", "active_qtd", "active_qtd_pct",
                                         "milestone_pct", "milestone_count", "milestone_met", "clients_needed"])
    return QuarterSummary(month=month, client_type=client_type, base=base, base_source=source,
                          active_window=active_window, active_qtd=active_qtd, authorized_window=authorized,
                          months=months)
