"""О показателе: the rules in plain Russian, from the constants the computations use (kpi.rules)."""

import streamlit as st

from kpi import texts as T
from ui.state import context
from ui.texts import about_markdown

context()  # the shared sidebar (and the entrypoint, when a page is run on its own)
st.title(T.PAGE_TITLES["about"])
st.caption(T.ABOUT_CAPTION)
st.markdown(about_markdown())
