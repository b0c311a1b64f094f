"""Problems as typed values: one small class per kind, each with a stable code (the frictionless model).

A ``Problem`` is *what* (its class: a stable ``code`` and a ``severity``) and *where* (file, sheet, row,
column), plus the few values its Russian message needs. The message template lives in the one catalogue
of user-facing text, ``kpi.texts.PROBLEMS``, keyed by the code; tests, the CLI's JSON and the app all
read the code, never the wording. Row numbers are the ones a person sees in the source: the spreadsheet
row, or the line of a CSV file, both counted from 1.

Severities:

* ``error`` — the file (or the whole computation) cannot be used; raised wrapped in ``InputError`` /
  ``ComputeError`` so the flow stops where it must, and caught where the other files go on;
* ``warning`` — something the user must know, the figures are still computed (a file set aside, a
  figure that differs from the vendor's, a cell cut);
* ``skipped`` / ``merged`` — one row left out or merged into another, with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from kpi import texts

Severity = Literal["error", "warning", "skipped", "merged"]

#: Every problem class by its code: the catalogue's codes and the classes are checked against each other.
REGISTRY: dict[str, type[Problem]] = {}


def where(file: str | None, row: int | None = None, column: str | None = None, sheet: str | None = None) -> str:
    """Render a location as a person reads it: «файл «x.csv», лист «TDSheet», строка 5, столбец «ИНН»»."""
    parts = [texts.LOC_FILE.format(file=file)] if file else []
    if sheet:
        parts.append(texts.LOC_SHEET.format(sheet=sheet))
    if row is not None:
        parts.append(texts.LOC_ROW.format(row=row))
    if column:
        parts.append(texts.LOC_COLUMN.format(column=column))
    return ", ".join(parts)


class Problem:
    """One problem: a code and severity from the class, a location and message parameters per instance.

    Instances are immutable values: compared by content, picklable (``st.cache_data`` carries them).
    """

    code: ClassVar[str] = ""
    severity: ClassVar[Severity] = "error"
    __slots__ = ("column", "file", "params", "row", "sheet")

    def __init__(self, file: str | None = None, *, sheet: str | None = None, row: int | None = None,
                 column: str | None = None, **params: Any):
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "sheet", sheet)
        object.__setattr__(self, "row", None if row is None else int(row))
        object.__setattr__(self, "column", None if column is None else str(column))
        object.__setattr__(self, "params", tuple(sorted(params.items())))

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.code:
            if cls.code in REGISTRY:
                raise TypeError(f"problem code {cls.code!r} is defined twice")
            if cls.code not in texts.PROBLEMS:
                raise TypeError(f"problem code {cls.code!r} has no text in kpi.texts.PROBLEMS")
            REGISTRY[cls.code] = cls

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.code, self.file, self.sheet, self.row, self.column, self.params))

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._key() == other._key()  # type: ignore[union-attr]

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[Any, ...]:
        return (self.code, self.file, self.sheet, self.row, self.column, self.params)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.file!r}, row={self.row!r}, column={self.column!r}, {dict(self.params)})"

    @property
    def param(self) -> Mapping[str, Any]:
        """The message's parameters (``{"value": "Дв"}``, ``{"count": 3}``…)."""
        return dict(self.params)

    @property
    def message(self) -> str:
        """The Russian message, without the location."""
        return texts.PROBLEMS[self.code].format(**self.param)

    @property
    def kind(self) -> Severity:
        """The severity under the name the row notes have always used (``skipped``, ``merged``, ``warning``)."""
        return self.severity

    def __str__(self) -> str:
        place = where(self.file, self.row, self.column, self.sheet)
        return f"{place}: {self.message}" if place else self.message

    def to_json(self) -> dict[str, object]:
        """The CLI's JSON shape: ``code``, ``file``, ``sheet``, ``row``, ``column``, ``message`` (null where
        a field does not apply)."""
        return {"code": self.code, "file": self.file, "sheet": self.sheet, "row": self.row, "column": self.column,
                "message": self.message}


def _rebuild(code: str, file: str | None, sheet: str | None, row: int | None, column: str | None,
             params: tuple[tuple[str, Any], ...]) -> Problem:
    return REGISTRY[code](file, sheet=sheet, row=row, column=column, **dict(params))


