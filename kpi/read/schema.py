"""What the vendor's exports call their columns, and which kind of export a header row is.

A person should never have to say which file is which: the kind is judged from the columns. Header
names are compared after ``normalize_header`` (case, ё/е, whitespace and line breaks inside a cell,
trailing punctuation), so «Коммуникации в\nотчетном месяце:» and «коммуникации в отчётном месяце» agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """Kinds of input the package recognises."""

    CONNECT_CLIENTS = "connect_clients"
    CONNECT_LOG = "connect_log"
    CLIENT_BASE = "client_base"
    BUHFON = "buhfon"


KIND_RU: dict[Kind, str] = {
    Kind.CONNECT_CLIENTS: "1С-Коннект: статистика по клиентам",
    Kind.CONNECT_LOG: "1С-Коннект: журнал коммуникаций",
    Kind.CLIENT_BASE: "Список клиентов ИТС",
    Kind.BUHFON: "1С-Бухфон: статистика подключения пользователей",
}

_WS = re.compile(r"\s+")
_TRAIL = re.compile(r"[\s:;,.*]+$")


def normalize_header(text: object) -> str:
    """Fold a header cell to the form aliases are written in."""
    s = "" if text is None else str(text)
    s = s.replace("\u00a0", " ").lower().replace("ё", "е")
    s = _WS.sub(" ", s).strip()
    return _TRAIL.sub("", s)


@dataclass(frozen=True)
class Field:
    """A column the package understands: its identifier, Russian label and the header names it has."""

    name: str
    label: str
    aliases: tuple[str, ...]


def _f(name: str, label: str, *aliases: str) -> Field:
    return Field(name, label, tuple(normalize_header(a) for a in (label, *aliases)))


# Identity of a client (1С-Коннект exports, client lists, logs).
CLIENT = _f("client", "Клиент", "Наименование клиента", "Организация", "Контрагент", "Наименование",
            "Клиент (организация)")
INN = _f("inn", "ИНН", "ИНН клиента")
REGNUM = _f("regnum", "Регистрационный номер", "Рег. номер", "Рег.номер", "Регномер", "Рег номер")
CODE = _f("code", "Код клиента", "Код")
CLIENT_TYPE = _f("client_type", "Тип клиента", "Категория клиента", "Тип клиентов")
RESPONSIBLE = _f("responsible", "Ответственный", "Менеджер", "Ответственный менеджер")

# 1С-Коннект per-client statistics: flags for the reporting month and the two before it.
COMM_M0 = _f("comm_m0", "Коммуникации в отчетном месяце", "Коммуникация в отчетном месяце")
COMM_M1 = _f("comm_m1", "Коммуникации в -1 месяце", "Коммуникация в -1 месяце")
COMM_M2 = _f("comm_m2", "Коммуникации в -2 месяце", "Коммуникация в -2 месяце")
AUTH_M0 = _f("auth_m0", "Авторизация в отчетном месяце", "Авторизации в отчетном месяце")
AUTH_M1 = _f("auth_m1", "Авторизация в -1 месяце", "Авторизации в -1 месяце")
AUTH_M2 = _f("auth_m2", "Авторизация в -2 месяце", "Авторизации в -2 месяце")
LAST_COMM = _f("last_comm", "Дата последней коммуникации", "Последняя коммуникация")
LAST_AUTH = _f("last_auth", "Дата последней авторизации", "Последняя авторизация")

# Communication log: one row per chat, call or remote session.
EVENT_TIME = _f("event_time", "Дата", "Дата и время", "Начало", "Дата начала", "Время начала")
CHANNEL = _f("channel", "Вид коммуникации", "Тип коммуникации", "Канал", "Тип обращения")
SPECIALIST = _f("specialist", "Специалист", "Сотрудник")

# 1С-Бухфон "Статистика подключения пользователей".
BF_DATE = _f("bf_date", "Дата")
BF_IS_1C = _f("bf_is_1c", "Пользователь 1С")
BF_CATEGORY = _f("bf_category", "Категория Пользователя", "Категория пользователя")
BF_LAST_AUTH = _f("bf_last_auth", "Дата последней авторизации")
BF_AUTH = _f("bf_auth", "Авторизация в отчетный период", "Авторизация в отчетном периоде")
BF_USER = _f("bf_user", "Пользователь", "Логин", "ФИО", "Имя пользователя")

COMM_FLAGS = (COMM_M0, COMM_M1, COMM_M2)
AUTH_FLAGS = (AUTH_M0, AUTH_M1, AUTH_M2)
IDENTITY = (CLIENT, INN, REGNUM, CODE)


@dataclass(frozen=True)
class KindSpec:
    """Fields a kind may map; ``required`` must all be present, ``any_of`` at least one of them."""

    kind: Kind
    fields: tuple[Field, ...]
    required: tuple[Field, ...]
    any_of: tuple[Field, ...] = ()


SPECS: tuple[KindSpec, ...] = (
    KindSpec(Kind.BUHFON, (BF_DATE, BF_IS_1C, BF_CATEGORY, BF_LAST_AUTH, BF_AUTH, BF_USER, CLIENT, INN,
                           REGNUM, CODE, RESPONSIBLE),
             required=(BF_CATEGORY,), any_of=(BF_AUTH, BF_LAST_AUTH)),
    KindSpec(Kind.CONNECT_CLIENTS, (*IDENTITY, CLIENT_TYPE, RESPONSIBLE, *COMM_FLAGS, *AUTH_FLAGS, LAST_COMM,
                                    LAST_AUTH),
             required=(COMM_M0,), any_of=IDENTITY),
    KindSpec(Kind.CONNECT_LOG, (EVENT_TIME, *IDENTITY, CLIENT_TYPE, CHANNEL, SPECIALIST, RESPONSIBLE),
             required=(EVENT_TIME,), any_of=IDENTITY),
    KindSpec(Kind.CLIENT_BASE, (*IDENTITY, CLIENT_TYPE, RESPONSIBLE, LAST_COMM, LAST_AUTH),
             required=(), any_of=IDENTITY),
)

#: Every alias any kind knows: a row holding several of them is a header row.
ALL_ALIASES: frozenset[str] = frozenset(a for spec in SPECS for f in spec.fields for a in f.aliases)


def expected_columns_ru() -> str:
    """A short Russian list of what each kind needs, for the "no known columns" message."""
    lines = []
    for spec in SPECS:
        need = [f"«{f.label}»" for f in spec.required]
        if spec.any_of:
            need.append("одна из " + ", ".join(f"«{f.label}»" for f in spec.any_of))
        lines.append(f"{KIND_RU[spec.kind]}: " + "; ".join(need))
    return "\n".join(lines)
