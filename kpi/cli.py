"""``python -m kpi``: the figures for scheduled runs and for checking the numbers from outside.

The options and the JSON keys are a contract (see README): add, never rename. Bad input ends with exit
status 2 and a Russian message on stderr naming the file; skipped rows are listed on stderr and the run
goes on.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from kpi import fmt
from kpi.compute.assign import priority_order, split_calls, split_sheets
from kpi.compute.buhfon import BuhfonFilter, apply_buhfon_filter, buhfon_export_frame
from kpi.compute.priority import PRIORITY_COLUMNS, priority_list
from kpi.compute.quarter import share_pct
from kpi.compute.silent import ClientFilter, apply_filter, client_status, export_frame, silent_clients
from kpi.errors import ComputeError, InputError
from kpi.pipeline import ConnectView, all_errors, all_notes, buhfon_view, connect_view, forecast_for, read_files
from kpi.read.recognise import Parsed
from kpi.read.schema import KIND_RU
from kpi.rules import DEFAULT_TZ, TARGET_PCT

EXIT_BAD_INPUT = 2


class UsageError(Exception):
    """A bad option value: reported like bad input, in Russian, with exit status 2."""


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


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m kpi", description="Показатели 1С-Коннект и 1С-Бухфон по выгрузкам.")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("connect", help="итоги квартала 1С-Коннект и список молчащих клиентов")
    c.add_argument("files", nargs="+", type=Path, metavar="FILE")
    c.add_argument("--month", type=_month, help="отчетный месяц ГГГГ-ММ (по умолчанию — из файлов)")
    c.add_argument("--tz", default=DEFAULT_TZ, help=f"часовой пояс региона (по умолчанию {DEFAULT_TZ})")
    c.add_argument("--base", type=_base, help="всего клиентов ИТС, как в кабинете (вместо подсчёта по спискам)")
    c.add_argument("--client-type", choices=("1c", "all"), default="1c")
    c.add_argument("--json", action="store_true", help="вывести итоги одним JSON-объектом")
    c.add_argument("--silent", type=Path, metavar="OUT", help="записать молчащих клиентов в OUT.xlsx или OUT.csv")
    c.add_argument("--silent-scope", choices=("month", "quarter"), default="month")
    c.add_argument("--split", action="store_true",
                   help="с --silent OUT.xlsx: лист на каждого ответственного и лист «Сводка»")
    c.add_argument("--people", type=_names, default=[], metavar="ИМЯ,ИМЯ",
                   help="между кем делить звонки, если в данных нет «Ответственного»")
    c.add_argument("--today", type=_date, help="«сегодня» для прогноза (по умолчанию — конец отчетного месяца "
                                               "или сегодня, что раньше)")
    pr = sub.add_parser("priority", help="молчащие в 1С-Коннект и не запускающие 1С-Бухфон — один список")
    pr.add_argument("files", nargs="+", type=Path, metavar="FILE")
    pr.add_argument("--month", type=_month)
    pr.add_argument("--tz", default=DEFAULT_TZ)
    pr.add_argument("--client-type", choices=("1c", "all"), default="1c")
    pr.add_argument("--silent-scope", choices=("month", "quarter"), default="month")
    pr.add_argument("--from", dest="date_from", type=_date)
    pr.add_argument("--to", dest="date_to", type=_date)
    pr.add_argument("--out", type=Path, metavar="OUT", help="записать список в OUT.xlsx или OUT.csv")
    pr.add_argument("--json", action="store_true")
    b = sub.add_parser("buhfon", help="пользователи 1С-Бухфон без запуска программы в периоде")
    b.add_argument("files", nargs="+", type=Path, metavar="FILE")
    b.add_argument("--from", dest="date_from", type=_date, help="начало периода")
    b.add_argument("--to", dest="date_to", type=_date, help="конец периода")
    b.add_argument("--json", action="store_true")
    b.add_argument("--out", type=Path, metavar="OUT", help="записать список в OUT.xlsx или OUT.csv")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "connect":
            return _connect(args)
        if args.command == "priority":
            return _priority(args)
        return _buhfon(args)
    except (InputError, ComputeError, UsageError) as err:
        print(f"Ошибка: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _read(paths: list[Path], tz: str) -> list[Parsed]:
    files = []
    for path in paths:
        try:
            files.append((path.name, path.read_bytes()))
        except OSError as exc:
            raise InputError(path.name, f"файл не открывается ({exc.strerror or exc}).") from exc
    parsed = read_files(files, tz)
    errors = all_errors(parsed)
    if errors:
        raise errors[0] if len(errors) == 1 else InputError(
            errors[0].file, errors[0].message + "".join(f"\nОшибка: {e}" for e in errors[1:]))
    return parsed


def _write(path: Path, frame: pd.DataFrame, sheet: str) -> None:
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UsageError(f"файл «{path.name}»: можно записать только .xlsx или .csv")
    from kpi.write import export  # only runs that write a file pay for the writer's imports

    _save(path, export.to_xlsx_bytes(frame, sheet_name=sheet) if suffix == ".xlsx" else export.to_csv_bytes(frame))


def _write_sheets(path: Path, sheets: list[tuple[str, pd.DataFrame]]) -> None:
    from kpi.write import export

    _save(path, export.sheets_to_xlsx_bytes(sheets))


def _save(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise UsageError(f"файл «{path.name}» не записан: {exc.strerror or exc}") from exc


def _print_notes(parsed: list[Parsed], extra: list | None = None) -> None:
    for note in [*all_notes(parsed), *(extra or [])]:
        print(f"Внимание: {note}", file=sys.stderr)


def _check_tz(tz: str) -> None:
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UsageError(f"часовой пояс «{tz}» не найден: укажите имя IANA, например Asia/Novosibirsk") from exc


def _connect_view(args: argparse.Namespace, base: int | None = None) -> tuple[list[Parsed], ConnectView]:
    _check_tz(args.tz)
    parsed = _read(args.files, args.tz)
    view = connect_view(parsed, args.month, args.client_type, base)
    if view.data.errors:
        raise view.data.errors[0]
    _print_notes(parsed, view.data.notes)
    return parsed, view


def _connect(args: argparse.Namespace) -> int:
    if args.split and (not args.silent or args.silent.suffix.lower() != ".xlsx"):
        raise UsageError("--split пишет книгу по сотрудникам: укажите --silent OUT.xlsx")
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
        print(json.dumps(out, ensure_ascii=False))
        return 0
    s = view.summary
    print(f"1С-Коннект: {fmt.month_label(s.month)}, {fmt.quarter_label(s.quarter)} (месяц {s.month_in_quarter} из 3)")
    for p in parsed:
        r = p.report
        if r.kind is not None:
            print(f"  {r.file}: {KIND_RU[r.kind]}, строк {fmt.fmt_int(r.rows_used)} из {fmt.fmt_int(r.rows_read)}")
    print(f"Всего клиентов ИТС (база): {fmt.fmt_int(s.base)}")
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
    if s.milestone_met:
        print("Ориентир месяца выполнен.")
    else:
        print(f"До ориентира месяца не хватает {fmt.fmt_int(s.clients_needed)} "
              f"{fmt.plural_ru(s.clients_needed, ('клиента', 'клиентов', 'клиентов'))}.")
    if forecast is not None:
        print(f"Прогноз на {fmt.fmt_date(forecast.as_of)}: {forecast.message_ru}")
    return 0


def _buhfon(args: argparse.Namespace) -> int:
    parsed = _read(args.files, DEFAULT_TZ)
    data, result = buhfon_view(parsed, args.date_from, args.date_to)
    _print_notes(parsed)
    if args.out:
        rows = apply_buhfon_filter(result.table, BuhfonFilter())
        _write(args.out, buhfon_export_frame(rows, data), "Не запускали 1С-Бухфон")
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
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
        print(json.dumps({"month": str(view.month), **result.to_json()}, ensure_ascii=False))
        return 0
    print(f"Молчащие в 1С-Коннект ({fmt.month_label(view.month)}) и без запуска 1С-Бухфон: "
          f"{fmt.fmt_int(len(result.rows))}")
    for line in result.unmatched_ru():
        print(f"  {line}")
    return 0
