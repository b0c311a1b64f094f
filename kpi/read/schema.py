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
    ITS_CONTRACTS = "its_contracts"
    PBX_CALLS = "pbx_calls"
    CRM_DEALS = "crm_deals"
    VENDOR_SUMMARY = "vendor_summary"


KIND_RU: dict[Kind, str] = {
    Kind.CONNECT_CLIENTS: "1С-Коннект: статистика по клиентам",
    Kind.CONNECT_LOG: "1С-Коннект: журнал коммуникаций",
    Kind.CLIENT_BASE: "Список клиентов ИТС",
    Kind.BUHFON: "1С-Бухфон: статистика подключения пользователей",
    Kind.ITS_CONTRACTS: "Портал ИТС: отчёт по договорам 1С:ИТС",
    Kind.PBX_CALLS: "История звонков АТС (не 1С-Коннект)",
    Kind.CRM_DEALS: "Выгрузка сделок CRM (не 1С-Коннект)",
    Kind.VENDOR_SUMMARY: "1С-Коннект: сводная таблица отчёта кабинета",
}

#: The CLI's ``--kind FILE=KIND`` names (and the «Данные» page's choices): ``ignore`` sets the file aside.
KIND_OPTIONS: dict[str, Kind | None] = {
    "log": Kind.CONNECT_LOG,
    "stats": Kind.CONNECT_CLIENTS,
    "base": Kind.CLIENT_BASE,
    "its": Kind.ITS_CONTRACTS,
    "buhfon": Kind.BUHFON,
    "ignore": None,
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
#: The evidence that a dated list is a 1С-Коннект log: the kind, channel or line of each contact. A date
#: beside a client is not enough (a contract's «Начало», a call's «Дата», a deal's «Дата начала» are dated too).
CHANNEL = _f("channel", "Вид коммуникации", "Тип коммуникации", "Канал", "Тип обращения", "Вид обращения",
             "Канал коммуникации", "Канал связи", "Способ связи", "Тип взаимодействия", "Вид взаимодействия",
             "Тип события", "Вид события")
LINE = _f("line", "Линия", "Линия поддержки", "Линия консультации", "Линия 1С-Коннект")
SPECIALIST = _f("specialist", "Специалист", "Сотрудник")
CHANNEL_LABELS = ("Вид коммуникации", "Тип коммуникации", "Канал", "Тип обращения")

# The ITS partner portal's «Отчет по договорам 1С:ИТС» (1C:Enterprise saved as xlsx, sheet «TDSheet»).
ITS_CLIENT = _f("client", "Пользователь")
ITS_INN = _f("inn", "ИНН / ЕДРПОУ(Укр) пользователя", "ИНН пользователя", "ИНН")
ITS_REGNUM = _f("regnum", "Регномер", "Регистрационный номер", "Рег. номер")
ITS_KIND = _f("its_kind", "Наименование вида 1С:ИТС")
ITS_KIND_SHORT = _f("its_kind_short", "Вид 1С:ИТС")
ITS_START = _f("start", "Начало")
ITS_END = _f("end", "Конец")
ITS_MONTHS = _f("months", "Месяцев")
ITS_VALID = _f("valid", "Действует")
ITS_REFUSED = _f("refused_from", "Отменена")
ITS_REGISTERED = _f("registered", "Дата регистрации договора 1С:ИТС")
ITS_EXTRA = _f("regnums_extra", "Дополнительные регномера")
ITS_PARTNER = _f("partner", "Партнер", "Код партнера", "ИНН партнера")

# Set aside: a cloud PBX's call history («История звонков») and a CRM's deal export.
PBX_CALL_TYPE = _f("call_type", "Тип звонка")
PBX_VIA = _f("pbx_via", "Через")
PBX_FORWARD = _f("pbx_forward", "Переадресация")
PBX_WAIT = _f("pbx_wait", "Ожидание")
PBX_DURATION = _f("pbx_duration", "Длительность")
PBX_POSITION = _f("pbx_position", "Должность")
CRM_DEAL = _f("deal", "Название сделки", "Сделка")
CRM_STAGE = _f("deal_stage", "Стадия сделки")
CRM_FUNNEL = _f("funnel", "Воронка", "Направление сделки")
CRM_AMOUNT = _f("amount", "Сумма")
CRM_CURRENCY = _f("currency", "Валюта")
CRM_COMPANY = _f("company", "Компания")

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


#: A phone call history: «Тип звонка», or two of the columns only a PBX writes.
PBX_EVIDENCE = (PBX_CALL_TYPE, PBX_FORWARD, PBX_WAIT, PBX_VIA)
#: A CRM deal export: a deal's name, stage or funnel.
CRM_EVIDENCE = (CRM_DEAL, CRM_STAGE, CRM_FUNNEL)

ITS_FIELDS = (ITS_PARTNER, ITS_REGNUM, ITS_CLIENT, ITS_INN, ITS_KIND, ITS_START, ITS_END, ITS_MONTHS, ITS_VALID,
              ITS_KIND_SHORT, ITS_REFUSED, ITS_REGISTERED, ITS_EXTRA, RESPONSIBLE)

#: Kinds in the order they are tried, most specific first. ``required`` must all be present and one of
#: ``any_of``; a log also needs the evidence of communications (``CHANNEL`` or ``LINE``), see ``recognise``.
SPECS: tuple[KindSpec, ...] = (
    KindSpec(Kind.ITS_CONTRACTS, ITS_FIELDS, required=(ITS_KIND, ITS_START, ITS_END),
             any_of=(ITS_INN, ITS_REGNUM, ITS_CLIENT)),
    KindSpec(Kind.BUHFON, (BF_DATE, BF_IS_1C, BF_CATEGORY, BF_LAST_AUTH, BF_AUTH, BF_USER, CLIENT, INN,
                           REGNUM, CODE, RESPONSIBLE),
             required=(BF_CATEGORY,), any_of=(BF_AUTH, BF_LAST_AUTH)),
    KindSpec(Kind.CONNECT_CLIENTS, (*IDENTITY, CLIENT_TYPE, RESPONSIBLE, *COMM_FLAGS, *AUTH_FLAGS, LAST_COMM,
                                    LAST_AUTH),
             required=(COMM_M0,), any_of=IDENTITY),
    KindSpec(Kind.CONNECT_LOG, (EVENT_TIME, *IDENTITY, CLIENT_TYPE, CHANNEL, LINE, SPECIALIST, RESPONSIBLE),
             required=(EVENT_TIME,), any_of=IDENTITY),
    KindSpec(Kind.CLIENT_BASE, (*IDENTITY, CLIENT_TYPE, RESPONSIBLE, LAST_COMM, LAST_AUTH),
             required=(), any_of=IDENTITY),
)
SPEC_BY_KIND: dict[Kind, KindSpec] = {spec.kind: spec for spec in SPECS}

#: Shapes recognised only to be set aside: their columns also make a header row.
SET_ASIDE_FIELDS: tuple[Field, ...] = (*PBX_EVIDENCE, PBX_DURATION, PBX_POSITION, CLIENT, SPECIALIST, EVENT_TIME,
                                       *CRM_EVIDENCE, CRM_AMOUNT, CRM_CURRENCY, CRM_COMPANY, RESPONSIBLE, REGNUM)

#: Every alias any kind knows, and the field it names (the first field that has it): a row with two
#: distinct such fields is a header row.
ALIAS_FIELD: dict[str, str] = {}
for _field in (*(f for spec in SPECS for f in spec.fields), *SET_ASIDE_FIELDS):
    for _alias in _field.aliases:
        ALIAS_FIELD.setdefault(_alias, _field.name)
del _field, _alias
ALL_ALIASES: frozenset[str] = frozenset(ALIAS_FIELD)


def expected_columns_ru() -> str:
    """A short Russian list of what each kind needs, for the "no known columns" message."""
    lines = []
    for spec in SPECS:
        need = [f"«{f.label}»" for f in spec.required]
        if spec.any_of:
            need.append("одна из " + ", ".join(f"«{f.label}»" for f in spec.any_of))
        if spec.kind is Kind.CONNECT_LOG:  # a date and a client are no log without the kind of contact
            need.append("одна из " + ", ".join(f"«{a}»" for a in (*CHANNEL_LABELS, LINE.label)))
        lines.append(f"{KIND_RU[spec.kind]}: " + "; ".join(need))
    return "\n".join(lines)
