"""Texts the pages show: status in words, headings, the rules page — all built from ``kpi`` values.

Anything that came from a file (names, cell values inside error messages) goes through ``md_escape``
before it reaches a Markdown element, so a client called ``<script>…`` or ``**жирный**`` stays text.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from kpi import rules
from kpi.compute.forecast import Forecast
from kpi.compute.quarter import QuarterSummary, qtd_months, window_months
from kpi.fmt import NBSP, fmt_date, fmt_int, fmt_pct, month_label, plural_ru, quarter_label

_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character

CLIENTS = ("клиент", "клиента", "клиентов")
CLIENTS_GEN = ("клиента", "клиентов", "клиентов")  # after «не хватает»: 1 клиента, 2 клиентов
CLIENT_TYPE_NAMES = {"1c": rules.CLIENT_TYPE_1C, "all": rules.CLIENT_TYPE_ALL}
WINDOW_LABEL = "Как в отчёте кабинета (отчетный, -1 и -2 месяцы)"
WINDOW_TITLE = "Как в отчёте кабинета"
QTD_LABEL = "С начала квартала"


def md_escape(text: str) -> str:
    """Text safe to pass to a Markdown element: punctuation backslash-escaped, line breaks kept."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", "  \n")


def sentence(text: str) -> str:
    """A message from ``kpi`` as a sentence: «нет ни одной выгрузки…» → «Нет ни одной выгрузки…»."""
    return text[:1].upper() + text[1:]


def clients(n: int) -> str:
    return f"{fmt_int(n)} {plural_ru(n, CLIENTS)}"


def short_of(n: int) -> str:
    """«не хватает 24 клиентов», «не хватает 1 клиента»."""
    return f"не хватает {fmt_int(n)} {plural_ru(n, CLIENTS_GEN)}"


def months_span(months: list) -> str:
    """«октябрь–ноябрь 2026», «ноябрь 2026», «сентябрь–ноябрь 2026», «ноябрь 2026 – январь 2027»."""
    first, last = months[0], months[-1]
    if first == last:
        return month_label(first)
    if first.year == last.year:
        return f"{month_label(first).split()[0]}–{month_label(last)}"
    return f"{month_label(first)} – {month_label(last)}"


def qtd_span(s: QuarterSummary) -> str:
    return months_span(qtd_months(s.month))


def window_span(s: QuarterSummary) -> str:
    return months_span(window_months(s.month))


def heading(s: QuarterSummary) -> str:
    k = s.month_in_quarter
    return (f"{quarter_label(s.quarter)} · отчетный месяц: {month_label(s.month)} ({k}-й месяц квартала)")


BASE_SOURCE_RU = {"typed": "введена вручную", "vendor_summary": "из отчёта кабинета",
                  "its_contracts": "по отчёту по договорам ИТС", "base_list": "по списку клиентов ИТС",
                  "client_stats": "по статистике по клиентам"}


def base_text(s: QuarterSummary) -> str:
    who = rules.CLIENT_TYPE_ALL.lower() if s.client_type == "all" else rules.CLIENT_TYPE_1C
    return f"База: {clients(s.base)} ({who}, {BASE_SOURCE_RU.get(s.base_source, s.base_source)})"


def status_messages(s: QuarterSummary) -> list[tuple[str, str]]:
    """(level, text) lines: level is ``success``, ``warning`` or ``info`` (a Streamlit box name)."""
    ms = fmt_pct(s.milestone_pct, 0)
    target = fmt_pct(rules.TARGET_PCT, 0)
    if s.base <= 0:
        return [("warning", "База клиентов равна нулю: проценты не считаются. Введите базу из кабинета.")]
    out: list[tuple[str, str]] = []
    if s.target_met:
        out.append(("success", f"Норматив квартала выполнен: {clients(s.active_qtd)} из {fmt_int(s.target_count)} "
                               f"нужных ({target})."))
        return out
    if s.milestone_met:
        out.append(("success", f"Ориентир месяца выполнен: {clients(s.active_qtd)} при ориентире "
                               f"{fmt_int(s.milestone_count)} ({ms})."))
    else:
        out.append(("warning", f"До ориентира месяца {short_of(s.clients_needed)}: "
                               f"{fmt_int(s.active_qtd)} из {fmt_int(s.milestone_count)} ({ms} базы)."))
    left = max(0, s.target_count - s.active_qtd)
    out.append(("info", f"До норматива квартала ({target}, {clients(s.target_count)}) {short_of(left)}."))
    return out


EXAMPLE_BASE = 274


