"""Texts the pages show: status in words, headings, the rules page — all built from ``kpi`` values.

Anything that came from a file (names, cell values inside error messages) goes through ``md_escape``
before it reaches a Markdown element, so a client called ``<script>…`` or ``**жирный**`` stays text.
"""

from __future__ import annotations

import re

from kpi import rules
from kpi.fmt import fmt_int, fmt_pct, month_label, plural_ru, quarter_label
from kpi.quarter import QuarterSummary, qtd_months, window_months

_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character

CLIENTS = ("клиент", "клиента", "клиентов")
CLIENTS_GEN = ("клиента", "клиентов", "клиентов")  # after «не хватает»: 1 клиента, 2 клиентов
CLIENT_TYPE_NAMES = {"1c": rules.CLIENT_TYPE_1C, "all": rules.CLIENT_TYPE_ALL}
WINDOW_LABEL = "Как в отчёте кабинета (отчетный, -1 и -2 месяцы)"
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


BASE_SOURCE_RU = {"typed": "введена вручную", "list": "по списку клиентов ИТС",
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

### 1С-Бухфон
Пользователь не запускал программу, если в отчёте «Статистика подключения пользователей» в столбце
«Авторизация в отчетный период» стоит «Нет». Пустая «Дата последней авторизации» значит, что программа
не запускалась ни разу: таким пользователям стоит позвонить в первую очередь.
"""


USERS = ("пользователь", "пользователя", "пользователей")
