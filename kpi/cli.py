"""``python -m kpi``: the figures for scheduled runs and for checking the numbers from outside.

The options and the JSON keys are a contract (see README): add, never rename. Bad input ends with exit
status 2 and a Russian message on stderr naming the file; skipped rows are listed on stderr and the run
goes on.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import pyarrow as pa

from kpi import errors as E
from kpi import fmt, texts
from kpi.compute.assign import priority_order, split_calls, split_sheets
from kpi.compute.buhfon import BuhfonFilter, apply_buhfon_filter, buhfon_export_frame
from kpi.compute.priority import PRIORITY_COLUMNS, priority_list
from kpi.compute.quarter import share_pct
from kpi.compute.silent import ClientFilter, apply_filter, client_status, export_frame, silent_clients
from kpi.errors import Problem, ProblemError
from kpi.pipeline import (
    KIND_OPTIONS,
    ConnectView,
    all_errors,
    all_notes,
    buhfon_view,
    connect_view,
    file_warnings,
    files_json,
    forecast_for,
    read_files,
)
from kpi.read.recognise import Parsed
from kpi.read.schema import KIND_RU
from kpi.rules import DEFAULT_ITS_KINDS, DEFAULT_TZ, TARGET_PCT

EXIT_BAD_INPUT = 2


class Failed(Exception):
    """Several problems that stop the run (every refused file, not just the first)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@contextlib.contextmanager
