"""Seeded, deterministic generator of realistic 1С-Коннект and 1С-Бухфон exports.

Run ``python sample_data/make_samples.py`` to regenerate the committed sample files next to this script:

* ``connect_clients_2026-11.xlsx`` – «Статистика использования 1С-Коннект (по клиентам)», November 2026;
* ``connect_log_2026-Q4.csv`` – the communication log 01.09.2026–20.11.2026 (UTF-8 with BOM, «;»);
* ``clients_its.csv`` – the ITS client base «по состоянию на 01.10.2026» (cp1251, «;», CRLF);
* ``buhfon_2026-11.xlsx`` – 1С-Бухфон «Статистика подключения пользователей», 01.11–20.11.2026.

The same code builds the large benchmark inputs (``bench/generate.py``): ``build_world`` is vectorised
with numpy – no Python loop runs per client or per log row, only over the few months, word lists and
redraw rounds – so a million clients with ten million log rows take seconds, not hours. Writing an
``.xlsx`` of that size necessarily walks the rows once (xlsxwriter in constant-memory mode when it is
installed, otherwise openpyxl in write-only mode).

The story the sample tells: quarter Q4 2026, reporting month November 2026 (month 2 of the quarter),
the export taken on 20.11.2026 at 18:00 Moscow time (all times are naive local time). About 88 % of
the clients are «Клиенты 1С». Every client has a propensity to talk to the partner through 1С-Коннект;
it is tuned so that roughly a third of the 1C clients had a communication in October–November (the
40 % milestone of month 2 is *not* met yet, the app shows how many clients are missing) and about a
quarter in September (the previous quarter, which the vendor's rolling window Sep–Nov still counts).
The flags of the per-client report are derived from the generated log, never drawn on their own.

One deliberate defect is planted in the per-client report (``duplicate=True``): one 1C client with a
November communication is listed twice, with the same «Код клиента» and «ИНН». The first row is a stale
copy – «Коммуникации в отчетном месяце» = «Нет» and «Дата последней коммуникации» = its last
communication before November (or empty) – the second row is the true one with «Да». A reader must
merge the two rows by code/INN (a «Да» in either row wins), not count the client twice or lose the
November communication. The ITS client list does not have the duplicate.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

# --------------------------------------------------------------------------------------------------
# The period the data describes
# --------------------------------------------------------------------------------------------------

#: Seed and size of the committed sample.
SAMPLE_SEED = 20261120
SAMPLE_CLIENTS = 320

#: Months of the vendor's rolling window, oldest first: -2 (September), -1 (October), reporting (November).
MONTH_STARTS = np.array(["2026-09-01", "2026-10-01", "2026-11-01"], dtype="datetime64[D]")
MONTH_ENDS = np.array(["2026-10-01", "2026-11-01", "2026-11-21"], dtype="datetime64[D]")  # exclusive
#: The moment the exports were taken; nothing happens at or after it.
CUTOFF = np.datetime64("2026-11-20T18:00:00", "s")
#: Public holidays inside the window (04.11 – День народного единства).
HOLIDAYS = np.array(["2026-11-04"], dtype="datetime64[D]")
#: 1С-Бухфон report period.
BUHFON_FROM = np.datetime64("2026-11-01T00:00:00", "s")
#: Fixed workbook creation time, so a re-run writes the same bytes.
WORKBOOK_TIME = datetime(2026, 11, 20, 15, 0, 0)  # 18:00 Moscow is 15:00 UTC; core.xml stores UTC
ZIP_TIME = (2026, 11, 20, 18, 0, 0)

CLIENT_TYPE_1C = "Клиенты 1С"
CLIENT_TYPE_OTHER = "Прочие клиенты"
YES, NO = "Да", "Нет"

CONNECT_TITLE = "Статистика использования 1С-Коннект (по клиентам)"
CONNECT_PERIOD = "Период: Ноябрь 2026 г."
CONNECT_CLIENT_TYPES = "Тип клиентов: Все клиенты"
CONNECT_SHEET = "Отчет"
CONNECT_COLUMNS = (
    "Клиент", "ИНН", "Регистрационный номер", "Код клиента", "Тип клиента", "Ответственный",
    "Коммуникации в отчетном месяце", "Коммуникации в -1 месяце", "Коммуникации в -2 месяце",
    "Авторизация в отчетном месяце", "Авторизация в -1 месяце", "Авторизация в -2 месяце",
    "Дата последней коммуникации", "Дата последней авторизации", "Телефон", "Email",
)
#: Flag columns of the per-client report and the World column each one comes from.
CONNECT_FLAGS = {
    "Коммуникации в отчетном месяце": "comm_m0", "Коммуникации в -1 месяце": "comm_m1",
    "Коммуникации в -2 месяце": "comm_m2", "Авторизация в отчетном месяце": "auth_m0",
    "Авторизация в -1 месяце": "auth_m1", "Авторизация в -2 месяце": "auth_m2",
}
TOTAL_LABEL = "Итого"

LOG_COLUMNS = ("Дата и время", "Клиент", "ИНН", "Код клиента", "Вид коммуникации", "Специалист",
               "Длительность, мин")

BASE_TITLE = "Клиенты ИТС по состоянию на 01.10.2026"
BASE_COLUMNS = ("Код клиента", "Клиент", "ИНН", "Регистрационный номер", "Тип клиента", "Ответственный",
                "Телефон", "Email")

BUHFON_TITLE = "Статистика подключения пользователей"
BUHFON_PERIOD = "Период: 01.11.2026 - 20.11.2026"
BUHFON_SHEET = "Лист1"
BUHFON_COLUMNS = ("Дата", "Пользователь", "Организация", "ИНН", "Пользователь 1С", "Категория Пользователя",
                  "Дата последней авторизации", "Авторизация в отчетный период", "Телефон", "Email")

# --------------------------------------------------------------------------------------------------
# Word lists
# --------------------------------------------------------------------------------------------------

MANAGERS = ("Иванова Е.А.", "Соколов М.В.", "Лебедева Н.Г.", "Козлов П.Д.")
MANAGER_WEIGHTS = (0.34, 0.27, 0.22, 0.17)
SPECIALISTS = ("Петров А.С.", "Смирнова О.В.", "Кузнецов Д.И.", "Морозова Т.Н.", "Волков С.П.")
SPECIALIST_WEIGHTS = (0.28, 0.24, 0.2, 0.16, 0.12)
CHANNELS = ("Чат", "Звонок", "Удаленное подключение")
CHANNEL_WEIGHTS = (0.55, 0.27, 0.18)
#: Median and spread (of the log) of a communication's duration in minutes, per channel.
CHANNEL_MINUTES = ((7.0, 0.8), (4.0, 0.6), (18.0, 0.7))
BUHFON_CATEGORIES = ("Пакет от 6 до 10 пользователей", "Пакет от 11 до 20 пользователей",
                     "Пользователь без услуг", "Первый платный", "Второй платный", "Третий платный")
BUHFON_CATEGORY_WEIGHTS = (0.27, 0.11, 0.22, 0.19, 0.13, 0.08)

_ROOTS = (
    "Альфа", "Вектор", "Гранит", "Север", "Восток", "Урал", "Сибирь", "Волга", "Нева", "Кама", "Алтай",
    "Байкал", "Титан", "Орион", "Меридиан", "Зенит", "Импульс", "Прогресс", "Стандарт", "Горизонт",
    "Магистраль", "Лидер", "Феникс", "Атлант", "Кристалл", "Рубин", "Сапфир", "Янтарь", "Кедр", "Родник",
    "Исток", "Факел", "Маяк", "Парус", "Спектр", "Эталон", "Гарант", "Союз", "Альянс", "Регион", "Сфера",
    "Вертикаль", "Полюс", "Старт", "Ресурс", "Капитал", "Техно", "Агро", "Энерго", "Фарм", "Транс",
    "Инфо", "Эко", "Ладога", "Ангара", "Енисей", "Таврида", "Дельта", "Омега", "Сигма", "Квант", "Оптима",
    "Престиж", "Элита", "Витязь", "Сокол", "Беркут", "Кондор", "Лотос", "Орбита", "Пульсар", "Радуга",
)
_SUFFIXES = (
    "Сервис", "Строй", "Торг", "Трейд", "Инвест", "Консалт", "Логистик", "Пром", "Снаб", "Групп", "Плюс",
    "Центр", "Холдинг", "Комплект", "Маркет", "Авто", "Тех", "Проект", "Мастер", "Софт", "Опт", "Монтаж",
    "Дизайн", "Медиа", "Мед", "Лайн", "Юг", "Ойл", "Пласт", "Металл",
)
_ADJECTIVES = (
    "Северная", "Южная", "Новая", "Первая", "Золотая", "Зелёная", "Белая", "Красная", "Уральская",
    "Сибирская", "Волжская", "Городская", "Центральная", "Народная", "Деловая", "Торговая", "Строительная",
    "Медицинская", "Правовая", "Мебельная", "Транспортная", "Швейная", "Пищевая", "Печатная", "Русская",
    "Столичная", "Тёплая", "Светлая",
)
_NOUNS = (
    "компания", "линия", "звезда", "мануфактура", "фабрика", "мастерская", "пекарня", "гавань", "долина",
    "артель", "слобода", "усадьба", "аптека", "сеть", "студия", "лаборатория", "палитра", "мельница",
)
_SURNAMES_M = (
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков",
    "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов",
    "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв",
    "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв", "Сергеев", "Кузьмин", "Фролов",
    "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв", "Ильин", "Максимов", "Поляков", "Сорокин",
    "Виноградов", "Ковалёв", "Белов", "Медведев", "Антонов", "Тарасов", "Жуков", "Баранов", "Филиппов",
    "Комаров", "Давыдов", "Беляев", "Герасимов", "Богданов", "Осипов", "Сидоров", "Матвеев", "Титов",
    "Марков", "Миронов", "Крылов", "Куликов", "Карпов", "Власов", "Мельников", "Денисов", "Гаврилов",
    "Тихонов", "Казаков", "Афанасьев", "Данилов", "Савельев", "Тимофеев", "Фомин", "Чернов", "Абрамов",
    "Мартынов", "Ефимов", "Федотов", "Щербаков", "Назаров", "Калинин", "Исаев", "Чернышёв", "Быков",
    "Маслов", "Родионов", "Коновалов", "Лазарев", "Воронин", "Климов", "Филатов", "Пономарёв", "Голубев",
    "Кудрявцев", "Прохоров", "Наумов", "Потапов", "Журавлёв", "Овчинников", "Трофимов", "Леонов",
    "Соболев", "Ермаков", "Колесников", "Гончаров", "Емельянов", "Никифоров", "Грачёв", "Котов",
    "Гришин", "Ефремов", "Архипов", "Громов", "Кириллов", "Малышев", "Панов", "Моисеев", "Румянцев",
    "Акимов", "Кондратьев", "Бирюков", "Горбунов", "Анисимов", "Ерёмин", "Тихомиров", "Галкин",
    "Лукьянов", "Михеев", "Скворцов", "Юдин", "Белоусов", "Нестеров", "Симонов", "Прокофьев", "Харитонов",
    "Князев", "Цветков", "Левин", "Митрофанов", "Воронов", "Аксёнов", "Софронов", "Мальцев", "Логинов",
    "Горшков", "Савин", "Краснов", "Майоров", "Демидов", "Елисеев", "Рыбаков", "Сафонов", "Плотников",
    "Дёмин", "Хохлов", "Жданов", "Руднев", "Шестаков", "Мясников", "Ершов", "Зуев", "Сазонов",
    "Виноградский", "Покровский", "Вознесенский", "Шевченко", "Бондаренко", "Черных", "Седых",
)
_FIRST_M = ("Александр", "Алексей", "Андрей", "Антон", "Артём", "Борис", "Вадим", "Валерий", "Виктор",
            "Владимир", "Геннадий", "Дмитрий", "Евгений", "Игорь", "Илья", "Кирилл", "Константин", "Максим",
            "Михаил", "Николай", "Олег", "Павел", "Роман", "Руслан", "Сергей", "Станислав", "Тимур", "Юрий",
            "Ярослав", "Фёдор")
_FIRST_F = ("Анна", "Алёна", "Алла", "Валентина", "Вера", "Галина", "Дарья", "Евгения", "Екатерина",
            "Елена", "Жанна", "Зоя", "Инна", "Ирина", "Кристина", "Лариса", "Людмила", "Марина", "Мария",
            "Надежда", "Наталья", "Оксана", "Ольга", "Полина", "Светлана", "Софья", "Татьяна", "Ульяна",
            "Юлия", "Яна")
_PATRONYMICS = (  # (male, female)
    ("Александрович", "Александровна"), ("Алексеевич", "Алексеевна"), ("Андреевич", "Андреевна"),
    ("Борисович", "Борисовна"), ("Викторович", "Викторовна"), ("Владимирович", "Владимировна"),
    ("Геннадьевич", "Геннадьевна"), ("Григорьевич", "Григорьевна"), ("Дмитриевич", "Дмитриевна"),
    ("Евгеньевич", "Евгеньевна"), ("Иванович", "Ивановна"), ("Игоревич", "Игоревна"),
    ("Константинович", "Константиновна"), ("Леонидович", "Леонидовна"), ("Михайлович", "Михайловна"),
    ("Николаевич", "Николаевна"), ("Олегович", "Олеговна"), ("Павлович", "Павловна"),
    ("Петрович", "Петровна"), ("Романович", "Романовна"), ("Сергеевич", "Сергеевна"),
    ("Станиславович", "Станиславовна"), ("Юрьевич", "Юрьевна"), ("Фёдорович", "Фёдоровна"),
    ("Эдуардович", "Эдуардовна"), ("Яковлевич", "Яковлевна"),
)
_ORG_MAIL_BOXES = ("info", "buh", "office", "glavbuh", "director", "zakaz", "mail", "admin", "fin", "uchet")
_PUBLIC_DOMAINS = ("mail.ru", "yandex.ru", "gmail.com", "bk.ru", "list.ru", "inbox.ru", "rambler.ru")
_TLDS = ("ru", "ru", "ru", "ru", "com", "su", "org")
#: Operator/city codes of phone numbers.
_PHONE_CODES = ("912", "916", "903", "905", "926", "985", "999", "921", "495", "499", "812", "343",
                "383", "846", "863", "843")
#: Tax region codes an ИНН starts with, and how common they are; some start with a zero on purpose.
_REGIONS = ("77", "50", "78", "66", "16", "54", "63", "52", "61", "23", "74", "59", "24", "02", "03", "05",
            "07", "36", "38", "72")
_REGION_WEIGHTS = (0.2, 0.12, 0.1, 0.06, 0.05, 0.05, 0.04, 0.04, 0.04, 0.04, 0.04, 0.03, 0.03, 0.03, 0.02,
                   0.02, 0.01, 0.03, 0.02, 0.03)

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya", " ": "-",
}


def translit(text: str) -> str:
    """Latin spelling of a Russian word for e-mail addresses («Соловьёв» → «solovev»)."""
    return "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())


def _female_surname(surname: str) -> str:
    if surname.endswith("ский"):
        return surname[:-4] + "ская"
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    return surname  # Шевченко, Черных: the same for both


def _arr(words: Iterable[str]) -> np.ndarray:
    return np.array(list(words), dtype=object)


_SURNAMES = np.stack([_arr(_SURNAMES_M), _arr(_female_surname(s) for s in _SURNAMES_M)])  # [gender, i]
_SURNAMES_LAT = np.vectorize(translit, otypes=[object])(_SURNAMES)
_FIRST = (_arr(_FIRST_M), _arr(_FIRST_F))
_FIRST_LAT = (np.vectorize(translit, otypes=[object])(_FIRST[0]),
              np.vectorize(translit, otypes=[object])(_FIRST[1]))
_PATR = np.stack([_arr(p[0] for p in _PATRONYMICS), _arr(p[1] for p in _PATRONYMICS)])


# --------------------------------------------------------------------------------------------------
# The world: clients, their communication log and 1С-Бухфон users
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class World:
    """Everything one export set is drawn from.

    ``clients`` – one row per client: ``code, name, inn, regnum, client_type, responsible, phone, email``,
    ``mail_domain`` (the organisation's own e-mail domain, "" for ИП and clients without e-mail)
    and the per-client report's facts ``comm_m0, comm_m1, comm_m2, auth_m0, auth_m1, auth_m2`` (bool;
    m0 = November, m1 = October, m2 = September), ``last_comm, last_auth`` (datetime64[s], NaT = none).
    ``log`` – one row per communication, sorted by time: ``time, client`` (position in ``clients``),
    ``channel, specialist, duration_min``. ``buhfon`` – one row per 1С-Бухфон user: ``client`` (position),
    ``user, reg_year`` (text, "" = unknown), ``is_1c_user, category, last_auth, authorised, phone, email``.
    ``duplicate`` is the position of the client listed twice in the per-client report (None: nobody).
    """

    clients: pd.DataFrame
    log: pd.DataFrame
    buhfon: pd.DataFrame
    duplicate: int | None
    seed: int


def build_world(n_clients: int, seed: int, *, log_rows_per_client: float | None = None,
                duplicate: bool = True) -> World:
    """Draw ``n_clients`` clients, their communication log and 1С-Бухфон users, deterministically.

    ``log_rows_per_client`` fixes the log length at ``round(n_clients * log_rows_per_client)`` rows (the
    benchmark uses 10); by default the number of communications follows the clients' propensities. As
    long as that is at least about one row per client, who communicated in which month does not depend
    on it (only how often), so the KPI shares stay the same at any size.
    """
    if n_clients < 1:
        raise ValueError("n_clients must be positive")
    rng_clients, rng_log, rng_auth, rng_buhfon, rng_dup = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(5))
    clients = _make_clients(rng_clients, n_clients)
    log = _make_log(rng_log, clients, log_rows_per_client)
    _derive_connect_facts(rng_auth, clients, log)
    dup = _pick_duplicate(rng_dup, clients) if duplicate else None
    buhfon = _make_buhfon(rng_buhfon, clients)
    return World(clients=clients, log=log, buhfon=buhfon, duplicate=dup, seed=seed)


def _unique_ints(rng: np.random.Generator, n: int, draw) -> np.ndarray:
    """``draw(rng, k)`` gives k candidate ints; redraw the repeated ones until all n are distinct."""
    values = draw(rng, n).astype(np.int64)
    while True:
        dup = pd.Series(values).duplicated().to_numpy()
        if not dup.any():
            return values
        values[dup] = draw(rng, int(dup.sum()))


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """Digits of non-negative ints as an (n, width) matrix, most significant first."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values[:, None] // powers) % 10


