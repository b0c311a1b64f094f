"""One priority list across both programs: clients silent in 1С-Коннект *and* not launching 1С-Бухфон.

A 1С-Бухфон export lists users, not clients; users are tied to clients by ИНН, then by registration
number, then by the organisation's normalised name. A client counts as "not launching" when none of its
users started the program in the period. What could not be matched is counted with the reason, so a
manager knows how far to trust the list.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kpi.compute.buhfon import BuhfonResult
from kpi.read import schema as S
from kpi.read.recognise import col
from kpi.read.values import normalize_name

#: Columns the priority list adds to the client's own, in this order.
PRIORITY_COLUMNS = ("Пользователей 1С-Бухфон", "Последний запуск 1С-Бухфон", "1С-Бухфон ни разу не запускался")


@dataclass(frozen=True)
class PriorityResult:
    """``rows``: silent clients whose users did not launch 1С-Бухфон; the counts explain the matching."""

    rows: pd.DataFrame
    matched_clients: int
    silent_without_users: int
    users_unmatched: int
    users_without_identity: int

    def unmatched_ru(self) -> list[str]:
        out = []
        if self.silent_without_users:
            out.append(f"молчащих клиентов без пользователей 1С-Бухфон (не найдены по ИНН, рег. номеру и "
                       f"наименованию): {self.silent_without_users}")
        if self.users_unmatched:
            out.append(f"пользователей 1С-Бухфон, чья организация не найдена среди клиентов: {self.users_unmatched}")
        if self.users_without_identity:
            out.append(f"пользователей 1С-Бухфон без ИНН и наименования организации: {self.users_without_identity}")
        return out

    def to_json(self) -> dict[str, int]:
        return {"priority": len(self.rows), "matched_clients": self.matched_clients,
                "silent_without_users": self.silent_without_users, "users_unmatched": self.users_unmatched,
                "users_without_identity": self.users_without_identity}


def _user_keys(users: pd.DataFrame, clients: pd.DataFrame) -> pd.Series:
    """The client key for each 1С-Бухфон user: by ИНН, then registration number, then organisation name."""
    key = pd.Series(pd.NA, index=users.index, dtype="Int64")
    for user_col, client_col, norm in ((col(S.INN), "_inn", None), (col(S.REGNUM), "_regnum", None),
                                       (col(S.CLIENT), "_client", normalize_name)):
        if user_col not in users or client_col not in clients:
            continue
        left = users[user_col] if norm is None else norm(users[user_col])
        right = clients[client_col] if norm is None else norm(clients[client_col])
        lookup = pd.Series(clients.index, index=right.to_numpy())
        lookup = lookup[lookup.index.notna() & ~lookup.index.duplicated(keep=False)]
        found = left.map(lookup)
        key = key.fillna(found.astype("Int64"))
    return key


def priority_list(status: pd.DataFrame, silent: pd.DataFrame, buhfon: BuhfonResult) -> PriorityResult:
    """Silent clients (rows of ``silent``) none of whose matched 1С-Бухфон users launched the program.

    ``status`` is every client (``kpi.compute.silent.client_status``) so users are matched against all clients,
    not only silent ones, and a user of an active client is not miscounted as unmatched.
    """
    users = buhfon.table
    has_identity = pd.Series(False, index=users.index)
    for c in (col(S.INN), col(S.REGNUM), col(S.CLIENT)):
        if c in users:
            has_identity |= users[c].notna()
    key = _user_keys(users, status)
    per_client = pd.DataFrame({"key": key, "launched": ~users["not_launched"].astype(bool),
                               "never": users["never"].astype(bool), "last": users["_last_auth"]}).dropna(
        subset=["key"])
    agg = per_client.groupby("key").agg(users=("launched", "size"), launched=("launched", "any"),
                                        never=("never", "all"), last=("last", "max"))
    silent_keys = silent.index
    with_users = silent_keys.intersection(agg.index)
    not_launching = agg.loc[with_users]
    not_launching = not_launching[~not_launching["launched"]]
    rows = silent.loc[not_launching.index].copy()
    users_col, last_col, never_col = PRIORITY_COLUMNS
    rows[users_col] = not_launching["users"].astype(int)
    rows[last_col] = not_launching["last"]
    rows[never_col] = not_launching["never"].map({True: "Да", False: "Нет"})
    return PriorityResult(rows=rows, matched_clients=int(agg.shape[0]),
                          silent_without_users=len(silent_keys.difference(agg.index)),
                          users_unmatched=int((key.isna() & has_identity).sum()),
                          users_without_identity=int((~has_identity).sum()))
