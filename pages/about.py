"""О показателе: the rules in plain Russian, from the constants the computations use (kpi.rules)."""

import streamlit as st

from ui.state import context
from ui.texts import about_markdown

context()  # the shared sidebar (and the entrypoint, when a page is run on its own)
st.title("О показателе")
st.caption("Правила из «Инструкции для Центров сопровождения 1С по отслеживанию выполнения нормативного "
           "показателя по 1С-Коннект» — так, как их считает это приложение.")
st.markdown(about_markdown())
