"""История: the month's figures saved on request, the share by month across quarters, the change since."""

import streamlit as st

from kpi import texts as T
from kpi.compute.quarter import share_pct
from kpi.fmt import fmt_int, fmt_pct, month_label
from ui import data, figures, history, tables, texts, widgets
from ui.state import context, show_demo_note

ctx = context()
st.title(T.PAGE_TITLES["history"])
show_demo_note(ctx)
path = history.db_path()
st.caption(history.path_caption(path))

res = data.connect(ctx.key, ctx.params, ctx.files)
record = None
if res.view is None:
    st.warning(texts.md_escape(texts.sentence(res.error or T.NO_DATA)) + T.H_NOTHING_TO_SAVE,
               icon=":material/warning:")
else:
    s = res.view.summary
    st.markdown(T.H_SHOWN.format(month=month_label(s.month), client_type=texts.CLIENT_TYPE_NAMES[s.client_type],
                                 active=fmt_int(s.active_qtd), base=fmt_int(s.base),
                                 pct=fmt_pct(share_pct(s.active_qtd, s.base)), milestone=fmt_pct(s.milestone_pct, 0)))
    history.save_button(path, s, ctx.demo)
    record = history.month_record(s)

loaded = history.load(path)
if loaded.error or loaded.frame is None:
    st.error(texts.md_escape(loaded.error or ""), icon=":material/error:")
    st.stop()

if record is not None:
    change, error = history.change(path, record)
    if error:
        st.error(texts.md_escape(error), icon=":material/error:")
    elif change is None:
        st.caption(T.H_NO_EARLIER.format(month=month_label(res.view.summary.month)))
    else:
        st.info("  \n".join(texts.change_text(change)), icon=":material/compare_arrows:")

saved = loaded.frame[loaded.frame["client_type"] == ctx.client_type]
if saved.empty:
    st.info(T.H_NONE_SAVED, icon=":material/history:")
else:
    st.subheader(T.H_CHART)
    st.caption(T.H_CHART_CAPTION)
    st.plotly_chart(figures.history_chart(saved), key="history_chart", config={"displayModeBar": False})
st.subheader(T.H_SAVED_MONTHS)
widgets.show_table(tables.history_table(loaded.frame), key="history_table", empty=T.H_NO_SAVED_MONTHS)
