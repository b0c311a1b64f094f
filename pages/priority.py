"""Приоритетный обзвон: clients silent in 1С-Коннект and not launching 1С-Бухфон — one list for both."""

import streamlit as st

from kpi.fmt import fmt_int, month_label
from ui import data, downloads, texts, widgets
from ui.state import context, show_demo_note, show_file_errors

SCOPES = {"month": "в отчетном месяце", "quarter": "с начала квартала"}

ctx = context()
st.title("Приоритетный обзвон")
show_demo_note(ctx)
show_file_errors(ctx.overview.errors)
st.caption("Клиенты, которые молчат в 1С-Коннект и чьи пользователи не запускали 1С-Бухфон в периоде его отчёта. "
           "Пользователи 1С-Бухфон сопоставляются с клиентами по ИНН, затем по регистрационному номеру, затем по "
           "наименованию. Тип клиентов — из боковой панели.")
scope = st.radio("Нет коммуникаций в 1С-Коннект", list(SCOPES), format_func=SCOPES.__getitem__, key="pr_scope",
                 horizontal=True)
pr = data.priority(ctx.key, ctx.tz, ctx.month, ctx.client_type, ctx.base, scope, ctx.today, ctx.files)
con = data.connect(ctx.key, ctx.tz, ctx.month, ctx.client_type, ctx.base, ctx.files)
if pr.result is None or con.view is None:
    st.info("Для этого списка нужны обе выгрузки: из 1С-Коннект (статистика по клиентам, журнал или список "
            "клиентов) и из 1С-Бухфон (статистика подключения пользователей).", icon=":material/join_inner:")
    st.warning(texts.md_escape(pr.missing or "Нет данных."), icon=":material/warning:")
    st.stop()
r, s, cdata = pr.result, con.view.summary, con.view.data

m1, m2 = st.columns(2)
m1.metric(f"Молчат {SCOPES[scope]} ({month_label(s.month)}) и не запускают 1С-Бухфон", fmt_int(len(r.rows)),
          border=True)
m2.metric("Клиентов, сопоставленных с пользователями 1С-Бухфон", fmt_int(r.matched_clients), border=True)
unmatched = r.unmatched_ru()
if unmatched:
    lines = "\n".join(f"- {texts.md_escape(texts.sentence(x))}" for x in unmatched)
    st.markdown(f"**Не удалось сопоставить:**\n{lines}")
else:
    st.caption("Все молчащие клиенты и все пользователи 1С-Бухфон сопоставлены.")

frame = downloads.priority_frame(r, cdata)
widgets.show_list(frame, len(frame), texts.CLIENTS, key="priority_list")
widgets.download_buttons(
    downloads.priority_file_name(s, "xlsx"), lambda: downloads.priority_xlsx(r, cdata, s),
    downloads.priority_file_name(s, "csv"), lambda: downloads.priority_csv(r, cdata), key="priority")
