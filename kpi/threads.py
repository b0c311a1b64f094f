"""Independent column work spread over the machine's cores, with results in the order of the inputs.

Most of what reading and identity do to a million-row table is one operation per column: hashing a text
column (pyarrow's ``dictionary_encode``), numpy's passes over the date bytes, Arrow ``take``s. Those release
the GIL, so the columns of one table go through a small thread pool about 1.5× faster on this machine's two
cores (bench/NOTES.md, «Speed round 3»). The answer never depends on the threads: each call gets its own
column, shares nothing mutable, and ``per_column`` returns the results in the order of the inputs (an
exception is raised as the serial loop would raise the first one). Small inputs stay on the calling thread.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from kpi.settings import env_int

T = TypeVar("T")
R = TypeVar("R")

#: Below this many cells in all the inputs together a pool costs more than it saves.
MIN_CELLS = 200_000


def workers() -> int:
    """Threads to use: the cores this process may run on, ``KPI_THREADS`` to override (1 = no pool)."""
    chosen = env_int("KPI_THREADS", 0)  # (read at each call: a test or a server may change it)
    if chosen > 0:
        return chosen
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # (not on Linux)
        return os.cpu_count() or 1


def per_column(fn: Callable[[T], R], items: Sequence[T], cells: int) -> list[R]:
    """``[fn(x) for x in items]``, on several threads when ``cells`` (the work's size) is worth it."""
    n = min(workers(), len(items))
    if n <= 1 or cells < MIN_CELLS:
        return [fn(x) for x in items]
    with ThreadPoolExecutor(max_workers=n, thread_name_prefix="kpi-column") as pool:
        return list(pool.map(fn, items))