def inn_check_digits(prefix: np.ndarray, width: int) -> np.ndarray:
    """Append the ФНС check digit(s) to 9-digit (legal entity) or 10-digit (ИП) prefixes."""
    w10 = np.array([2, 4, 10, 3, 5, 9, 4, 6, 8])
    w11 = np.array([7, 2, 4, 10, 3, 5, 9, 4, 6, 8])
    w12 = np.array([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8])
    d = _digits(prefix, width)
    if width == 9:
        return prefix * 10 + (d @ w10) % 11 % 10
    c11 = (d @ w11) % 11 % 10
    c12 = (np.column_stack([d, c11]) @ w12) % 11 % 10
    return prefix * 100 + c11 * 10 + c12


def _zfill(values: np.ndarray, width: int, prefix: str = "") -> np.ndarray:
    s = pd.Series(values).astype(str).str.zfill(width)
    return (prefix + s).to_numpy(dtype=object) if prefix else s.to_numpy(dtype=object)


def _phones(rng: np.random.Generator, n: int, empty_share: float) -> np.ndarray:
    code = _arr(_PHONE_CODES)[rng.integers(0, len(_PHONE_CODES), n)]
    a = _zfill(rng.integers(100, 1000, n), 3)
    b = _zfill(rng.integers(0, 100, n), 2)
    c = _zfill(rng.integers(0, 100, n), 2)
    phones = "+7 (" + code + ") " + a + "-" + b + "-" + c
    phones[rng.random(n) < empty_share] = ""
    return phones


