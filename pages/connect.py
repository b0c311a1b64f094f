"""1С-Коннект: квартал — the gauges, the quarter at a glance, the summary and whom to call."""

import streamlit as st

from kpi import texts as T
from kpi.compute.silent import apply_filter
from ui import data, downloads, figures, problems, tables, texts, widgets
from ui.state import context, show_demo_note, show_file_errors

ctx = context()
st.title(T.PAGE_TITLES["connect"])
show_demo_note(ctx)
res = data.connect(ctx.key, ctx.params, ctx.files)
show_file_errors([*ctx.overview.errors, *res.file_errors])
problems.show_short(problems.gather(ctx.overview.reports, res.warnings))
if res.view is None:
    st.warning(texts.md_escape(texts.sentence(res.error or T.NO_DATA)), icon=":material/warning:")
    st.stop()
view, s, cdata = res.view, res.view.summary, res.view.data
st.caption(f"{texts.heading(s)} · {texts.base_text(s)}")

g1, g2, g3 = st.columns([5, 5, 3])
g1.plotly_chart(figures.qtd_gauge(s), key="gauge_qtd", config={"displayModeBar": False})
g2.plotly_chart(figures.window_gauge(s), key="gauge_window", config={"displayModeBar": False})
with g3:
    widgets.forecast_panel(data.forecast(ctx.key, ctx.params, ctx.today, ctx.files))
for level, text in texts.status_messages(s):
    getattr(st, level)(text)
st.page_link("pages/history.py", label=T.C_TO_HISTORY, icon=":material/history:")

left, right = st.columns(2, gap="large")
with left:
    st.subheader(T.C_SUMMARY)
    st.table(tables.summary_table(s), hide_index=True, border="horizontal")
with right:
    st.subheader(T.C_QUARTER)
    st.plotly_chart(figures.quarter_chart(s), key="quarter_chart", config={"displayModeBar": False})
st.table(tables.months_table(s), hide_index=True, border="horizontal")
widgets.vendor_section(s, view.vendor_summary, cdata, res.warnings)  # type: ignore[arg-type]
widgets.not_in_base_section(view.not_in_base, view.log_clients_not_in_base)

st.subheader(T.C_SILENT)
st.caption(T.C_SILENT_CAPTION.format(client_type=texts.CLIENT_TYPE_NAMES[ctx.client_type]))
filt = widgets.client_filter(ctx.client_type, res.responsible, cdata.has_auth)
rows = apply_filter(res.status, filt)
widgets.show_list(downloads.silent_frame(rows.head(tables.MAX_ROWS), cdata), len(rows), texts.CLIENTS,
                  key="silent_list")
widgets.download_buttons(
    downloads.silent_file_name(s, "xlsx"), lambda: downloads.silent_xlsx(rows, cdata, s),
    downloads.silent_file_name(s, "csv"), lambda: downloads.silent_csv(rows, cdata), key="silent", rows=len(rows))
with st.expander(T.C_SPLIT, icon=":material/groups:"):
    widgets.split_section(ctx, filt, res.responsible, s, cdata)
