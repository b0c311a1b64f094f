"""The app's entry point as a function: page settings, the pages, the login gate and the shared sidebar.

``app.py`` calls ``main()``. A page file calls it too when Streamlit runs the page on its own: a folder
named ``pages/`` beside the entrypoint makes Streamlit start in its legacy multipage mode, which runs
``pages/x.py`` without ``app.py`` — on a server for the first run after a start when the URL names a page
(``/history``), and in ``AppTest`` for every run after a ``switch_page``. ``ui.state.context()`` notices
(no sidebar was drawn in this run), calls ``main()`` and stops the outer run; ``st.navigation`` then
routes to the same page (its URL path is the file's name) with the sidebar drawn as on every other run.
Only public Streamlit calls are used.
"""

from __future__ import annotations

import streamlit as st

from kpi import texts as T
from ui.auth import require_login
from ui.state import sidebar_context

PAGE_CONFIG = {"page_title": T.APP_TITLE, "page_icon": ":material/speed:", "layout": "wide"}


def pages() -> list[st.Page]:
    return [
        st.Page("pages/connect.py", title=T.PAGE_TITLES["connect"], icon=":material/speed:", default=True),
        st.Page("pages/buhfon.py", title=T.PAGE_TITLES["buhfon"], icon=":material/phone_in_talk:"),
        st.Page("pages/priority.py", title=T.PAGE_TITLES["priority"], icon=":material/priority_high:"),
        st.Page("pages/history.py", title=T.PAGE_TITLES["history"], icon=":material/history:"),
        st.Page("pages/data.py", title=T.PAGE_TITLES["data"], icon=":material/table_view:"),
        st.Page("pages/about.py", title=T.PAGE_TITLES["about"], icon=":material/info:"),
    ]


def main() -> None:
    """One run of the app: route, gate, draw the sidebar, run the chosen page inside it."""
    st.set_page_config(**PAGE_CONFIG)
    # st.navigation before any widget: with the sidebar's uploader created first, a browser's first upload
    # after a server start was lost (the file reached the server, the widget stayed empty; 4 tries of 4).
    page = st.navigation(pages())
    require_login()  # only when [auth] is configured in .streamlit/secrets.toml
    with sidebar_context():  # the pages read the sidebar's files and parameters with ui.state.context()
        page.run()