def _russian() -> Iterator[None]:
    """argparse's own words (usage, titles, error messages) in Russian: its ``gettext`` hook answers from
    ``texts.CLI_ARGPARSE`` while the parser is built, prints help or parses."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def one(message: str) -> str:
        return texts.CLI_ARGPARSE.get(message, message)

    def many(singular: str, plural: str, n: int) -> str:
        return one(singular if n == 1 else plural)

    argparse._, argparse.ngettext = one, many  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class UsageExit(Exception):
    """A usage error found by argparse: reported in Russian with exit status 2."""

    def __init__(self, parser: argparse.ArgumentParser, message: str):
        self.parser = parser
        super().__init__(message)


class RussianParser(argparse.ArgumentParser):
    """``ArgumentParser`` that speaks Russian (help, usage, errors) and reports usage errors as values."""

    def __init__(self, *args: Any, **kwargs: Any):
        with _russian():
            super().__init__(*args, **kwargs)

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        with _russian():
            return super().parse_known_args(args, namespace)

    def format_help(self) -> str:
        with _russian():
            return super().format_help()

    def format_usage(self) -> str:
        with _russian():
            return super().format_usage()

    def add_argument_group(self, *args: Any, **kwargs: Any) -> Any:
        with _russian():
            return super().add_argument_group(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageExit(self, message)


def _month(text: str) -> pd.Period:
    try:
        return fmt.parse_month(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"месяц «{text}» не распознан: ожидается ГГГГ-ММ, например 2021-03") from exc


def _date(text: str) -> date:
    for f in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), f).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"дата «{text}» не распознана: ожидается ДД.ММ.ГГГГ или ГГГГ-ММ-ДД")


def _base(text: str) -> int:
    digits = text.replace(" ", "").replace("\u00a0", "")
    if not digits.isdigit():
        raise argparse.ArgumentTypeError(f"база клиентов «{text}» должна быть целым числом")
    return int(digits)


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def _kind(text: str) -> tuple[str, str]:
    file, sep, kind = text.rpartition("=")
    if not sep or not file.strip() or kind.strip() not in KIND_OPTIONS:
        raise argparse.ArgumentTypeError(texts.CLI_KIND_BAD.format(value=text, kinds=", ".join(KIND_OPTIONS)))
    return file.strip(), kind.strip()


def _its_kinds(text: str) -> tuple[str, ...]:
    kinds = tuple(k.strip() for k in text.split(";") if k.strip())
    if not kinds:
        raise argparse.ArgumentTypeError(texts.CLI_ITS_KINDS_EMPTY)
    return kinds


_KIND_HELP = ("прочитать ФАЙЛ как ВИД, а не как он распознан (можно несколько раз); ВИД: log — журнал "
              "коммуникаций, stats — статистика по клиентам, base — список клиентов, its — отчёт по договорам ИТС, "
              "buhfon — 1С-Бухфон, ignore — отложить файл")
_ITS_HELP = ("виды договоров ИТС, которые делают клиента клиентом ИТС, через «;»: вид подходит, если начинается "
             "с образца или содержит его отдельным словом (по умолчанию «" + ";".join(DEFAULT_ITS_KINDS) + "»)")


def _add_inputs(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kind", dest="kinds", type=_kind, action="append", default=[], metavar="ФАЙЛ=ВИД",
                   help=_KIND_HELP)


def build_parser() -> argparse.ArgumentParser:
    p = RussianParser(prog="python -m kpi", description="Показатели 1С-Коннект и 1С-Бухфон по выгрузкам.")
    sub = p.add_subparsers(dest="command", required=True, title="команды", metavar="КОМАНДА")
    c = sub.add_parser("connect", help="итоги квартала 1С-Коннект и список молчащих клиентов")
    c.add_argument("files", nargs="+", type=Path, metavar="ФАЙЛ")
    c.add_argument("--month", type=_month, metavar="ГГГГ-ММ", help="отчетный месяц ГГГГ-ММ (по умолчанию — из файлов)")
    c.add_argument("--tz", default=DEFAULT_TZ, metavar="ПОЯС", help=f"часовой пояс региона (по умолчанию {DEFAULT_TZ})")
    c.add_argument("--base", type=_base, metavar="ЧИСЛО",
                   help="всего клиентов ИТС, как в кабинете (вместо подсчёта по спискам)")
    c.add_argument("--client-type", choices=("1c", "all"), default="1c",
                   help="1c — только клиенты 1С (по умолчанию), all — все клиенты")
    c.add_argument("--json", action="store_true", help="вывести итоги одним JSON-объектом")
    c.add_argument("--silent", type=Path, metavar="OUT", help="записать молчащих клиентов в OUT.xlsx или OUT.csv")
    c.add_argument("--silent-scope", choices=("month", "quarter"), default="month",
                   help="молчащие в отчетном месяце (month, по умолчанию) или с начала квартала (quarter)")
    c.add_argument("--split", action="store_true",
                   help="с --silent OUT.xlsx: лист на каждого ответственного и лист «Сводка»")
    c.add_argument("--people", type=_names, default=[], metavar="ИМЯ,ИМЯ",
                   help="между кем делить звонки, если в данных нет «Ответственного»")
    c.add_argument("--today", type=_date, metavar="ДАТА",
                   help="«сегодня» для прогноза (по умолчанию — конец отчетного месяца или сегодня, что раньше)")
    _add_inputs(c)
    c.add_argument("--its-kinds", type=_its_kinds, default=DEFAULT_ITS_KINDS, metavar="ВИД;ВИД", help=_ITS_HELP)
    c.add_argument("--only-base", action="store_true",
                   help="считать только клиентов базы (по умолчанию учитываются и клиенты журнала вне базы, "
                        "как в отчёте кабинета)")
    pr = sub.add_parser("priority", help="молчащие в 1С-Коннект и не запускающие 1С-Бухфон — один список")
    pr.add_argument("files", nargs="+", type=Path, metavar="ФАЙЛ")
    pr.add_argument("--month", type=_month, metavar="ГГГГ-ММ", help="отчетный месяц ГГГГ-ММ (по умолчанию — из файлов)")
    pr.add_argument("--tz", default=DEFAULT_TZ, metavar="ПОЯС",
                    help=f"часовой пояс региона (по умолчанию {DEFAULT_TZ})")
    pr.add_argument("--client-type", choices=("1c", "all"), default="1c")
    pr.add_argument("--silent-scope", choices=("month", "quarter"), default="month")
    pr.add_argument("--from", dest="date_from", type=_date, metavar="ДАТА", help="начало периода 1С-Бухфон")
    pr.add_argument("--to", dest="date_to", type=_date, metavar="ДАТА", help="конец периода 1С-Бухфон")
    pr.add_argument("--out", type=Path, metavar="OUT", help="записать список в OUT.xlsx или OUT.csv")
    pr.add_argument("--json", action="store_true", help="вывести итоги одним JSON-объектом")
    _add_inputs(pr)
    pr.add_argument("--its-kinds", type=_its_kinds, default=DEFAULT_ITS_KINDS, metavar="ВИД;ВИД", help=_ITS_HELP)
    pr.add_argument("--only-base", action="store_true", help="считать только клиентов базы")
    b = sub.add_parser("buhfon", help="пользователи 1С-Бухфон без запуска программы в периоде")
    b.add_argument("files", nargs="+", type=Path, metavar="ФАЙЛ")
    b.add_argument("--from", dest="date_from", type=_date, metavar="ДАТА", help="начало периода")
    b.add_argument("--to", dest="date_to", type=_date, metavar="ДАТА", help="конец периода")
    b.add_argument("--json", action="store_true", help="вывести итоги одним JSON-объектом")
    b.add_argument("--out", type=Path, metavar="OUT", help="записать список в OUT.xlsx или OUT.csv")
    _add_inputs(b)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageExit as exc:
        exc.parser.print_usage(sys.stderr)
        print(texts.CLI_ERROR.format(prog=exc.parser.prog, message=exc), end="", file=sys.stderr)
        if "--json" in argv:
            _print_json({"error": E.make("usage", None, message=str(exc)).to_json()})
        raise SystemExit(EXIT_BAD_INPUT) from None
    try:
        if args.command == "connect":
            return _connect(args)
        if args.command == "priority":
            return _priority(args)
        return _buhfon(args)
    except (ProblemError, Failed) as err:
        problems = err.problems if isinstance(err, Failed) else [err.problem]
        for problem in problems:
            print(f"Ошибка: {problem}", file=sys.stderr)
        if args.json:
            out: dict[str, object] = {"error": problems[0].to_json()}
            if len(problems) > 1:
                out["errors"] = [p.to_json() for p in problems]
            _print_json(out)
        return EXIT_BAD_INPUT


def _print_json(out: dict[str, object]) -> None:
    print(json.dumps(out, ensure_ascii=False))


def _kinds(args: argparse.Namespace) -> dict[str, str]:
    """``--kind FILE=KIND`` → {file name as read: kind}; FILE is a file's name or the path as given."""
    out: dict[str, str] = {}
    for file, kind in getattr(args, "kinds", []):
        match = [p for p in args.files if file in (str(p), p.name) or Path(file).resolve() == p.resolve()]
        if not match:
            raise E.compute_fail("usage", file, message=texts.CLI_KIND_NO_FILE.format(value=f"{file}={kind}"))
        for p in match:
            out[p.name] = kind
    return out


