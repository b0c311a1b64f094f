"""Errors and notes as values the UI and the CLI can show.

Modelled on frictionless-py: a small dataclass carries where (file, row, column) and what (a Russian
message). ``InputError`` stops reading one file; ``Note`` records something done to one row (skipped,
merged, cut) while the rest of the file is still read. Row numbers are the row numbers a person sees in
the source: the spreadsheet row, or the line of a CSV file, both counted from 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

NoteKind = Literal["skipped", "merged", "warning"]

NOTE_KIND_RU: dict[str, str] = {"skipped": "пропущена", "merged": "объединена", "warning": "внимание"}


def where(file: str, row: int | None = None, column: str | None = None) -> str:
    """Render a location as a person reads it: «файл «x.csv», строка 5, столбец «ИНН»»."""
    parts = [f"файл «{file}»"]
    if row is not None:
        parts.append(f"строка {row}")
    if column:
        parts.append(f"столбец «{column}»")
    return ", ".join(parts)


@dataclass(frozen=True)
class Note:
    """One row skipped or merged, or a warning about a file, with where it happened and why."""

    file: str
    kind: NoteKind
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        return f"{where(self.file, self.row, self.column)}: {self.message}"


class InputError(Exception):
    """A file that cannot be used at all; the other files are still read.

    The message is Russian and says what is wrong and what to do; ``str()`` prefixes the location.
    """

    def __init__(self, file: str, message: str, row: int | None = None, column: str | None = None):
        self.file = file
        self.message = message
        self.row = row
        self.column = column
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str, int | None, str | None]]:
        # keeps the error picklable, so cached read results (st.cache_data) can carry it
        return (InputError, (self.file, self.message, self.row, self.column))

    def __str__(self) -> str:
        return f"{where(self.file, self.row, self.column)}: {self.message}"


class ComputeError(Exception):
    """The figures cannot be computed from what was given (e.g. no client base): a Russian message."""
