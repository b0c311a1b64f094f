"""Every Russian text a user reads, in one catalogue: problem messages (by code), labels, help.

Code never compares these strings: tests, the CLI's JSON and the app read the stable codes
(``kpi.errors``), and a text can be reworded here without touching anything else. Templates use
``str.format`` fields; the values that fill them come from the problem (``kpi.errors.Problem.param``).
"""

from __future__ import annotations

# --- where a problem is ----------------------------------------------------------------------------------
LOC_FILE = "файл «{file}»"
LOC_SHEET = "лист «{sheet}»"
LOC_ROW = "строка {row}"
LOC_COLUMN = "столбец «{column}»"

_RESAVE = "Откройте файл в Excel и сохраните как «Книга Excel (.xlsx)», затем загрузите его заново."
_AS_IS = "Загрузите выгрузку отчёта в формате Excel (.xlsx) или CSV."
_OVERRIDE = ("Если это не так, выберите вид файла на странице «Данные» (в командной строке: "
             "--kind ФАЙЛ=ВИД).")

#: code → message template. Codes are stable (the CLI's JSON carries them): add, never rename.
PROBLEMS: dict[str, str] = {
    # --- a file refused while reading (error) ---
    "file-too-large": "файл больше допустимого ({size_mb} МБ, предел {limit_mb} МБ). Сформируйте отчёт за меньший "
                      "период.",
    "file-empty": "файл пуст. Выгрузите отчёт заново и загрузите его ещё раз.",
    "file-image": "это изображение или PDF, а не таблица. " + _AS_IS,
    "file-html": "это веб-страница (HTML), а не книга Excel, хотя имя файла может оканчиваться на .xls. " + _RESAVE,
    "file-xml2003": "это «Таблица XML 2003»: такой формат не читается. " + _RESAVE,
    "file-xml": "это XML-документ, а не таблица. " + _AS_IS,
    "file-binary": "файл не похож на таблицу (двоичные данные). " + _AS_IS,
    "zip-empty": "это пустой архив, а не книга Excel. Выгрузите отчёт заново.",
    "zip-too-many-parts": "в архиве книги Excel слишком много частей (допустимо {limit}). Файл не прочитан: он "
                          "повреждён или опасен. " + _RESAVE,
    "zip-not-workbook": "это архив, но не книга Excel (.xlsx) или OpenDocument (.ods). " + _AS_IS,
    "zip-bomb": "книга Excel при распаковке занимает {size_mb} МБ — больше допустимого ({limit_mb} МБ). Файл не "
                "прочитан: он может быть повреждён или опасен (так называемая zip-бомба). Если это настоящий отчёт, "
                "сформируйте его за меньший период.",
    "file-damaged": "файл Excel повреждён или сохранён не полностью. Откройте его в Excel, сохраните заново и "
                    "загрузите ещё раз.",
    "file-password": "файл защищён паролем. Откройте его в Excel, снимите пароль (Файл → Сведения → Защита книги) и "
                     "загрузите заново.",
    "workbook-unreadable": "не удалось прочитать книгу Excel ({reason}): файл повреждён или сохранён не полностью. "
                           + _RESAVE,
    "sheet-unreadable": "лист книги не читается ({reason}): файл повреждён или сохранён не полностью. " + _RESAVE,
    "csv-unreadable": "не удалось прочитать CSV ({reason}). Сохраните файл заново как «CSV (разделители — точка с "
                      "запятой)» и загрузите ещё раз.",
    "no-header": "не найдена строка заголовков с известными столбцами. Загрузите выгрузку отчёта из 1С-Коннект или "
                 "1С-Бухфон как есть, в формате Excel (.xlsx) или CSV. Ожидаются столбцы одной из выгрузок:\n"
                 "{expected}",
    "no-header-renamed": "имя файла говорит, что это книга Excel, но внутри текст, и в нём не найдена строка "
                         "заголовков с известными столбцами. Загрузите выгрузку отчёта из 1С-Коннект или 1С-Бухфон "
                         "как есть, в формате Excel (.xlsx) или CSV. Ожидаются столбцы одной из выгрузок:\n{expected}",
    "too-many-rows": "в таблице {count} — больше допустимого ({limit}). Файл не прочитан. Сформируйте отчёт по частям "
                     "(например, по месяцам) или попросите администратора поднять предел KPI_MAX_ROWS.",
    "unknown-columns": "столбцы не похожи ни на одну известную выгрузку (найдены: {found}). Файл отложен и в расчёт "
                       "не входит. Загрузите выгрузку отчёта без изменений в столбцах или выберите вид файла на "
                       "странице «Данные» (--kind ФАЙЛ=ВИД). Ожидаются:\n{expected}",
    "header-only": "в таблице есть заголовок (строка {header_row}), но нет ни одной строки данных. Проверьте период "
                   "и фильтры отчёта и выгрузите его заново.",
    "no-rows-read": "ни одна строка не прочитана: {examples}. Исправьте эти значения в файле или выгрузите отчёт "
                    "заново.",
    "kind-columns-missing": "файл нельзя прочитать как «{kind}»: нет столбцов {missing}.",
    "file-unopenable": "файл не открывается ({reason}).",
    # --- a row left out, merged or changed while reading ---
    "totals-row": "строка итогов, не клиент",
    "flag-invalid": "значение «{value}» не похоже на «Да» или «Нет»",
    "date-invalid": "дата «{value}» не распознана",
    "date-invalid-empty": "дата «{value}» не распознана, считается пустой",
    "client-missing": "не указан клиент (нет наименования, ИНН и кода)",
    "event-date-missing": "не указана дата коммуникации",
    "rows-more-skipped": "и ещё {count} строк пропущено по той же причине",
    "rows-more-warning": "и ещё {count} строк по той же причине",
    "cell-cut": "в ячейке {length} символов — больше допустимого ({limit}); текст обрезан. Проверьте эту ячейку в "
                "исходном файле.",
    "cells-more-cut": "и ещё {count} ячеек обрезано по той же причине",
    "csv-extra-fields": "в {count} строках больше значений, чем столбцов в заголовке: лишние значения отброшены. "
                        "Проверьте разделитель и кавычки в файле.",
    "client-merged": "тот же клиент, что в строке {first_row}: строки объединены, отметки «Да» сложены",
    "columns-repeated": "столбцы {columns} повторяются: для расчёта и выгрузки взят первый столбец каждого имени, "
                        "следующие сохранены в выгрузке с номером.",
    # --- a file set aside, or a fact about the files the user must know (warning) ---
    "set-aside-pbx": "похоже на историю звонков АТС ({evidence}). Звонки по телефону — не коммуникации "
                     "1С-Коннект: файл отложен и в расчёт не входит. " + _OVERRIDE,
    "set-aside-crm": "похоже на выгрузку сделок CRM ({evidence}). Сделки — не коммуникации 1С-Коннект: файл "
                     "отложен и в расчёт не входит. " + _OVERRIDE,
    "set-aside-user": "файл отложен по вашему выбору и в расчёт не входит.",
    "set-aside-not-log": "есть дата и клиент ({evidence}), но нет столбца вида коммуникации («Вид коммуникации», "
                         "«Тип коммуникации», «Канал», «Тип обращения», «Линия»): это не журнал коммуникаций "
                         "1С-Коннект и не список клиентов ИТС. Файл отложен и в расчёт не входит. " + _OVERRIDE,
    "set-aside-unknown": "кроме клиента есть столбцы ({evidence}), которых нет ни в одной выгрузке, по которой "
                         "считается показатель: это не список клиентов ИТС и не выгрузка 1С-Коннект. Файл отложен и "
                         "в расчёт не входит. " + _OVERRIDE,
    "second-table": "на листе есть ещё одна таблица (строка {table_row}): она не прочитана. Загрузите её отдельным "
                    "файлом, если она нужна.",
    "vendor-summary-unreadable": "в сводной таблице кабинета не прочитано число «Всего клиентов ИТС»: её строки "
                                 "пропущены, база клиентов берётся из других данных.",
    "set-aside-other-program": "это выгрузка {kind}; на этой странице она не используется.",
    "dates-outside-quarter": "все даты коммуникаций ({first} – {last}) вне квартала ({quarter}) и вне окна отчёта "
                             "кабинета ({window}): файл прочитан, но в показатели этого месяца не входит. Проверьте "
                             "отчетный месяц.",
    "log-not-in-base": "клиентов с коммуникациями, которых нет в базе клиентов: {count}. {consequence}",
    "vendor-differs": "в отчёте кабинета «{what}»: {vendor}, у нас {ours}. {explanation}",
    "base-zero": "база клиентов равна нулю: доля и норматив не считаются.",
    "its-no-date": "в заголовке отчёта по договорам нет даты «от ДД.ММ.ГГГГ»: действующие договоры взяты на "
                   "{date}.",
    "its-no-support": "ни у одного клиента нет действующего договора сопровождения ИТС на {date} (виды: {kinds}).",
    "month-from-user": "в заголовке статистики по клиентам нет строки «Период: …»: взят выбранный отчетный месяц "
                       "{month}.",
    # --- the figures cannot be computed (error) ---
    "month-missing": "не удалось определить отчетный месяц: в заголовке отчёта нет строки «Период: …». Выберите "
                     "отчетный месяц вручную.",
    "no-connect-files": "нет ни одной выгрузки 1С-Коннект: загрузите статистику по клиентам, журнал коммуникаций "
                        "или список клиентов. Прочитаны: {files}.",
    "no-month": "не удалось определить отчетный месяц: в файлах нет периода и дат коммуникаций. Выберите отчетный "
                "месяц. Прочитаны: {files}.",
    "no-base": "не известна база клиентов: загрузите список клиентов ИТС, отчёт по договорам ИТС или статистику по "
               "клиентам, либо введите число «Всего клиентов ИТС» из кабинета. Прочитаны: {files}.",
    "no-communication-data": "нет данных о коммуникациях: загружена только база клиентов. Загрузите статистику "
                             "1С-Коннект по клиентам или журнал коммуникаций. Прочитаны: {files}.",
    "base-negative": "база клиентов не может быть отрицательной",
    "no-buhfon-files": "нет ни одной выгрузки 1С-Бухфон «Статистика подключения пользователей». Прочитаны: {files}.",
    "buhfon-no-period": "в выгрузке 1С-Бухфон нет столбца «Авторизация в отчетный период», и не указан отчетный "
                        "период: укажите начало периода, чтобы сравнить с датой последней авторизации.",
    "list-too-long": "список из {rows} строк не помещается на один лист Excel (не больше {limit}). Скачайте его в "
                     "формате CSV.",
    # --- command line ---
    "usage": "{message}",
    "tz-unknown": "часовой пояс «{tz}» не найден: укажите имя IANA, например Asia/Novosibirsk",
    "output-format": "можно записать только .xlsx или .csv",
    "output-unwritable": "файл не записан: {reason}",
    "split-needs-xlsx": "--split пишет книгу по сотрудникам: укажите --silent OUT.xlsx",
    # TRANSITIONAL (removed once every call site raises its own code): free text from the old API
    "legacy-error": "{text}",
    "legacy-warning": "{text}",
    "legacy-skipped": "{text}",
    "legacy-merged": "{text}",
}