def about_markdown() -> str:
    """The rules in plain Russian, every number taken from ``kpi.rules``."""
    target = fmt_pct(rules.TARGET_PCT, 0)
    ms = [fmt_pct(rules.milestone_pct(k), 0) for k in range(1, rules.MONTHS_IN_QUARTER + 1)]
    n = rules.MONTHS_IN_QUARTER
    fractions = ", ".join(f"{k}/{n}" for k in range(1, n + 1))
    window = rules.VENDOR_WINDOW_MONTHS
    return f"""
### Что считается
Клиент считается активным, если в квартале у него была хотя бы одна **коммуникация через 1С-Коннект** —
сообщение в чате, звонок или удалённое подключение, неважно, кто её начал: клиент или ваш специалист.

### Норматив квартала
По итогам квартала активных клиентов должно быть **не менее {target}** от базы. Считаются клиенты выбранного
типа: по умолчанию «{rules.CLIENT_TYPE_1C}», можно выбрать «{rules.CLIENT_TYPE_ALL}». Если в файле нет
столбца «Тип клиента», все его клиенты считаются клиентами 1С. Доля может быть больше 100 %: в числителе все
клиенты с коммуникациями, даже если их нет в базе.

### База
База — число клиентов ИТС «по состоянию на дату», как в строке отчёта кабинета «Всего клиентов ИТС (по
состоянию на …, контроль норматива)». Её можно ввести в боковой панели; если поле пустое, база считается по
загруженному списку клиентов ИТС, а без него — по статистике использования 1С-Коннект по клиентам.

### Ориентиры месяцев
Чтобы подходить к нормативу равномерно, после каждого месяца квартала число активных клиентов с начала
квартала должно достигнуть {fractions} от норматива, то есть **{", ".join(ms)}** базы. «Не менее» — значит
ровно столько тоже достаточно. Нужное число клиентов округляется вверх: например, при базе
{fmt_int(EXAMPLE_BASE)} ориентир {ms[1]} — это {clients(rules.milestone_count(EXAMPLE_BASE, 2))}.

### Отчёт кабинета и «с начала квартала»
Отчёт кабинета за месяц считает клиентов с коммуникациями «в отчетном, -1 или -2 месяцах» — скользящее окно
из {window} месяцев, которое в первом и втором месяце квартала захватывает конец прошлого квартала. Приложение
показывает это число отдельно (подпись «как в отчёте кабинета»), чтобы его можно было сверить с кабинетом,
а ориентиры и норматив проверяет по числу **с начала квартала**: именно оно засчитывается по итогам
квартала. В последнем месяце квартала оба числа совпадают.

### Месяцы и часовой пояс
Месяцы — календарные, по часовому поясу вашего региона (по умолчанию {rules.DEFAULT_TZ}): время с указанным
поясом (например, `…Z` или `+03:00`) переводится в него, время без пояса считается уже местным.

### Кому звонить
Список «молчащих» клиентов — это клиенты из базы, у которых нет коммуникаций в отчетном месяце (фильтр
«Коммуникации в отчетном месяце = Нет», как советует инструкция вендора) или с начала квартала. Обратитесь к
ним через 1С-Коннект сами и спросите, нет ли сложностей в работе с программами 1С.

### Темп и прогноз
Рядом со шкалами — прогноз доли к концу квартала при текущем темпе: клиенты с коммуникациями с начала
квартала делятся на прошедшие **рабочие** дни (производственный календарь РФ — выходные, праздники и
переносы) и продолжаются на оставшиеся рабочие дни. «Сейчас» — конец отчетного месяца или сегодня, что
раньше. Там же — сколько клиентов нужно в каждый оставшийся рабочий день, чтобы выйти на {target}
(округлено вверх). Пока прошло меньше 5 рабочих дней квартала, прогноза нет: так и написано.

### Распределить звонки и приоритетный обзвон
Список молчащих клиентов можно разделить между сотрудниками: клиент остаётся у своего ответственного
(столбец «Ответственный») или у специалиста, который обслуживал его последним, остальные делятся поровну;
в файле — лист на каждого, сначала клиенты, звонок которым важнее. Страница «Приоритетный обзвон» сводит
1С-Коннект и 1С-Бухфон: клиенты, которые молчат и чьи пользователи не запускали 1С-Бухфон.

### История
Кнопка «Сохранить итоги месяца» на странице «История» сохраняет только числа месяца (база, активные
клиенты, доля, ориентир) — без названий и контактов клиентов — в файл на этом компьютере. По ним строится
доля по месяцам разных кварталов и изменение с прошлого сохранённого месяца.

### 1С-Бухфон
Пользователь не запускал программу, если в отчёте «Статистика подключения пользователей» в столбце
«Авторизация в отчетный период» стоит «Нет». Пустая «Дата последней авторизации» значит, что программа
не запускалась ни разу: таким пользователям стоит позвонить в первую очередь.
"""


