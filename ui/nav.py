"""The app's pages and page settings, in one place for ``app.py``."""

from __future__ import annotations

import streamlit as st

PAGE_CONFIG = {"page_title": "KPI 1С-Коннект и 1С-Бухфон", "page_icon": ":material/speed:", "layout": "wide"}


def pages() -> list[st.Page]:
    return [
        st.Page("pages/connect.py", title="1С-Коннект: квартал", icon=":material/speed:", default=True),
        st.Page("pages/buhfon.py", title="1С-Бухфон: запуски", icon=":material/phone_in_talk:"),
        st.Page("pages/priority.py", title="Приоритетный обзвон", icon=":material/priority_high:"),
        st.Page("pages/history.py", title="История", icon=":material/history:"),
        st.Page("pages/data.py", title="Данные", icon=":material/table_view:"),
        st.Page("pages/about.py", title="О показателе", icon=":material/info:"),
    ]