# --- the computation's words that fill the messages above ---------------------------------------------------
#: ``log-not-in-base``'s consequence: counted as the vendor counts them, or left out (``--only-base``)
NOT_IN_BASE_COUNTED = ("Они учтены в числе клиентов с коммуникациями, как в отчёте кабинета; чтобы считать только "
                       "клиентов базы, включите «Только клиенты базы» (--only-base).")
NOT_IN_BASE_LEFT_OUT = "Они не учтены: считаются только клиенты базы (--only-base)."
#: how a file was read, for «Прочитаны: …» in ``no-base``, ``no-month``, ``no-communication-data``
FILE_READ_AS = "{file} — {kind}"
FILE_SET_ASIDE = "{file} — отложен: {reason}"
FILE_REFUSED = "{file} — не прочитан ({code})"
FILES_NONE = "ни одного файла"
SET_ASIDE_REASON = {
    "set-aside-pbx": "история звонков АТС",
    "set-aside-crm": "сделки CRM",
    "set-aside-user": "по вашему выбору",
    "set-aside-other-program": "выгрузка другой программы",
}
#: ``vendor-differs``: what differs (the vendor's own row labels) and why, where it can be said
VENDOR_WHAT = {
    "base": "Всего клиентов ИТС",
    "authorized_window": "Клиентов с авторизацией в отчетном, -1 и -2 месяцах",
    "active_window": "Клиентов с коммуникациями в отчетном, -1 или -2 месяцах",
}
VENDOR_FEWER_ROWS = ("В таблице по клиентам {rows} строк — меньше базы кабинета: в выгрузку попали не все клиенты "
                     "(фильтр отчёта или тип клиентов); доля считается от базы кабинета.")
