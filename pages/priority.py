"""Приоритетный обзвон: clients silent in 1С-Коннект and not launching 1С-Бухфон — one list for both."""

import streamlit as st

from kpi import texts as T
from kpi.fmt import fmt_int, month_label
from ui import data, downloads, texts, widgets
from ui.state import context, show_demo_note, show_file_errors

ctx = context()
st.title(T.PAGE_TITLES["priority"])
show_demo_note(ctx)
show_file_errors(ctx.overview.errors)
st.caption(T.P_CAPTION)
scope = st.radio(T.P_SCOPE, list(T.P_SCOPES), format_func=T.P_SCOPES.__getitem__, key="pr_scope", horizontal=True)
pr = data.priority(ctx.key, ctx.params, scope, ctx.today, ctx.files)
con = data.connect(ctx.key, ctx.params, ctx.files)
if pr.result is None or con.view is None:
    st.info(T.P_NEEDS_BOTH, icon=":material/join_inner:")
    st.warning(texts.md_escape(pr.missing or texts.sentence(T.NO_DATA)), icon=":material/warning:")
    st.stop()
r, s, cdata = pr.result, con.view.summary, con.view.data

m1, m2 = st.columns(2)
m1.metric(T.P_SILENT_METRIC.format(scope=T.P_SCOPES[scope], month=month_label(s.month)), fmt_int(len(r.rows)),
          border=True)
m2.metric(T.P_MATCHED, fmt_int(r.matched_clients), border=True)
unmatched = r.unmatched_ru()
if unmatched:
    lines = "\n".join(f"- {texts.md_escape(texts.sentence(x))}" for x in unmatched)
    st.markdown(f"{T.P_UNMATCHED}\n{lines}")
else:
    st.caption(T.P_ALL_MATCHED)

frame = downloads.priority_frame(r, cdata)
widgets.show_list(frame, len(frame), texts.CLIENTS, key="priority_list")
widgets.download_buttons(
    downloads.priority_file_name(s, "xlsx"), lambda: downloads.priority_xlsx(r, cdata, s),
    downloads.priority_file_name(s, "csv"), lambda: downloads.priority_csv(r, cdata), key="priority",
    rows=len(frame))