class ProblemError(Exception):
    """An error-severity ``Problem`` raised to stop a step; ``problem`` is the value the callers keep."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.problem,))

    def __str__(self) -> str:
        return str(self.problem)

    @property
    def code(self) -> str:
        return self.problem.code

    @property
    def file(self) -> str | None:
        return self.problem.file

    @property
    def row(self) -> int | None:
        return self.problem.row

    @property
    def column(self) -> str | None:
        return self.problem.column

    @property
    def sheet(self) -> str | None:
        return self.problem.sheet

    @property
    def message(self) -> str:
        return self.problem.message


class InputError(ProblemError):
    """A file that cannot be used at all; the other files are still read."""


class ComputeError(ProblemError):
    """The figures cannot be computed from what was given (no client base, no reporting month …)."""


# --- the problems --------------------------------------------------------------------------------------
# One class per kind. The Russian text of each is ``kpi.texts.PROBLEMS[code]``; the keyword parameters a
# class is raised with are the template's fields. Add a code here and its text there, never rename one.

class _Error(Problem):
    severity: ClassVar[Severity] = "error"


class _Warning(Problem):
    severity: ClassVar[Severity] = "warning"


class _Skipped(Problem):
    severity: ClassVar[Severity] = "skipped"


class _Merged(Problem):
    severity: ClassVar[Severity] = "merged"


class FileTooLarge(_Error):
    __slots__ = ()
    code = "file-too-large"


class FileEmpty(_Error):
    __slots__ = ()
    code = "file-empty"


class FileImage(_Error):
    __slots__ = ()
    code = "file-image"


class FileHtml(_Error):
    __slots__ = ()
    code = "file-html"


class FileXml2003(_Error):
    __slots__ = ()
    code = "file-xml2003"


class FileXml(_Error):
    __slots__ = ()
    code = "file-xml"


class FileBinary(_Error):
    __slots__ = ()
    code = "file-binary"


class ZipEmpty(_Error):
    __slots__ = ()
    code = "zip-empty"


class ZipTooManyParts(_Error):
    __slots__ = ()
    code = "zip-too-many-parts"


class ZipNotWorkbook(_Error):
    __slots__ = ()
    code = "zip-not-workbook"


class ZipBomb(_Error):
    __slots__ = ()
    code = "zip-bomb"


class FileDamaged(_Error):
    __slots__ = ()
    code = "file-damaged"


class FilePassword(_Error):
    __slots__ = ()
    code = "file-password"


class WorkbookUnreadable(_Error):
    __slots__ = ()
    code = "workbook-unreadable"


class SheetUnreadable(_Error):
    __slots__ = ()
    code = "sheet-unreadable"


class CsvUnreadable(_Error):
    __slots__ = ()
    code = "csv-unreadable"


class NoHeader(_Error):
    __slots__ = ()
    code = "no-header"


class NoHeaderRenamed(_Error):
    __slots__ = ()
    code = "no-header-renamed"


class TooManyRows(_Error):
    __slots__ = ()
    code = "too-many-rows"


class UnknownColumns(_Error):
    __slots__ = ()
    code = "unknown-columns"


class HeaderOnly(_Error):
    __slots__ = ()
    code = "header-only"


class NoRowsRead(_Error):
    __slots__ = ()
    code = "no-rows-read"


class KindColumnsMissing(_Error):
    __slots__ = ()
    code = "kind-columns-missing"


class FileUnopenable(_Error):
    __slots__ = ()
    code = "file-unopenable"


class TotalsRow(_Skipped):
    __slots__ = ()
    code = "totals-row"


class FootnoteRow(_Skipped):
    __slots__ = ()
    code = "footnote-row"


class FlagInvalid(_Skipped):
    __slots__ = ()
    code = "flag-invalid"


class DateInvalid(_Skipped):
    __slots__ = ()
    code = "date-invalid"


class DateInvalidEmpty(_Warning):
    __slots__ = ()
    code = "date-invalid-empty"


class ClientMissing(_Skipped):
    __slots__ = ()
    code = "client-missing"


class EventDateMissing(_Skipped):
    __slots__ = ()
    code = "event-date-missing"


class RowsMoreSkipped(_Skipped):
    __slots__ = ()
    code = "rows-more-skipped"


class RowsMoreWarning(_Warning):
    __slots__ = ()
    code = "rows-more-warning"


class CellCut(_Warning):
    __slots__ = ()
    code = "cell-cut"


class CellsMoreCut(_Warning):
    __slots__ = ()
    code = "cells-more-cut"


class CsvExtraFields(_Warning):
    __slots__ = ()
    code = "csv-extra-fields"


class ClientMerged(_Merged):
    __slots__ = ()
    code = "client-merged"


class ColumnsRepeated(_Warning):
    __slots__ = ()
    code = "columns-repeated"


class SetAsidePbx(_Warning):
    __slots__ = ()
    code = "set-aside-pbx"


class SetAsideCrm(_Warning):
    __slots__ = ()
    code = "set-aside-crm"


class SetAsideUser(_Warning):
    __slots__ = ()
    code = "set-aside-user"


class SetAsideNotLog(_Warning):
    __slots__ = ()
    code = "set-aside-not-log"


class SetAsideUnknown(_Warning):
    __slots__ = ()
    code = "set-aside-unknown"


class SecondTable(_Warning):
    __slots__ = ()
    code = "second-table"


class VendorSummaryUnreadable(_Warning):
    __slots__ = ()
    code = "vendor-summary-unreadable"


class SetAsideOtherProgram(_Warning):
    __slots__ = ()
    code = "set-aside-other-program"


class DatesOutsideQuarter(_Warning):
    __slots__ = ()
    code = "dates-outside-quarter"


class LogNotInBase(_Warning):
    __slots__ = ()
    code = "log-not-in-base"


class VendorDiffers(_Warning):
    __slots__ = ()
    code = "vendor-differs"


class BaseZero(_Warning):
    __slots__ = ()
    code = "base-zero"


class ItsNoDate(_Warning):
    __slots__ = ()
    code = "its-no-date"


class ItsNoSupport(_Warning):
    __slots__ = ()
    code = "its-no-support"


class ItsDateFar(_Warning):
    __slots__ = ()
    code = "its-date-far"


class MonthFromUser(_Warning):
    __slots__ = ()
    code = "month-from-user"


class MonthMissing(_Error):
    __slots__ = ()
    code = "month-missing"


class NoConnectFiles(_Error):
    __slots__ = ()
    code = "no-connect-files"


class NoMonth(_Error):
    __slots__ = ()
    code = "no-month"


class NoBase(_Error):
    __slots__ = ()
    code = "no-base"


class NoCommunicationData(_Error):
    __slots__ = ()
    code = "no-communication-data"


class BaseNegative(_Error):
    __slots__ = ()
    code = "base-negative"


class NoBuhfonFiles(_Error):
    __slots__ = ()
    code = "no-buhfon-files"


class BuhfonNoPeriod(_Error):
    __slots__ = ()
    code = "buhfon-no-period"


class ListTooLong(_Error):
    __slots__ = ()
    code = "list-too-long"


class Usage(_Error):
    __slots__ = ()
    code = "usage"


class TzUnknown(_Error):
    __slots__ = ()
    code = "tz-unknown"


class OutputFormat(_Error):
    __slots__ = ()
    code = "output-format"


class OutputUnwritable(_Error):
    __slots__ = ()
    code = "output-unwritable"


class SplitNeedsXlsx(_Error):
    __slots__ = ()
    code = "split-needs-xlsx"


class HistoryDamaged(_Error):
    __slots__ = ()
    code = "history-damaged"


class HistoryForeignTable(_Error):
    __slots__ = ()
    code = "history-foreign-table"


class HistoryLocked(_Error):
    __slots__ = ()
    code = "history-locked"


class HistoryUnwritable(_Error):
    __slots__ = ()
    code = "history-unwritable"


class HistoryNewer(_Error):
    __slots__ = ()
    code = "history-newer"


def problem_class(code: str) -> type[Problem]:
    """The class of ``code`` (``problem_class("file-empty")(name)`` makes the problem)."""
    return REGISTRY[code]


def make(code: str, file: str | None = None, **kw: Any) -> Problem:
    """The problem ``code`` at ``file`` with the location and message parameters in ``kw``."""
    return REGISTRY[code](file, **kw)


def fail(code: str, file: str | None = None, **kw: Any) -> InputError:
    """An ``InputError`` carrying problem ``code`` (``raise fail("file-empty", name)``)."""
    return InputError(make(code, file, **kw))


def compute_fail(code: str, file: str | None = None, **kw: Any) -> ComputeError:
    """A ``ComputeError`` carrying problem ``code``."""
    return ComputeError(make(code, file, **kw))