USERS = ("пользователь", "пользователя", "пользователей")


# ---- pace forecast ----------------------------------------------------------------------------------

FORECAST_LABEL = "Прогноз к концу квартала"
PER_DAY_LABEL = "Нужно в рабочий день"
DAYS_LEFT_LABEL = "Рабочих дней осталось"
TOO_LITTLE = "мало данных"
FORECAST_HELP = ("Темп — клиенты с коммуникациями с начала квартала, делённые на прошедшие рабочие дни "
                 "(производственный календарь РФ: выходные, праздники и переносы). Прогноз — тот же темп на "
                 "оставшиеся рабочие дни; больше базы не бывает. Меньше 5 рабочих дней — прогноза нет.")


def fmt_decimal(x: float, digits: int = 1) -> str:
    """2.9 → «2,9»; a whole number without decimals: 3.0 → «3»."""
    if float(x).is_integer():
        return fmt_int(int(x))
    return f"{x:.{digits}f}".replace(".", ",")


def forecast_metrics(f: Forecast) -> list[tuple[str, str, str, str | None]]:
    """(label, value, help, delta) of the three numbers beside the gauges; the forecast's delta is its
    distance from the target in percentage points (a leading ASCII «-» makes Streamlit draw it red)."""
    pct = TOO_LITTLE if f.forecast_pct is None else fmt_pct(f.forecast_pct)
    delta = None
    if f.forecast_pct is not None:
        d = round(f.forecast_pct - rules.TARGET_PCT, 1)
        delta = f"{'-' if d < 0 else '+'}{fmt_decimal(abs(d))}{NBSP}п.{NBSP}п. от норматива"
    if f.needed_per_workday is None:
        per_day = "—"
        per_help = f"Рабочие дни квартала закончились; не хватило {clients(f.needed_total)}."
    elif f.needed_total == 0:
        per_day = "0"
        per_help = "Норматив квартала уже выполнен."
    else:
        x = f.needed_per_workday
        per_day = f"{fmt_decimal(x)} {plural_ru(x, CLIENTS)}"
        per_help = (f"Клиентов с первой коммуникацией в квартале — в каждый оставшийся рабочий день. До норматива "
                    f"{rules.TARGET_PCT} % нужно ещё {clients(f.needed_total)}; число округлено вверх, так что "
                    "этого темпа хватит.")
    days_help = f"Прошло рабочих дней квартала: {fmt_int(f.workdays_elapsed)} (по {fmt_date(f.as_of)} включительно)."
    return [(FORECAST_LABEL, pct, FORECAST_HELP, delta), (PER_DAY_LABEL, per_day, per_help, None),
            (DAYS_LEFT_LABEL, fmt_int(f.workdays_left), days_help, None)]


def forecast_caption(f: Forecast) -> str:
    """«На 20.11.2026: при текущем темпе…» (``message_ru`` is a sentence; here it follows a colon)."""
    return f"На {fmt_date(f.as_of)}: {f.message_ru[:1].lower()}{f.message_ru[1:]}"


# ---- history ----------------------------------------------------------------------------------------


def _signed(n: int) -> str:
    """+12, −3 (a true minus), 0."""
    return f"+{fmt_int(n)}" if n > 0 else (f"−{fmt_int(-n)}" if n < 0 else "0")


def _signed_pp(x: float) -> str:
    text = fmt_decimal(abs(x))
    sign = "+" if x > 0 else ("−" if x < 0 else "")
    return f"{sign}{text}{NBSP}п.{NBSP}п."


def change_text(change: dict[str, object]) -> list[str]:
    """Lines about the change since the previous saved month (``kpi.write.history.change_since_last``)."""
    prev = month_label(pd.Period(str(change["previous_month"]), freq="M"))
    saved = str(change.get("previous_saved_at") or "")[:10]
    when = f", сохранено {fmt_date(date.fromisoformat(saved))}" if _is_iso_date(saved) else ""
    qtd = int(change["active_qtd"])  # type: ignore[call-overload]
    lines = [f"С прошлого сохранённого месяца ({prev}{when}): с начала квартала {_signed(qtd)} "
             f"{plural_ru(abs(qtd), CLIENTS)} ({_signed_pp(float(change['active_qtd_pct']))}), "  # type: ignore[arg-type]
             f"как в отчёте кабинета {_signed(int(change['active_window']))}, "  # type: ignore[call-overload]
             f"база {_signed(int(change['base']))}."]  # type: ignore[call-overload]
    if not change.get("same_quarter", True):
        lines.append("Прошлый месяц — из другого квартала: счёт «с начала квартала» начинается заново, "
                     "так что снижение ожидаемо.")
    return lines


def _is_iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
