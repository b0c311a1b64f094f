"""Two managers at once: one session's uploads never reach another; the optional login gate."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from kpi.read.recognise import Parsed
from tests.pages.apptest import new_app

ROOT = Path(__file__).resolve().parents[2]
SECRET = "ООО Секретный клиент"




def _all_text(at: AppTest) -> str:
    parts = [str(e.value) for kind in ("markdown", "caption", "info", "warning", "error", "title", "text")
             for e in at.get(kind)]
    parts += [e.value.to_string() for e in at.dataframe]
    parts += [e.value.to_string() for e in at.table]
    return "\n".join(parts)


def test_one_sessions_upload_is_not_visible_in_another():
    rows = ["Код клиента;Клиент;Тип клиента", f"S1;{SECRET};Клиенты 1С", "S2;ООО Другой;Клиенты 1С"]
    log = ["Дата и время;Код клиента;Вид коммуникации", "05.11.2026 10:00:00;S2;Чат"]
    a, b = new_app(), new_app()
    a.file_uploader(key="uploads").set_value([
        ("база.csv", "\r\n".join(rows).encode("cp1251"), "text/csv"),
        ("журнал.csv", "\r\n".join(log).encode("cp1251"), "text/csv")])
    a.run()
    assert not a.exception, a.exception
    assert SECRET in _all_text(a)
    b.run()
    assert not b.exception, b.exception
    text_b = _all_text(b)
    assert SECRET not in text_b
    assert "Демонстрационные данные" in text_b  # B still sees the samples, not A's files
    # session state stays small and named: no parsed tables or frames are kept in it, in either session
    for at in (a, b):
        for key, value in at.session_state.items():
            assert not isinstance(value, Parsed | pd.DataFrame), key
    assert not any(SECRET in repr(v) for k, v in b.session_state.items())


def test_login_is_off_without_auth_config():
    at = new_app()
    assert "login" not in [w.key for w in at.button]
    assert at.title and at.title[0].value != "Вход"


def test_login_gate_when_auth_is_configured():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "kpi", "client_secret": "s",
                          "server_metadata_url": "https://login.example.invalid/.well-known/openid-configuration"}
    at.run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Вход"]
    assert [w.key for w in at.button] == ["login"]
    assert not at.get("plotly_chart")  # nothing of the data is drawn before login
    assert not at.get("file_uploader")
