"""Who calls whom: split the silent-client list among people, most worth a call first.

A client stays with the person responsible for it in the data («Ответственный»), else with the
specialist who served it last (the log's «Специалист»), when that person is among the callers; the
rest are dealt out so that everyone ends with as even a load as possible. Each person's list is ordered
so the first rows are the calls that matter most: 1C clients (they count for the KPI), then clients
whose program logs in but who never talked to the partner, then the longest silence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

UNASSIGNED = "(не распределено)"


@dataclass(frozen=True)
class Split:
    """The silent list with an ``assignee`` column, and the people in the order their sheets go."""

    rows: pd.DataFrame
    people: list[str]

    def summary(self) -> pd.DataFrame:
        """Per person: how many clients, how many kept from the data or the log, how many dealt out."""
        g = self.rows.groupby("assignee", sort=False)
        out = pd.DataFrame({
            "Сотрудник": self.people,
            "Клиентов": [int(g.size().get(p, 0)) for p in self.people],
            "Закреплены в данных": [int(g["assigned_by"].apply(lambda s: (s == "data").sum()).get(p, 0))
                                    for p in self.people],
            "Обслуживал последним": [int(g["assigned_by"].apply(lambda s: (s == "last").sum()).get(p, 0))
                                     for p in self.people],
            "Распределены поровну": [int(g["assigned_by"].apply(lambda s: (s == "even").sum()).get(p, 0))
                                     for p in self.people],
        })
        return out


def priority_order(rows: pd.DataFrame) -> pd.DataFrame:
    """Most worth a call first: 1C clients, then authorised-but-never-talked, then the longest silence."""
    is_1c = rows["_is_1c"].astype(bool) if "_is_1c" in rows else pd.Series(True, index=rows.index)
    auth = rows["auth_window"].fillna(False).astype(bool) if "auth_window" in rows else False
    never_talked = rows["_last_comm"].isna()
    launched_silent = auth & never_talked
    # silence: never talked sorts as the longest; otherwise the older the last communication, the earlier
    key = pd.DataFrame({"a": ~is_1c, "b": ~launched_silent, "c": ~never_talked, "d": rows["_last_comm"]},
                       index=rows.index)
    order = key.sort_values(["a", "b", "c", "d"], kind="stable", na_position="first").index
    return rows.loc[order]


def split_calls(rows: pd.DataFrame, people: list[str] | None = None) -> Split:
    """Give every row of the silent list an ``assignee``.

    ``people`` are the names a manager typed; when empty, the responsible people found in the data are
    the callers. With neither, every row stays ``UNASSIGNED`` on one sheet.
    """
    rows = priority_order(rows).copy()
    responsible = rows.get("_responsible", pd.Series(pd.NA, index=rows.index, dtype="str"))
    callers = [p.strip() for p in (people or []) if p and p.strip()]
    callers = list(dict.fromkeys(callers)) or sorted(responsible.dropna().unique().tolist())
    if not callers:
        rows["assignee"], rows["assigned_by"] = UNASSIGNED, "none"
        return Split(rows, [UNASSIGNED])
    assignee = pd.Series(pd.NA, index=rows.index, dtype="object")
    by = pd.Series("even", index=rows.index, dtype="object")
    own = responsible.isin(callers)
    assignee[own], by[own] = responsible[own], "data"
    last = rows.get("_last_specialist", pd.Series(pd.NA, index=rows.index, dtype="str"))
    kept = assignee.isna() & last.isin(callers)
    assignee[kept], by[kept] = last[kept], "last"
    free = assignee.isna().to_numpy()
    if free.any():
        load = np.array([int((assignee == p).sum()) for p in callers])
        dealt = _deal_evenly(load, int(free.sum()))
        assignee[free] = [callers[i] for i in dealt]
    rows["assignee"], rows["assigned_by"] = assignee, by
    return Split(rows, callers)


def _deal_evenly(load: np.ndarray, n: int) -> list[int]:
    """Deal ``n`` clients, in list order, each to whoever has the fewest so far (ties: the earlier name).

    Vectorised: person i receives the slots load_i+1, load_i+2, …; dealing in order of slot number (then
    name order) is exactly "the next client goes to the least loaded person", without a loop per client.
    """
    people = len(load)
    slots = np.concatenate([load[i] + 1 + np.arange(n) for i in range(people)])
    who = np.repeat(np.arange(people), n)
    order = np.lexsort((who, slots))[:n]
    return who[order].tolist()


SUMMARY_SHEET = "Сводка"


def split_sheets(split: Split, frame: Callable[[pd.DataFrame], pd.DataFrame]) -> list[tuple[str, pd.DataFrame]]:
    """The per-person workbook's sheets: the summary first, then one list per person in priority order.

    ``frame`` turns rows of the silent list into the download's columns (``kpi.compute.silent.export_frame``).
    """
    sheets: list[tuple[str, pd.DataFrame]] = [(SUMMARY_SHEET, split.summary())]
    for person in split.people:
        mine = split.rows[split.rows["assignee"] == person]
        sheets.append((person, frame(mine)))
    return sheets
