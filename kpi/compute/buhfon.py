"""1С-Бухфон: which users' program did not start in the period, and for how long it has been silent.

The vendor's "Статистика подключения пользователей" has «Авторизация в отчетный период» (Да/Нет) for
the period it was built for; that column decides. Where an export lacks it, the last-authorisation
date is compared with the period the caller gives. A user with no last-authorisation date never
started the program at all — the first ones to call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from kpi import errors as E
from kpi.read import schema as S
from kpi.read.recognise import Parsed, col
from kpi.read.schema import Kind

DAYS_LABEL = "Дней без запуска"
NEVER_LABEL = "Ни разу не запускалась"
NO_CATEGORY = "(без категории)"


@dataclass
class BuhfonData:
    """All 1С-Бухфон rows of the uploads, with the source columns and the period from the titles."""

    users: pd.DataFrame
    source_columns: list[str]
    field_columns: dict[str, list[str]]
    period_from: date | None
    period_to: date | None


@dataclass(frozen=True)
class BuhfonResult:
    """Figures for the period plus the per-user table (every user, with ``not_launched`` and ``never``)."""

    period_from: date | None
    period_to: date | None
    as_of: date
    decided_by: str  # "flag" (the report's column) or "dates" (last authorisation against the period)
    table: pd.DataFrame

    @property
    def users(self) -> int:
        return len(self.table)

    @property
    def not_launched(self) -> int:
        return int(self.table["not_launched"].sum())

    @property
    def never_launched(self) -> int:
        return int(self.table["never"].sum())

    def by_category(self) -> pd.DataFrame:
        """Per «Категория Пользователя»: users, non-launching, never launched; most non-launching first."""
        t = self.table.assign(category=self.table["_bf_category"].fillna(NO_CATEGORY))
        g = t.groupby("category", sort=False).agg(users=("not_launched", "size"),
                                                  not_launched=("not_launched", "sum"), never=("never", "sum"))
        return g.sort_values(["not_launched", "users"], ascending=False).reset_index()

    def to_json(self) -> dict[str, object]:
        cats = self.by_category()
        return {
            "period_from": self.period_from.isoformat() if self.period_from else None,
            "period_to": self.period_to.isoformat() if self.period_to else None,
            "as_of": self.as_of.isoformat(), "decided_by": self.decided_by,
            "users": self.users, "not_launched": self.not_launched, "never_launched": self.never_launched,
            "by_category": {str(r.category): int(r.not_launched) for r in cats.itertuples() if r.not_launched},
        }


def build_buhfon(parsed: list[Parsed]) -> BuhfonData | None:
    """Stack every 1С-Бухфон file of ``parsed``; None when there is none."""
    files = [p for p in parsed if p.ok and p.kind is Kind.BUHFON]
    if not files:
        return None
    source_columns: list[str] = []
    field_columns: dict[str, list[str]] = {}
    for p in files:
        for c in p.table.columns:  # type: ignore[union-attr]
            if not c.startswith("_") and c not in source_columns:
                source_columns.append(c)
        for src, name in p.report.fields.items():
            if src not in field_columns.setdefault(name, []):
                field_columns[name].append(src)
    users = pd.concat([p.table.assign(_file=p.report.file, _row=p.table.index) for p in files],  # type: ignore[union-attr]
                      ignore_index=True)
    froms = [p.report.period_from for p in files if p.report.period_from]
    tos = [p.report.period_to for p in files if p.report.period_to]
    return BuhfonData(users, source_columns, field_columns, min(froms) if froms else None, max(tos) if tos else None)


def buhfon_status(data: BuhfonData, period_from: date | None = None, period_to: date | None = None,
                  today: date | None = None) -> BuhfonResult:
    """Decide per user whether the program started in the period, and count days since the last start."""
    u = data.users.copy(deep=False)  # copy-on-write: the columns added here leave ``data`` as it is
    start = period_from or data.period_from
    end = period_to or data.period_to
    last = u[col(S.BF_LAST_AUTH)] if col(S.BF_LAST_AUTH) in u else pd.Series(pd.NaT, index=u.index,
                                                                              dtype="datetime64[us]")
    if col(S.BF_AUTH) in u:
        not_launched = ~u[col(S.BF_AUTH)].astype(bool)
        decided_by = "flag"
    else:
        if start is None:
            raise E.compute_fail("buhfon-no-period")
        not_launched = last.isna() | (last < pd.Timestamp(start))
        decided_by = "dates"
    as_of = end or today or date.today()
    if today is not None and end is not None:
        as_of = min(end, today)
    u["_bf_category"] = u.get(col(S.BF_CATEGORY), pd.Series(pd.NA, index=u.index, dtype="str"))
    u["not_launched"] = not_launched.to_numpy()
    u["never"] = (not_launched & last.isna()).to_numpy()
    days = (pd.Timestamp(as_of) - last.dt.normalize()).dt.days
    u["days_since"] = days.astype("Int64")
    u["_last_auth"] = last
    return BuhfonResult(start, end, as_of, decided_by, u)


@dataclass(frozen=True)
class BuhfonFilter:
    """The page's filters: category and «Пользователь 1С»; ``only_not_launched`` is the seed's «Нет»."""

    only_not_launched: bool = True
    categories: tuple[str, ...] = ()
    is_1c_user: bool | None = None
    search: str = ""


def apply_buhfon_filter(table: pd.DataFrame, f: BuhfonFilter) -> pd.DataFrame:
    keep = pd.Series(True, index=table.index)
    if f.only_not_launched:
        keep &= table["not_launched"]
    if f.categories:
        keep &= table["_bf_category"].fillna(NO_CATEGORY).isin(f.categories)
    if f.is_1c_user is not None and col(S.BF_IS_1C) in table:
        keep &= table[col(S.BF_IS_1C)].astype(bool) == f.is_1c_user
    if f.search.strip():
        needle = f.search.strip().lower()
        text = pd.Series("", index=table.index)
        for c in (col(S.BF_USER), col(S.CLIENT), col(S.INN)):
            if c in table:
                text = text + " " + table[c].fillna("").astype(str).str.lower()
        keep &= text.str.contains(needle, regex=False)
    return table[keep]


def buhfon_export_frame(rows: pd.DataFrame, data: BuhfonData) -> pd.DataFrame:
    """Every source column, the parsed last-authorisation date, days without a start, never-started mark.
    Rows are ordered as a manager calls: never started first, then the longest silence."""
    ordered = rows.sort_values(["never", "days_since"], ascending=[False, False], na_position="first")
    out = pd.DataFrame(index=ordered.index)
    for c in data.source_columns:
        out[c] = ordered[c]
    for c in data.field_columns.get("bf_last_auth", []):
        out[c] = ordered["_last_auth"]
    out[DAYS_LABEL] = ordered["days_since"]
    out[NEVER_LABEL] = ordered["never"].map({True: "Да", False: "Нет"})
    return out.reset_index(drop=True)
