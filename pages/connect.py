"""1С-Коннект: квартал — the gauges, the quarter at a glance, the summary and whom to call."""

import streamlit as st

from kpi.compute.silent import apply_filter
from ui import data, downloads, figures, tables, texts, widgets
from ui.state import context, show_demo_note, show_file_errors

ctx = context()
st.title("1С-Коннект: квартал")
show_demo_note(ctx)
res = data.connect(ctx.key, ctx.tz, ctx.month, ctx.client_type, ctx.base, ctx.files)
show_file_errors([*ctx.overview.errors, *res.file_errors])
if res.view is None:
    st.warning(texts.md_escape(texts.sentence(res.error or "нет данных.")), icon=":material/warning:")
    st.stop()
s, cdata = res.view.summary, res.view.data
st.caption(f"{texts.heading(s)} · {texts.base_text(s)}")

g1, g2, g3 = st.columns([5, 5, 3])
g1.plotly_chart(figures.qtd_gauge(s), key="gauge_qtd", config={"displayModeBar": False})
g2.plotly_chart(figures.window_gauge(s), key="gauge_window", config={"displayModeBar": False})
with g3:
    widgets.forecast_panel(data.forecast(ctx.key, ctx.tz, ctx.month, ctx.client_type, ctx.base, ctx.today,
                                         ctx.files))
for level, text in texts.status_messages(s):
    getattr(st, level)(text)
st.page_link("pages/history.py", label="Сохранить итоги месяца и посмотреть историю", icon=":material/history:")

left, right = st.columns(2, gap="large")
with left:
    st.subheader("Сводка, как в отчёте кабинета")
    st.table(tables.summary_table(s), hide_index=True, border="horizontal")
with right:
    st.subheader("Квартал по месяцам")
    st.plotly_chart(figures.quarter_chart(s), key="quarter_chart", config={"displayModeBar": False})
st.table(tables.months_table(s), hide_index=True, border="horizontal")

st.subheader("Кому позвонить: молчащие клиенты")
st.caption(f"Тип клиентов: {texts.CLIENT_TYPE_NAMES[ctx.client_type]} (меняется в боковой панели). "
           "В списке только клиенты из базы; фильтры складываются.")
filt = widgets.client_filter(ctx.client_type, res.responsible, cdata.has_auth)
rows = apply_filter(res.status, filt)
widgets.show_list(downloads.silent_frame(rows.head(tables.MAX_ROWS), cdata), len(rows), texts.CLIENTS,
                  key="silent_list")
widgets.download_buttons(
    downloads.silent_file_name(s, "xlsx"), lambda: downloads.silent_xlsx(rows, cdata, s),
    downloads.silent_file_name(s, "csv"), lambda: downloads.silent_csv(rows, cdata), key="silent")
with st.expander("Распределить звонки", icon=":material/groups:"):
    widgets.split_section(ctx, filt, res.responsible, s, cdata)
