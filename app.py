"""Streamlit entry point: routes to the pages and draws the shared sidebar. Run: streamlit run app.py"""

import streamlit as st

from ui.auth import require_login
from ui.nav import PAGE_CONFIG, pages
from ui.state import sidebar_context

st.set_page_config(**PAGE_CONFIG)
# st.navigation before any widget: with the uploader created first, a browser's first upload after a
# server start was lost (see /work/shared/TOOLCHAIN.md).
page = st.navigation(pages())
require_login()  # only when [auth] is configured in .streamlit/secrets.toml
with sidebar_context():  # the pages read the sidebar's files and parameters with ui.state.context()
    page.run()