def reuse_freed_memory() -> None:
    """Let glibc's malloc hand freed memory to the next array instead of returning it to the kernel.

    By default every block over the mmap threshold (128 KiB, rising to 32 MiB) is a fresh ``mmap`` and its
    ``munmap`` on free: the next array of a million rows faults in and zeroes every page again. A run of the
    CLI makes hundreds of such arrays, one after another; on the 1 M-row per-client export that was 1.5–2 s of
    kernel time out of ~6 s (bench/NOTES.md). Large blocks from the heap and a high trim threshold keep the
    pages: the same peak memory, a fraction of the kernel time. Called by ``python -m kpi`` only (not by ``main``,
    which tests and the app may call in their own process); without glibc nothing changes.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    mallopt(-4, 0)  # M_MMAP_MAX: no block gets its own mmap
    mallopt(-1, 1 << 30)  # M_TRIM_THRESHOLD: keep up to 1 GiB of freed memory at the heap's top
    # pyarrow's own allocator (mimalloc) returns freed pages to the kernel as eagerly: Arrow's buffers (the
    # CSV's columns, every hash table and ``take``) go through the same glibc heap instead. Kernel time of the
    # 1 M-row export 1.3–1.8 → 0.55–0.7 s, wall −0.4 s (bench/NOTES.md, «Speed round 3»).
    if not os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):  # (unless the user chose Arrow's pool)
        pa.set_memory_pool(pa.system_memory_pool())


def finish(code: int | None) -> NoReturn:
    """End ``python -m kpi`` with ``code`` once its output is out, without freeing what the run built.

    The interpreter's own shutdown tears down every module and object one by one (~0.2 s after a million-row
    run) only to hand the memory back to the kernel, which the process's exit does at once. Streams are
    flushed first; nothing of ours registers an ``atexit`` hook. A tool that reports at exit (a profiler,
    coverage) therefore sees nothing from ``python -m kpi``: run it on a script that calls ``main()``.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)


def _read(args: argparse.Namespace, tz: str) -> list[Parsed]:
    files = []
    for path in args.files:
        try:
            files.append((path.name, path.read_bytes()))
        except OSError as exc:
            raise E.fail("file-unopenable", path.name, reason=exc.strerror or str(exc)) from exc
    parsed = read_files(files, tz, _kinds(args))
    errors = all_errors(parsed)
    if errors:
        raise Failed([e.problem for e in errors])
    return parsed