VENDOR_OTHER_LIST = "База взята из кабинета; наш список ({source}) даёт другое число."
VENDOR_LOG_ADDS = ("Мы учитываем и журнал коммуникаций: коммуникации из журнала, которых нет в отчёте кабинета, "
                   "добавляют клиентов.")
VENDOR_OUTSIDE_BASE = "Вне базы клиентов мы считаем {count}: без них — {without}."
VENDOR_NO_REASON = "Проверьте, что отчёт кабинета и остальные файлы выгружены за один период."
LIST_SOURCE_RU = {"its_contracts": "отчёт по договорам ИТС", "base_list": "список клиентов ИТС",
                  "client_stats": "статистика по клиентам"}

# --- the command line (python -m kpi) ----------------------------------------------------------------------
CLI_USAGE = "использование: "
CLI_POSITIONALS = "позиционные аргументы"
CLI_OPTIONS = "параметры"
CLI_HELP = "показать эту справку и выйти"
CLI_ERROR = "{prog}: ошибка: {message}\n"
#: argparse's own English messages (its gettext ids) → Russian; ``%(name)s`` fields as argparse fills them
CLI_ARGPARSE = {
    "usage: ": CLI_USAGE,
    "positional arguments": CLI_POSITIONALS,
    "options": CLI_OPTIONS,
    "optional arguments": CLI_OPTIONS,
    "show this help message and exit": CLI_HELP,
    "the following arguments are required: %s": "не указаны обязательные аргументы: %s",
    "unrecognized arguments: %s": "неизвестные аргументы: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "недопустимое значение %(value)r (возможны: %(choices)s)",
    "argument %(argument_name)s: %(message)s": "аргумент %(argument_name)s: %(message)s",
    "expected one argument": "ожидается одно значение",
    "expected at most one argument": "ожидается не больше одного значения",
    "expected at least one argument": "ожидается хотя бы одно значение",
    "invalid %(type)s value: %(value)r": "недопустимое значение %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "неоднозначный параметр: %(option)s — это %(matches)s?",
    "not allowed with argument %s": "нельзя вместе с %s",
    "ignored explicit argument %r": "лишнее значение %r",
    "one of the arguments %s is required": "нужен один из аргументов: %s",
    "unexpected option string: %s": "неожиданный параметр: %s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: ошибка: %(message)s\n",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "неизвестная команда %(parser_name)r (возможны: "
                                                             "%(choices)s)",
    "expected %s argument": "ожидается значений: %s",
    "expected %s arguments": "ожидается значений: %s",
}
CLI_VENDOR = ("Отчёт кабинета (его цифры): всего клиентов ИТС {base}{date}; с авторизацией {auth}; "
              "с коммуникациями {active}")
CLI_VENDOR_DATE = " на {date}"
CLI_BASE_ZERO = "База клиентов равна нулю: ориентир и норматив не оцениваются."
CLI_NOT_IN_BASE = "Клиентов с коммуникациями вне базы: {count}"
CLI_KIND_BAD = "--kind «{value}»: ожидается ФАЙЛ=ВИД, где ВИД — одно из: {kinds}"
CLI_KIND_NO_FILE = "--kind «{value}»: такого файла нет среди заданных"
CLI_ITS_KINDS_EMPTY = "--its-kinds: укажите хотя бы один вид договора, например «КП;ИТС»"