def _person_names(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Gender, surname, first name, patronymic (and Latin spellings) for n people."""
    g = (rng.random(n) < 0.62).astype(np.int64)  # accountants are mostly women: 1 = female
    si = rng.integers(0, _SURNAMES.shape[1], n)
    fi = rng.integers(0, len(_FIRST_M), n)  # both first-name lists have the same length
    pi = rng.integers(0, _PATR.shape[1], n)
    first = np.where(g == 1, _FIRST[1][fi], _FIRST[0][fi])
    first_lat = np.where(g == 1, _FIRST_LAT[1][fi], _FIRST_LAT[0][fi])
    surname = _SURNAMES[g, si]
    surname_lat = _SURNAMES_LAT[g, si]
    return {"surname": surname, "first": first, "patronymic": _PATR[g, pi], "surname_lat": surname_lat,
            "first_lat": first_lat}


def _initials(names: dict[str, np.ndarray]) -> np.ndarray:
    first = pd.Series(names["first"]).str[0]
    patr = pd.Series(names["patronymic"]).str[0]
    return (first + "." + patr + ".").to_numpy(dtype=object)


def _org_names(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Legal form, full name, e-mail domain and INN kind of n organisations, all names distinct.

    Names are combined from word lists by random indices. Repeats are redrawn a few rounds while the
    lists have room (always for a few thousand clients); at scale the leftovers get a number appended.
    """
    names = _draw_org_names(rng, n)
    rounds = 12 if n <= 20_000 else 0
    for _ in range(rounds):
        dup = pd.Series(names["name"]).duplicated().to_numpy()
        if not dup.any():
            break
        redraw = _draw_org_names(rng, int(dup.sum()))
        for key in names:
            names[key][dup] = redraw[key]
    rank = pd.Series(names["name"]).groupby(names["name"], sort=False).cumcount().to_numpy()
    dup = rank > 0
    if dup.any():
        number = (rank[dup] + 1).astype(str).astype(object)
        ip = names["is_ip"][dup]
        core = names["core"][dup] + " " + number
        names["name"][dup] = np.where(ip, names["name"][dup] + " (" + number + ")",
                                      names["form"][dup] + " «" + core + "»")
        names["domain"][dup] = names["domain"][dup] + number
    return names


def _draw_org_names(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    roots, roots_lat = _arr(_ROOTS), np.vectorize(translit, otypes=[object])(_arr(_ROOTS))
    sufs, sufs_lat = _arr(_SUFFIXES), np.vectorize(translit, otypes=[object])(_arr(_SUFFIXES))
    adjs, adjs_lat = _arr(_ADJECTIVES), np.vectorize(translit, otypes=[object])(_arr(_ADJECTIVES))
    nouns, nouns_lat = _arr(_NOUNS), np.vectorize(translit, otypes=[object])(_arr(_NOUNS))
    r = rng.integers(0, len(roots), n)
    s = rng.integers(0, len(sufs), n)
    a = rng.integers(0, len(adjs), n)
    o = rng.integers(0, len(nouns), n)
    pattern = rng.choice(5, size=n, p=[0.36, 0.24, 0.25, 0.1, 0.05])
    # 0 «Гранит-Сервис», 1 «Северторг», 2 «Северная звезда», 3 «Вектор», 4 «ТД Вектор»
    camel = pd.Series(sufs[s]).str.lower().to_numpy(dtype=object)
    core = np.select(
        [pattern == 0, pattern == 1, pattern == 2, pattern == 3],
        [roots[r] + "-" + sufs[s], roots[r] + camel, adjs[a] + " " + nouns[o], roots[r]],
        "ТД " + roots[r])
    domain = np.select(
        [pattern == 0, pattern == 1, pattern == 2, pattern == 3],
        [roots_lat[r] + "-" + sufs_lat[s], roots_lat[r] + sufs_lat[s], adjs_lat[a] + "-" + nouns_lat[o],
         roots_lat[r]],
        "td-" + roots_lat[r])
    tld = _arr(_TLDS)[rng.integers(0, len(_TLDS), n)]
    domain = domain + "." + tld
    form = _arr(("ООО", "АО", "ИП"))[rng.choice(3, size=n, p=[0.68, 0.08, 0.24])]
    is_ip = form == "ИП"
    person = _person_names(rng, n)
    ip_name = "ИП " + person["surname"] + " " + _initials(person)
    name = np.where(is_ip, ip_name, form + " «" + core + "»")
    ip_domain = _arr(_PUBLIC_DOMAINS)[rng.integers(0, len(_PUBLIC_DOMAINS), n)]
    return {"name": name, "form": form, "core": core, "is_ip": is_ip,
            "domain": np.where(is_ip, ip_domain, domain), "person_lat": person["surname_lat"]}


def _make_clients(rng: np.random.Generator, n: int) -> pd.DataFrame:
    org = _org_names(rng, n)
    is_ip = org["is_ip"]
    region = np.array(_REGIONS, dtype=np.int64)[rng.choice(len(_REGIONS), size=n, p=_REGION_WEIGHTS)]
    office = rng.integers(1, 47, n)
    n_ip = int(is_ip.sum())
    inn = np.empty(n, dtype=object)
    legal_region, legal_office = region[~is_ip], office[~is_ip]
    prefix9 = _unique_ints(rng, n - n_ip, lambda g, k: legal_region[:k] * 10**7 + legal_office[:k] * 10**5
                           + g.integers(1, 10**5, k))
    inn[~is_ip] = _zfill(inn_check_digits(prefix9, 9), 10)
    ip_region, ip_office = region[is_ip], office[is_ip]
    prefix10 = _unique_ints(rng, n_ip, lambda g, k: ip_region[:k] * 10**8 + ip_office[:k] * 10**6
                            + g.integers(1, 10**6, k))
    inn[is_ip] = _zfill(inn_check_digits(prefix10, 10), 12)
    regnum = _zfill(_unique_ints(rng, n, lambda g, k: g.integers(800_000_000, 900_000_000, k)), 9)
    code = _zfill(_unique_ints(rng, n, lambda g, k: g.integers(1, max(999_999, 3 * n), k)), 6, "К-")
    client_type = np.where(rng.random(n) < 0.88, CLIENT_TYPE_1C, CLIENT_TYPE_OTHER).astype(object)
    responsible = _arr(MANAGERS)[rng.choice(len(MANAGERS), size=n, p=MANAGER_WEIGHTS)]
    box = _arr(_ORG_MAIL_BOXES)[rng.integers(0, len(_ORG_MAIL_BOXES), n)]
    ip_box = org["person_lat"] + np.where(rng.random(n) < 0.5, "", _zfill(rng.integers(1, 100, n), 2))
    email = np.where(is_ip, ip_box, box) + "@" + org["domain"]
    email[rng.random(n) < 0.08] = ""
    return pd.DataFrame({
        "code": code, "name": org["name"], "inn": inn, "regnum": regnum, "client_type": client_type,
        "responsible": responsible, "phone": _phones(rng, n, 0.1), "email": email,
        "mail_domain": np.where(is_ip | (email == ""), "", org["domain"]),
    })


def _day_weights(start: np.datetime64, end: np.datetime64) -> tuple[np.ndarray, np.ndarray]:
    days = np.arange(start, end, dtype="datetime64[D]")
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday: 0 = Monday
    weights = np.select([weekday == 5, weekday == 6], [0.12, 0.05], 1.0)
    weights[np.isin(days, HOLIDAYS)] = 0.05
    return days, weights / weights.sum()


#: How likely a communication starts in each hour of the day (working hours, Moscow time).
_HOUR_WEIGHTS = np.array([0, 0, 0, 0, 0, 0, 0, 0.05, 0.3, 1.0, 1.4, 1.4, 1.2, 0.8, 1.2, 1.3, 1.2, 0.9, 0.4,
                          0.15, 0.05, 0, 0, 0])


def _times_in_month(rng: np.random.Generator, month: np.ndarray) -> np.ndarray:
    """A working-hours moment in the given window month (0 Sep, 1 Oct, 2 Nov) for each entry."""
    out = np.empty(len(month), dtype="datetime64[s]")
    for m in range(3):  # loop over the three months, not over rows
        idx = np.flatnonzero(month == m)
        days, weights = _day_weights(MONTH_STARTS[m], MONTH_ENDS[m])
        day = days[rng.choice(len(days), size=len(idx), p=weights)]
        out[idx] = day.astype("datetime64[s]")
    hour = rng.choice(24, size=len(month), p=_HOUR_WEIGHTS / _HOUR_WEIGHTS.sum())
    tod = hour * 3600 + rng.integers(0, 3600, len(month))
    late_on_cutoff_day = (out.astype("datetime64[D]") == CUTOFF.astype("datetime64[D]")) & (tod >= 18 * 3600)
    tod = np.where(late_on_cutoff_day, rng.integers(9 * 3600, 18 * 3600, len(month)), tod)
    return out + tod.astype("timedelta64[s]")


def _make_log(rng: np.random.Generator, clients: pd.DataFrame, rows_per_client: float | None) -> pd.DataFrame:
    n = len(clients)
    is_1c = clients["client_type"].to_numpy() == CLIENT_TYPE_1C
    # Half of the clients practically never use 1С-Коннект; the rest have a propensity around 0.5.
    dormant = rng.random(n) < 0.5
    propensity = np.where(dormant, rng.uniform(0.0, 0.05, n), rng.beta(2.0, 2.2, n))
    propensity *= np.where(is_1c, 1.0, 0.6)
    month_factor = np.array([1.0, 1.0, 0.75])  # November is only 20 days old
    active = rng.random((n, 3)) < propensity[:, None] * month_factor
    client, month = np.nonzero(active)
    if rows_per_client is None:
        counts = 1 + rng.poisson(2.0 * propensity[client] + 0.3)
    else:
        total = round(rows_per_client * n)
        if total < len(client):
            keep = np.sort(rng.choice(len(client), size=total, replace=False))
            client, month = client[keep], month[keep]
            counts = np.ones(len(client), dtype=np.int64)
        else:
            weights = propensity[client] + 0.05
            extra = rng.multinomial(total - len(client), weights / weights.sum()) if len(client) else []
            counts = 1 + np.asarray(extra, dtype=np.int64)
    row_client = np.repeat(client, counts)
    row_month = np.repeat(month, counts)
    time = _times_in_month(rng, row_month)
    m = len(time)
    channel = rng.choice(len(CHANNELS), size=m, p=CHANNEL_WEIGHTS)
    specialist = rng.choice(len(SPECIALISTS), size=m, p=SPECIALIST_WEIGHTS)
    median = np.array([c[0] for c in CHANNEL_MINUTES])[channel]
    sigma = np.array([c[1] for c in CHANNEL_MINUTES])[channel]
    minutes = np.clip(np.rint(median * np.exp(sigma * rng.standard_normal(m))), 1, 240).astype(np.int16)
    order = np.lexsort((row_client, time))
    return pd.DataFrame({
        "time": time[order],
        "client": row_client[order].astype(np.int64),
        "channel": pd.Categorical.from_codes(channel[order], categories=list(CHANNELS)),
        "specialist": pd.Categorical.from_codes(specialist[order], categories=list(SPECIALISTS)),
        "duration_min": minutes[order],
    })


def window_month(times: np.ndarray) -> np.ndarray:
    """0 for September, 1 for October, 2 for November 2026 (times inside the window)."""
    t = np.asarray(times, dtype="datetime64[s]")
    return (t >= MONTH_STARTS[1]).astype(np.int64) + (t >= MONTH_STARTS[2])


def _last_per_client(client: np.ndarray, times: np.ndarray, n: int) -> np.ndarray:
    last = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last, client, times.astype("datetime64[s]").astype(np.int64))
    out = last.astype("datetime64[s]")
    out[last == np.iinfo(np.int64).min] = np.datetime64("NaT")
    return out


def _random_between(rng: np.random.Generator, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    span = (end - start).astype(np.int64)
    return start + (rng.random(len(span)) * span).astype(np.int64).astype("timedelta64[s]")


def _derive_connect_facts(rng: np.random.Generator, clients: pd.DataFrame, log: pd.DataFrame) -> None:
    """Communication flags and the last communication come from the log; authorisations around them."""
    n = len(clients)
    client = log["client"].to_numpy()
    times = log["time"].to_numpy().astype("datetime64[s]")
    comm = np.zeros((n, 3), dtype=bool)
    comm[client, window_month(times)] = True
    # A client who communicated in a month was authorised in it; 45 % keep 1С-Коннект running anyway.
    runs = rng.random(n) < 0.45
    auth = comm | (rng.random((n, 3)) < np.where(runs, 0.9, 0.03)[:, None])
    last_comm = _last_per_client(client, times, n)
    latest = np.where(auth[:, 2], 2, np.where(auth[:, 1], 1, np.where(auth[:, 0], 0, -1)))
    has = latest >= 0
    in_window = _times_in_month(rng, np.maximum(latest, 0))
    in_window = np.where(np.isnat(last_comm), in_window, np.maximum(in_window, last_comm))
    older = _random_between(rng, np.full(n, np.datetime64("2021-01-11T00:00:00", "s")),
                            np.full(n, np.datetime64("2026-08-31T00:00:00", "s")))
    older[rng.random(n) < 0.4] = np.datetime64("NaT")  # never authorised
    clients["comm_m0"], clients["comm_m1"], clients["comm_m2"] = comm[:, 2], comm[:, 1], comm[:, 0]
    clients["auth_m0"], clients["auth_m1"], clients["auth_m2"] = auth[:, 2], auth[:, 1], auth[:, 0]
    clients["last_comm"] = last_comm
    clients["last_auth"] = np.where(has, in_window, older)


def _pick_duplicate(rng: np.random.Generator, clients: pd.DataFrame) -> int | None:
    """A 1C client with a November communication (preferably an earlier one too) to list twice."""
    is_1c = clients["client_type"].to_numpy() == CLIENT_TYPE_1C
    nov = clients["comm_m0"].to_numpy() & is_1c
    both = nov & (clients["comm_m1"].to_numpy() | clients["comm_m2"].to_numpy())
    pool = np.flatnonzero(both) if both.any() else np.flatnonzero(nov)
    return int(rng.choice(pool)) if len(pool) else None


def _make_buhfon(rng: np.random.Generator, clients: pd.DataFrame) -> pd.DataFrame:
    n = len(clients)
    has_users = rng.random(n) < 0.8
    per_org = rng.choice([1, 2, 3], size=n, p=[0.55, 0.3, 0.15]) * has_users
    client = np.repeat(np.arange(n), per_org)
    m = len(client)
    person = _person_names(rng, m)
    user = person["surname"] + " " + person["first"] + " " + person["patronymic"]
    authorised = rng.random(m) >= 0.35
    never = ~authorised & (rng.random(m) < 0.25)
    recent = _times_in_month(rng, np.full(m, 2))  # within 01.11–20.11, before the export
    lapsed_from = np.where(rng.random(m) < 0.5, np.datetime64("2013-01-09T00:00:00", "s"),
                           np.datetime64("2025-06-01T00:00:00", "s"))
    lapsed = _random_between(rng, lapsed_from, np.full(m, BUHFON_FROM))
    last_auth = np.where(authorised, recent, lapsed)
    last_auth[never] = np.datetime64("NaT")
    # Registration year: no later than the last authorisation; unknown for about a third of users.
    top = np.where(np.isnat(last_auth), 2026, last_auth.astype("datetime64[Y]").astype(np.int64) + 1970)
    year = 2013 + (rng.random(m) * (top - 2013 + 1)).astype(np.int64)
    reg_year = pd.Series(year).astype(str).to_numpy(dtype=object)
    reg_year[rng.random(m) < 0.3] = ""
    is_1c_client = clients["client_type"].to_numpy()[client] == CLIENT_TYPE_1C
    is_1c_user = rng.random(m) < np.where(is_1c_client, 0.85, 0.25)
    category = rng.choice(len(BUHFON_CATEGORIES), size=m, p=BUHFON_CATEGORY_WEIGHTS)
    org_domain = clients["mail_domain"].to_numpy(dtype=object)[client]
    public = _arr(_PUBLIC_DOMAINS)[rng.integers(0, len(_PUBLIC_DOMAINS), m)]
    domain = np.where((org_domain != "") & (rng.random(m) < 0.6), org_domain, public)
    email = person["surname_lat"] + "." + person["first_lat"] + "@" + domain
    email[rng.random(m) < 0.1] = ""
    # The vendor lists users by organisation.
    order = np.argsort(_name_rank(clients)[client], kind="stable")
    return pd.DataFrame({
        "client": client[order].astype(np.int64), "user": user[order], "reg_year": reg_year[order],
        "is_1c_user": is_1c_user[order],
        "category": pd.Categorical.from_codes(category[order], categories=list(BUHFON_CATEGORIES)),
        "last_auth": last_auth[order], "authorised": authorised[order],
        "phone": _phones(rng, m, 0.15)[order], "email": email[order],
    })


def _name_rank(clients: pd.DataFrame) -> np.ndarray:
    rank = np.empty(len(clients), dtype=np.int64)
    rank[np.argsort(clients["name"].to_numpy(dtype=object), kind="stable")] = np.arange(len(clients))
    return rank


# --------------------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------------------

_TIME_OF_DAY: np.ndarray | None = None


def _time_of_day_table() -> np.ndarray:
    """«h:mm:ss» for every second of a day (hour without a leading zero, as the vendor prints it)."""
    global _TIME_OF_DAY
    if _TIME_OF_DAY is None:
        s = pd.Series(np.arange(86_400))
        text = ((s // 3600).astype(str) + ":" + (s // 60 % 60).astype(str).str.zfill(2) + ":"
                + (s % 60).astype(str).str.zfill(2))
        _TIME_OF_DAY = text.to_numpy(dtype=object)
    return _TIME_OF_DAY


def format_ru_datetime(values: Sequence | np.ndarray | pd.Series) -> np.ndarray:
    """«dd.mm.yyyy h:mm:ss» text for each moment, "" for NaT (vectorised: a table per distinct day)."""
    t = np.asarray(values, dtype="datetime64[s]")
    out = np.full(t.shape, "", dtype=object)
    ok = ~np.isnat(t)
    if not ok.any():
        return out
    tt = t[ok]
    day = tt.astype("datetime64[D]")
    seconds = (tt - day).astype(np.int64)
    day_num = day.astype(np.int64)
    first = day_num.min()
    table = pd.DatetimeIndex(np.arange(first, day_num.max() + 1).astype("datetime64[D]"))
    day_text = table.strftime("%d.%m.%Y ").to_numpy(dtype=object)
    out[ok] = day_text[day_num - first] + _time_of_day_table()[seconds]
    return out


def _yes_no(flags: np.ndarray) -> np.ndarray:
    return np.array([NO, YES], dtype=object)[np.asarray(flags, dtype=np.int64)]


def connect_clients_table(world: World) -> pd.DataFrame:
    """The per-client report's rows as the vendor prints them (sorted by name, duplicate included)."""
    c = world.clients
    table = {
        "Клиент": c["name"], "ИНН": c["inn"], "Регистрационный номер": c["regnum"],
        "Код клиента": c["code"], "Тип клиента": c["client_type"], "Ответственный": c["responsible"],
    }
    table = {k: v.to_numpy(dtype=object) for k, v in table.items()}
    for column, field in CONNECT_FLAGS.items():
        table[column] = _yes_no(c[field].to_numpy())
    table["Дата последней коммуникации"] = format_ru_datetime(c["last_comm"])
    table["Дата последней авторизации"] = format_ru_datetime(c["last_auth"])
    table["Телефон"] = c["phone"].to_numpy(dtype=object)
    table["Email"] = c["email"].to_numpy(dtype=object)
    order = np.argsort(table["Клиент"], kind="stable")
    dup = world.duplicate
    if dup is None:
        return pd.DataFrame({k: v[order] for k, v in table.items()}, dtype=object)
    # The stale copy of the duplicated client goes right before its true row: as the report looked
    # before the client's November communication (see the module docstring).
    stale = int(np.flatnonzero(order == dup)[0])
    order = np.insert(order, stale, dup)
    frame = pd.DataFrame({k: v[order] for k, v in table.items()}, dtype=object)
    times = world.log["time"].to_numpy()
    before = times[(world.log["client"].to_numpy() == dup) & (times < MONTH_STARTS[2])]
    frame.iloc[stale, frame.columns.get_loc("Коммуникации в отчетном месяце")] = NO
    frame.iloc[stale, frame.columns.get_loc("Дата последней коммуникации")] = (
        format_ru_datetime(before[-1:])[0] if len(before) else "")
    return frame


def connect_totals_row(table: pd.DataFrame) -> list:
    """«Итого» and the number of «Да» in each flag column; other cells empty."""
    row: list = [None] * len(CONNECT_COLUMNS)
    row[0] = TOTAL_LABEL
    for column in CONNECT_FLAGS:
        row[CONNECT_COLUMNS.index(column)] = int((table[column].to_numpy() == YES).sum())
    return row


def log_table(world: World, start: int = 0, stop: int | None = None) -> pd.DataFrame:
    """Rows ``start:stop`` of the communication log with the export's Russian headers."""
    log = world.log.iloc[start:stop]
    c = world.clients
    client = log["client"].to_numpy()
    return pd.DataFrame({
        "Дата и время": format_ru_datetime(log["time"].to_numpy()),
        "Клиент": c["name"].to_numpy(dtype=object)[client],
        "ИНН": c["inn"].to_numpy(dtype=object)[client],
        "Код клиента": c["code"].to_numpy(dtype=object)[client],
        "Вид коммуникации": log["channel"].to_numpy(dtype=object),
        "Специалист": log["specialist"].to_numpy(dtype=object),
        "Длительность, мин": log["duration_min"].to_numpy(),
    }, dtype=object)


def clients_table(world: World) -> pd.DataFrame:
    """The ITS client base list: one row per client, ordered by code."""
    c = world.clients.sort_values("code", kind="stable")
    return pd.DataFrame({
        "Код клиента": c["code"], "Клиент": c["name"], "ИНН": c["inn"], "Регистрационный номер": c["regnum"],
        "Тип клиента": c["client_type"], "Ответственный": c["responsible"], "Телефон": c["phone"],
        "Email": c["email"],
    }, dtype=object).reset_index(drop=True)


def buhfon_table(world: World) -> pd.DataFrame:
    """1С-Бухфон «Статистика подключения пользователей» rows with the report's headers."""
    b, c = world.buhfon, world.clients
    client = b["client"].to_numpy()
    return pd.DataFrame({
        "Дата": b["reg_year"].to_numpy(dtype=object),
        "Пользователь": b["user"].to_numpy(dtype=object),
        "Организация": c["name"].to_numpy(dtype=object)[client],
        "ИНН": c["inn"].to_numpy(dtype=object)[client],
        "Пользователь 1С": _yes_no(b["is_1c_user"].to_numpy()),
        "Категория Пользователя": b["category"].to_numpy(dtype=object),
        "Дата последней авторизации": format_ru_datetime(b["last_auth"].to_numpy()),
        "Авторизация в отчетный период": _yes_no(b["authorised"].to_numpy()),
        "Телефон": b["phone"].to_numpy(dtype=object),
        "Email": b["email"].to_numpy(dtype=object),
    }, dtype=object)


# --------------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------------

_CONNECT_WIDTHS = (42, 14, 14, 12, 16, 16, 14, 14, 14, 14, 14, 14, 20, 20, 20, 30)
_BUHFON_WIDTHS = (8, 36, 42, 14, 12, 32, 20, 16, 20, 34)
_CHUNK = 500_000


def _have_xlsxwriter() -> bool:
    try:
        import xlsxwriter  # noqa: F401
    except ImportError:
        return False
    return True


def _write_xlsx(path: Path, sheet: str, top: list[list], header: Sequence[str], body: pd.DataFrame,
                bottom: list[list], widths: Sequence[int], engine: str) -> None:
    if engine == "auto":
        engine = "xlsxwriter" if _have_xlsxwriter() else "openpyxl"
    if engine == "xlsxwriter":
        _write_xlsx_xlsxwriter(path, sheet, top, header, body, bottom, widths)
    elif engine == "openpyxl":
        _write_xlsx_openpyxl(path, sheet, top, header, body, bottom, widths)
    else:
        raise ValueError(f"unknown engine {engine!r}")


def _body_rows(body: pd.DataFrame) -> Iterable[tuple]:
    """Body rows with "" as None (an empty cell, not an empty string), a chunk at a time."""
    for start in range(0, len(body), _CHUNK):
        values = body.iloc[start:start + _CHUNK].to_numpy(dtype=object, copy=True)
        values[values == ""] = None
        yield from map(tuple, values)


def _write_xlsx_xlsxwriter(path: Path, sheet: str, top: list[list], header: Sequence[str],
                           body: pd.DataFrame, bottom: list[list], widths: Sequence[int]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                         "strings_to_urls": False, "strings_to_numbers": False})
    wb.set_properties({"created": WORKBOOK_TIME, "author": "1С-Коннект"})
    ws = wb.add_worksheet(sheet)
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    for i, w in enumerate(widths):
        ws.set_column(i, i, w)
    r = 0
    for row in top:
        if any(v not in (None, "") for v in row):
            ws.write_row(r, 0, row, bold if r == 0 else None)
        r += 1
    ws.write_row(r, 0, list(header), head)
    r += 1
    write_row = ws.write_row
    for row in _body_rows(body):
        write_row(r, 0, row)
        r += 1
    for row in bottom:
        ws.write_row(r, 0, row, bold)
        r += 1
    wb.close()


def _write_xlsx_openpyxl(path: Path, sheet: str, top: list[list], header: Sequence[str],
                         body: pd.DataFrame, bottom: list[list], widths: Sequence[int]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook(write_only=True)
    wb.properties.creator = "1С-Коннект"
    wb.properties.created = wb.properties.modified = WORKBOOK_TIME
    ws = wb.create_sheet(sheet)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    bold = Font(bold=True)
    thin = Side(style="thin")

    def styled(values: Sequence, header_cell: bool = False) -> list:
        cells = []
        for v in values:
            cell = WriteOnlyCell(ws, value=None if v == "" else v)
            cell.font = bold
            if header_cell:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cells.append(cell)
        return cells

    for i, row in enumerate(top):
        ws.append(styled(row) if i == 0 else [None if v == "" else v for v in row])
    ws.append(styled(header, header_cell=True))
    for row in _body_rows(body):
        ws.append(row)
    for row in bottom:
        ws.append(styled(row))
    # Save through ExcelWriter (save_workbook would stamp "modified" with the current time), then
    # repack the archive with fixed member timestamps so the bytes do not change between runs.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    _repack_zip(buffer.getvalue(), path)


def _repack_zip(data: bytes, path: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, src.read(item.filename))


def _csv_chunk(frame: pd.DataFrame, sep: str, lineterminator: str, header: bool) -> str:
    """CSV text of a frame of plain strings and ints, joined column-wise with numpy (several times
    faster than ``to_csv`` on ten million rows). Falls back to ``to_csv`` when any value would need
    quoting (a separator, quote or line break inside), so the output is always what ``to_csv`` writes.
    """
    if len(frame) == 0 or len(frame.columns) == 0:
        return frame.to_csv(sep=sep, index=False, header=header, lineterminator=lineterminator)
    lines = None
    for column in frame.columns:
        values = frame[column].to_numpy(dtype=object)
        if values.dtype != object or not isinstance(values[0], str):
            values = pd.Series(values).astype(str).to_numpy(dtype=object)
        lines = values if lines is None else lines + sep + values
    text = lineterminator.join(lines.tolist()) + lineterminator
    rows, cols = frame.shape
    safe = (text.count(sep) == rows * (cols - 1) and '"' not in text
            and text.count("\n") == rows * lineterminator.count("\n")
            and text.count("\r") == rows * lineterminator.count("\r"))
    if not safe:
        return frame.to_csv(sep=sep, index=False, header=header, lineterminator=lineterminator)
    return (sep.join(frame.columns) + lineterminator + text) if header else text


def _write_csv(path: Path, top: list[str], body: pd.DataFrame, bottom: list[list], *, encoding: str,
               sep: str = ";", lineterminator: str = "\r\n") -> None:
    with open(path, "w", encoding=encoding, errors="strict", newline="") as f:
        for line in top:
            f.write(line + lineterminator)
        for start in range(0, max(len(body), 1), _CHUNK):
            f.write(_csv_chunk(body.iloc[start:start + _CHUNK], sep, lineterminator, start == 0))
        for row in bottom:
            f.write(sep.join("" if v is None else str(v) for v in row) + lineterminator)


def write_connect_clients_xlsx(world: World, path: str | Path, *, engine: str = "auto") -> None:
    """«Статистика использования 1С-Коннект (по клиентам)» as the vendor cabinet's .xlsx (sheet «Отчет»).

    ``engine``: "xlsxwriter" (fast, constant memory), "openpyxl" (write-only; fixed zip timestamps, so
    the bytes are stable) or "auto" (xlsxwriter when installed).
    """
    table = connect_clients_table(world)
    top = [[CONNECT_TITLE], [CONNECT_PERIOD], [CONNECT_CLIENT_TYPES], []]
    _write_xlsx(Path(path), CONNECT_SHEET, top, CONNECT_COLUMNS, table, [connect_totals_row(table)],
                _CONNECT_WIDTHS, engine)


def write_connect_clients_csv(world: World, path: str | Path, *, encoding: str = "cp1251") -> None:
    """The per-client report as a «;» CSV with the same title lines and the «Итого» row."""
    table = connect_clients_table(world)
    _write_csv(Path(path), [CONNECT_TITLE, CONNECT_PERIOD, CONNECT_CLIENT_TYPES, ""], table,
               [connect_totals_row(table)], encoding=encoding)


def write_log_csv(world: World, path: str | Path, *, encoding: str = "utf-8-sig", sep: str = ";",
                  lineterminator: str = "\n") -> None:
    """The communication log: header and one row per communication, sorted by time, chunk by chunk.

    Ten million rows are written by gluing a few precomputed pieces per row (the client's name, ИНН and
    code are joined once per client, channel and specialist once per pair), so it is fast; the text is
    the same as ``log_table(world).to_csv(sep=sep, index=False)``.
    """
    c, log = world.clients, world.log
    client_part = (sep + c["name"] + sep + c["inn"] + sep + c["code"] + sep).to_numpy(dtype=object)
    channels = log["channel"].cat.categories.to_numpy(dtype=object)
    specialists = log["specialist"].cat.categories.to_numpy(dtype=object)
    pair_part = (channels[:, None] + sep + specialists[None, :] + sep).ravel()
    minutes = log["duration_min"].to_numpy()
    minute_part = np.arange(int(minutes.max()) + 1 if len(minutes) else 1).astype(str).astype(object)
    clients_text, pairs_text = "".join(client_part.tolist()), "".join(pair_part.tolist())
    plain = (clients_text.count(sep) == 4 * len(client_part) and pairs_text.count(sep) == 2 * len(pair_part)
             and not any(ch in clients_text + pairs_text for ch in ('"', "\r", "\n")))
    if not plain:
        # A value that needs quoting: let pandas quote it.
        with open(path, "w", encoding=encoding, errors="strict", newline="") as f:
            for start in range(0, max(len(log), 1), _CHUNK):
                log_table(world, start, start + _CHUNK).to_csv(
                    f, sep=sep, index=False, header=start == 0, lineterminator=lineterminator)
        return
    n_spec = len(specialists)
    with open(path, "w", encoding=encoding, errors="strict", newline="") as f:
        f.write(sep.join(LOG_COLUMNS) + lineterminator)
        for start in range(0, len(log), _CHUNK):
            part = log.iloc[start:start + _CHUNK]
            pair = part["channel"].cat.codes.to_numpy(np.int64) * n_spec + part["specialist"].cat.codes.to_numpy(
                np.int64)
            lines = (format_ru_datetime(part["time"].to_numpy()) + client_part[part["client"].to_numpy()]
                     + pair_part[pair] + minute_part[part["duration_min"].to_numpy()])
            f.write(lineterminator.join(lines.tolist()) + lineterminator)


def write_clients_csv(world: World, path: str | Path, *, encoding: str = "cp1251") -> None:
    """The ITS client base: title line, empty line, header and rows; «;», CRLF as Excel writes them."""
    _write_csv(Path(path), [BASE_TITLE, ""], clients_table(world), [], encoding=encoding)


def write_buhfon_xlsx(world: World, path: str | Path, *, engine: str = "auto") -> None:
    """1С-Бухфон «Статистика подключения пользователей» (.xlsx, sheet «Лист1»)."""
    _write_xlsx(Path(path), BUHFON_SHEET, [[BUHFON_TITLE], [BUHFON_PERIOD], []], BUHFON_COLUMNS,
                buhfon_table(world), [], _BUHFON_WIDTHS, engine)


def write_buhfon_csv(world: World, path: str | Path, *, encoding: str = "cp1251") -> None:
    """1С-Бухфон report as a «;» CSV with the same title lines."""
    _write_csv(Path(path), [BUHFON_TITLE, BUHFON_PERIOD, ""], buhfon_table(world), [], encoding=encoding)


# --------------------------------------------------------------------------------------------------
# The committed sample
# --------------------------------------------------------------------------------------------------

SAMPLE_FILES = ("connect_clients_2026-11.xlsx", "connect_log_2026-Q4.csv", "clients_its.csv",
                "buhfon_2026-11.xlsx")


def write_samples(out_dir: str | Path, *, n_clients: int = SAMPLE_CLIENTS, seed: int = SAMPLE_SEED) -> World:
    """Write the four sample files into ``out_dir`` (openpyxl, so the bytes do not depend on extras)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    world = build_world(n_clients, seed)
    write_connect_clients_xlsx(world, out / SAMPLE_FILES[0], engine="openpyxl")
    write_log_csv(world, out / SAMPLE_FILES[1], encoding="utf-8-sig")
    write_clients_csv(world, out / SAMPLE_FILES[2])
    write_buhfon_xlsx(world, out / SAMPLE_FILES[3], engine="openpyxl")
    return world


def summary(world: World) -> dict[str, int]:
    """The sample's headline counts (from the World; the tests recount them from the files)."""
    c = world.clients
    is_1c = (c["client_type"] == CLIENT_TYPE_1C).to_numpy()
    b = world.buhfon
    return {
        "clients": len(c),
        "clients_1c": int(is_1c.sum()),
        "1c_comm_oct_nov": int((is_1c & (c["comm_m0"] | c["comm_m1"])).sum()),
        "1c_comm_nov": int((is_1c & c["comm_m0"]).sum()),
        "1c_comm_sep": int((is_1c & c["comm_m2"]).sum()),
        "1c_comm_sep_nov": int((is_1c & (c["comm_m0"] | c["comm_m1"] | c["comm_m2"])).sum()),
        "log_rows": len(world.log),
        "buhfon_users": len(b),
        "buhfon_not_authorised": int((~b["authorised"]).sum()),
        "buhfon_never": int(b["last_auth"].isna().sum()),
    }


def main(argv: Sequence[str] | None = None) -> int:
    out = Path(__file__).resolve().parent
    world = write_samples(out)
    for name in SAMPLE_FILES:
        print(f"wrote {out / name}")
    for key, value in summary(world).items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
