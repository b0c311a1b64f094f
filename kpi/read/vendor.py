"""The vendor's own summary table, printed by the 1С-Коннект cabinet under its per-client report.

The cabinet's report «Статистика использования 1С-Коннект (по клиентам)» prints a second table (the
vendor's instruction calls it «вторая таблица»)::

    Показатель | Количество | % (контроль норматива)
    Всего клиентов ИТС (по состоянию на 31.12.2017, контроль норматива): | 50 |
    Клиентов с авторизацией в отчетном, -1 и -2 месяцах:                 | 31 | 62
    Клиентов с коммуникациями в отчетном, -1 или -2 месяцах:             | 28 | 56

An export holds it above or below the per-client table (blank rows between), or alone. Its «Всего клиентов
ИТС» is the control base the KPI is judged on; its rows are never clients. ``find_summary`` reads it from
any list of rows (cells as read), wherever it stands among them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kpi.read.schema import normalize_header

#: The summary's header row starts with this cell.
HEADER_LABEL = "показатель"
#: Row labels (after ``normalize_header``) by the figure they give.
LABELS: tuple[tuple[str, str], ...] = (
    ("всего клиентов итс", "base"),
    ("клиентов с авторизацией", "authorized_window"),
    ("клиентов с коммуникациями", "active_window"),
)
_STATE_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_NUMBER = re.compile(r"^\d[\d\s\u00a0]*(?:[.,]0+)?$")


@dataclass(frozen=True)
class VendorSummary:
    """The cabinet's printed figures: the base «Всего клиентов ИТС» (and the date it is «по состоянию на»),
    the clients with an authorisation and with a communication in the three-month window."""

    base: int
    base_date: date | None = None
    authorized_window: int | None = None
    active_window: int | None = None
    file: str = ""
    #: The source row of «Всего клиентов ИТС» (counted from 1), for the report and the warnings.
    row: int | None = None
    #: The workbook sheet it stands on (None for CSV).
    sheet: str | None = None

    def to_json(self) -> dict[str, object]:
        return {"base": self.base, "base_date": None if self.base_date is None else self.base_date.isoformat(),
                "authorized_window": self.authorized_window, "active_window": self.active_window}


def row_label(cells: Sequence[object]) -> str | None:
    """``"header"`` for the summary's header row, the figure's name for one of its rows, else None.

    Only the first non-empty cell is looked at: the label always starts the row.
    """
    first = next((c for c in cells if c is not None and str(c).strip()), None)
    if not isinstance(first, str) or len(first) > 300:
        return None
    text = normalize_header(first)
    if text == HEADER_LABEL:
        rest = [normalize_header(c) for c in cells if c is not None and str(c).strip()][1:]
        return "header" if rest and rest[0].startswith("количество") else None
    for label, name in LABELS:
        if text.startswith(label):
            return name
    return None


def _number(cell: object) -> int | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float):
        return int(cell) if cell.is_integer() and cell >= 0 else None
    if isinstance(cell, str) and _NUMBER.match(cell.strip()):
        return int(re.sub(r"[\s\u00a0]", "", cell.strip()).replace(",", ".").split(".")[0])
    return None


def find_summary(rows: Sequence[Sequence[object]], file: str, first_row: int = 1, sheet: str | None = None,
                 ) -> tuple[VendorSummary | None, list[int]]:
    """The summary held in ``rows`` (``first_row`` is the source row number of ``rows[0]``), and the
    positions in ``rows`` of every row that belongs to it (its header and labelled rows, even when the
    figures cannot be read: those rows are never data).

    The figure of a row is the first number after its label (the «Количество» column); the percentage
    after it is the vendor's own arithmetic and is not read. None without a readable «Всего клиентов ИТС».
    """
    positions: list[int] = []
    figures: dict[str, int | None] = {}
    base_row: int | None = None
    base_date: date | None = None
    for i, cells in enumerate(rows):
        label = row_label(cells)
        if label is None:
            continue
        positions.append(i)
        if label == "header" or label in figures:
            continue
        values = [c for c in cells if c is not None and str(c).strip()]
        figures[label] = next((n for n in map(_number, values[1:]) if n is not None), None)
        if label == "base":
            base_row = first_row + i
            m = _STATE_DATE.search(str(values[0]))
            if m:
                try:
                    base_date = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                except ValueError:
                    base_date = None
    base = figures.get("base")
    if base is None:
        return None, positions
    return VendorSummary(base=base, base_date=base_date, authorized_window=figures.get("authorized_window"),
                         active_window=figures.get("active_window"), file=file, row=base_row, sheet=sheet), positions
