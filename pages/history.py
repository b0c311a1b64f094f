"""История: the month's figures saved on request, the share by month across quarters, the change since."""

import streamlit as st

from kpi.fmt import fmt_int, fmt_pct, month_label
from ui import data, figures, history, tables, texts
from ui.state import context, show_demo_note

ctx = context()
st.title("История")
show_demo_note(ctx)
path = history.db_path()
st.caption(history.path_caption(path))

res = data.connect(ctx.key, ctx.tz, ctx.month, ctx.client_type, ctx.base, ctx.files)
record = None
if res.view is None:
    st.warning(texts.md_escape(texts.sentence(res.error or "нет данных.")) + " Сохранять нечего.",
               icon=":material/warning:")
else:
    s = res.view.summary
    st.markdown(f"**Показанный месяц:** {month_label(s.month)} · {texts.CLIENT_TYPE_NAMES[s.client_type]} · "
                f"с начала квартала {fmt_int(s.active_qtd)} из {fmt_int(s.base)} "
                f"({fmt_pct(figures.share(s.active_qtd, s.base))}), ориентир {fmt_pct(s.milestone_pct, 0)}")
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
        st.caption(f"Раньше месяца «{month_label(res.view.summary.month)}» сохранённых месяцев нет — сравнивать "
                   "не с чем.")
    else:
        st.info("  \n".join(texts.change_text(change)), icon=":material/compare_arrows:")

saved = loaded.frame[loaded.frame["client_type"] == ctx.client_type]
if saved.empty:
    st.info("Пока ничего не сохранено для этого типа клиентов. Сохраните итоги месяца кнопкой выше — "
            "каждый месяц, и здесь появится динамика по кварталам.", icon=":material/history:")
else:
    st.subheader("Доля с начала квартала по месяцам")
    st.caption("Столбец — доля клиентов с коммуникациями с начала квартала на конец месяца (зелёный — ориентир "
               "месяца выполнен), красная отметка — ориентир месяца; пунктир разделяет кварталы.")
    st.plotly_chart(figures.history_chart(saved), key="history_chart", config={"displayModeBar": False})
st.subheader("Сохранённые месяцы")
st.dataframe(tables.history_table(loaded.frame), hide_index=True, key="history_table")
