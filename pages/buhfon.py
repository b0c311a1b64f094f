"""1С-Бухфон: запуски — users whose program did not start in the period, by category, and the list."""

import streamlit as st

from kpi import texts as T
from kpi.compute.buhfon import apply_buhfon_filter, buhfon_export_frame
from kpi.fmt import fmt_date, fmt_int
from kpi.read.recognise import col
from kpi.read.schema import BF_IS_1C
from ui import data, downloads, figures, tables, texts, widgets
from ui.state import context, show_demo_note, show_file_errors

ctx = context()
st.title(T.PAGE_TITLES["buhfon"])
show_demo_note(ctx)
show_file_errors(ctx.overview.errors)
with st.expander(T.B_PERIOD_EXPANDER):
    c1, c2 = st.columns(2)
    start = c1.date_input(T.B_FROM, value=None, key="bf_from", format="DD.MM.YYYY")
    end = c2.date_input(T.B_TO, value=None, key="bf_to", format="DD.MM.YYYY")
res = data.buhfon(ctx.key, ctx.tz, ctx.kinds, start, end, ctx.today, ctx.files)
if res.result is None or res.data is None:
    st.warning(texts.md_escape(texts.sentence(res.error or T.NO_DATA)), icon=":material/warning:")
    st.stop()
r = res.result
period = f"{fmt_date(r.period_from)} – {fmt_date(r.period_to)}" if r.period_from and r.period_to else T.B_PERIOD_NONE
st.caption(T.B_CAPTION.format(period=period, as_of=fmt_date(r.as_of)))

m1, m2, m3 = st.columns(3)
m1.metric(T.B_USERS, fmt_int(r.users), border=True)
m2.metric(T.B_NOT_LAUNCHED, fmt_int(r.not_launched), border=True)
m3.metric(T.B_NEVER, fmt_int(r.never_launched), border=True)

st.subheader(T.B_BY_CATEGORY)
st.plotly_chart(figures.category_chart(r.by_category()), key="bf_categories_chart", config={"displayModeBar": False})

st.subheader(T.B_CALL)
f = widgets.buhfon_filter(widgets.categories_of(r.table), col(BF_IS_1C) in r.table)
rows = apply_buhfon_filter(r.table, f)
listed = tables.buhfon_display_order(buhfon_export_frame(rows, res.data), res.data.field_columns)
widgets.show_list(listed, len(rows), texts.USERS, key="bf_list")
widgets.download_buttons(
    downloads.buhfon_file_name(r, "xlsx"), lambda: downloads.buhfon_xlsx(rows, res.data, r),
    downloads.buhfon_file_name(r, "csv"), lambda: downloads.buhfon_csv(rows, res.data), key="bf", rows=len(rows))