def _write(path: Path, frame: pd.DataFrame, sheet: str) -> None:
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise E.compute_fail("output-format", path.name)
    from kpi.write import export  # only runs that write a file pay for the writer's imports

    _save(path, export.to_xlsx_bytes(frame, sheet_name=sheet) if suffix == ".xlsx" else export.to_csv_bytes(frame))


def _write_sheets(path: Path, sheets: list[tuple[str, pd.DataFrame]]) -> None:
    from kpi.write import export

    _save(path, export.sheets_to_xlsx_bytes(sheets))


def _save(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise E.compute_fail("output-unwritable", path.name, reason=exc.strerror or str(exc)) from exc


def _print_notes(parsed: list[Parsed], extra: list | None = None, warnings: list[Problem] | None = None) -> None:
    for note in [*(warnings or []), *all_notes(parsed), *(extra or [])]:
        print(f"Внимание: {note}", file=sys.stderr)


def _json_value(v: object) -> object:
    if v is None or isinstance(v, bool | int | float | str):
        return v
    return str(v)


def warnings_json(warnings: list[Problem]) -> list[dict[str, object]]:
    """``[{"code","file","sheet","row","column","message","params"}]``: each warning, its message's values
    under ``params`` (``count`` of ``log-not-in-base`` …)."""
    return [{**w.to_json(), "params": {k: _json_value(v) for k, v in w.param.items()}} for w in warnings]


def _check_tz(tz: str) -> None:
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise E.compute_fail("tz-unknown", tz=tz) from exc


def _connect_view(args: argparse.Namespace, base: int | None = None) -> tuple[list[Parsed], ConnectView]:
    _check_tz(args.tz)
    parsed = _read(args, args.tz)
    view = connect_view(parsed, args.month, args.client_type, base, args.its_kinds, args.only_base)
    if view.data.errors:
        raise Failed([e.problem for e in view.data.errors])
    _print_notes(parsed, view.data.notes, view.warnings)
    return parsed, view


def _connect(args: argparse.Namespace) -> int:
    if args.split and (not args.silent or args.silent.suffix.lower() != ".xlsx"):
        raise E.compute_fail("split-needs-xlsx")
    parsed, view = _connect_view(args, args.base)
    forecast = forecast_for(view, args.today)
    if args.silent:
        rows = silent_clients(view.data, view.month, args.silent_scope, args.client_type)
        if args.split:
            split = split_calls(rows, args.people)
            _write_sheets(args.silent, split_sheets(split, lambda r: export_frame(r, view.data)))
        else:
            _write(args.silent, export_frame(rows, view.data), "Молчащие клиенты")
    if args.json:
        out = view.summary.to_json()
        out["forecast_pct"] = forecast.forecast_pct if forecast else None
        out["needed_per_workday"] = forecast.needed_per_workday if forecast else None
        out["forecast_as_of"] = forecast.as_of.isoformat() if forecast else None
        out["files"] = files_json(parsed)
        out["warnings"] = warnings_json(view.warnings)
        out["log_clients_not_in_base"] = view.log_clients_not_in_base
        out["vendor_summary"] = view.vendor_summary.to_json() if view.vendor_summary is not None else None
        _print_json(out)
        return 0
    s = view.summary
    print(f"1С-Коннект: {fmt.month_label(s.month)}, {fmt.quarter_label(s.quarter)} (месяц {s.month_in_quarter} из 3)")
    for p in parsed:
        r = p.report
        if r.set_aside is not None:
            reason = texts.SET_ASIDE_REASON.get(r.set_aside.code, r.set_aside.message)
            print(f"  {texts.FILE_SET_ASIDE.format(file=r.file, reason=reason)}")
        elif r.kind is not None:
            print(f"  {r.file}: {KIND_RU.get(r.kind, str(r.kind))}, строк {fmt.fmt_int(r.rows_used)} из "
                  f"{fmt.fmt_int(r.rows_read)}")
    v = view.vendor_summary
    if v is not None:
        when = texts.CLI_VENDOR_DATE.format(date=fmt.fmt_date(v.base_date)) if v.base_date else ""
        print(texts.CLI_VENDOR.format(base=fmt.fmt_int(v.base), date=when, auth=fmt.fmt_int(v.authorized_window),
                                      active=fmt.fmt_int(v.active_window)))
    print(f"Всего клиентов ИТС (база, {texts.BASE_SOURCE_CLI.get(s.base_source, s.base_source)}): "
          f"{fmt.fmt_int(s.base)}")
    print(f"Клиентов с коммуникациями в отчетном, -1 или -2 месяцах (как в отчёте кабинета): "
          f"{fmt.fmt_int(s.active_window)} ({fmt.fmt_pct(share_pct(s.active_window, s.base))})")
    if s.authorized_window is not None:
        print(f"Клиентов с авторизацией в отчетном, -1 и -2 месяцах: {fmt.fmt_int(s.authorized_window)} "
              f"({fmt.fmt_pct(share_pct(s.authorized_window, s.base))})")
    print(f"Клиентов с коммуникациями с начала квартала: {fmt.fmt_int(s.active_qtd)} "
          f"({fmt.fmt_pct(share_pct(s.active_qtd, s.base))})")
    print(f"Ориентир месяца: {fmt.fmt_pct(s.milestone_pct, 0)} — {fmt.fmt_int(s.milestone_count)} "
          f"{fmt.plural_ru(s.milestone_count, ('клиент', 'клиента', 'клиентов'))}; норматив квартала "
          f"{fmt.fmt_pct(TARGET_PCT, 0)} — {fmt.fmt_int(s.target_count)}")
    if view.log_clients_not_in_base:
        print(texts.CLI_NOT_IN_BASE.format(count=fmt.fmt_int(view.log_clients_not_in_base)))
    if s.base <= 0:
        print(texts.CLI_BASE_ZERO)
    elif s.milestone_met:
        print("Ориентир месяца выполнен.")
    else:
        print(f"До ориентира месяца не хватает {fmt.fmt_int(s.clients_needed)} "
              f"{fmt.plural_ru(s.clients_needed, ('клиента', 'клиентов', 'клиентов'))}.")
    if forecast is not None:
        print(f"Прогноз на {fmt.fmt_date(forecast.as_of)}: {forecast.message_ru}")
    return 0


def _buhfon(args: argparse.Namespace) -> int:
    parsed = _read(args, DEFAULT_TZ)
    data, result = buhfon_view(parsed, args.date_from, args.date_to)
    warnings = file_warnings(parsed)
    _print_notes(parsed, warnings=warnings)
    if args.out:
        rows = apply_buhfon_filter(result.table, BuhfonFilter())
        _write(args.out, buhfon_export_frame(rows, data), "Не запускали 1С-Бухфон")
    if args.json:
        _print_json({**result.to_json(), "files": files_json(parsed), "warnings": warnings_json(warnings)})
        return 0
    period = " – ".join(fmt.fmt_date(d) for d in (result.period_from, result.period_to) if d) or "период не указан"
    print(f"1С-Бухфон: {period}")
    print(f"Пользователей: {fmt.fmt_int(result.users)}")
    print(f"Без запуска программы в периоде: {fmt.fmt_int(result.not_launched)}, из них ни разу не запускали: "
          f"{fmt.fmt_int(result.never_launched)}")
    for r in result.by_category().itertuples():
        if r.not_launched:
            print(f"  {r.category}: {fmt.fmt_int(int(r.not_launched))}")
    return 0


def _priority(args: argparse.Namespace) -> int:
    parsed, view = _connect_view(args)
    _, buhfon = buhfon_view(parsed, args.date_from, args.date_to)
    status = client_status(view.data, view.month)
    f = ClientFilter(client_type=args.client_type, no_comm_month=args.silent_scope == "month",
                     no_comm_quarter=args.silent_scope == "quarter")
    result = priority_list(status, apply_filter(status, f), buhfon)
    if args.out:
        rows = priority_order(result.rows)
        frame = export_frame(rows, view.data)
        for c in PRIORITY_COLUMNS:
            frame[c] = rows[c].to_numpy()
        _write(args.out, frame, "Приоритетный обзвон")
    if args.json:
        _print_json({"month": str(view.month), **result.to_json(), "files": files_json(parsed),
                     "warnings": warnings_json(view.warnings)})
        return 0
    print(f"Молчащие в 1С-Коннект ({fmt.month_label(view.month)}) и без запуска 1С-Бухфон: "
          f"{fmt.fmt_int(len(result.rows))}")
    for line in result.unmatched_ru():
        print(f"  {line}")
    return 0
