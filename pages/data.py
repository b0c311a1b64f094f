"""Данные: what was recognised in each file, so a person can trust or fix their export."""

import streamlit as st

from kpi.fmt import fmt_int
from ui import data, tables, texts
from ui.state import context, show_demo_note, show_file_errors

ctx = context()
st.title("Данные")
show_demo_note(ctx)
st.caption("Что приложение нашло в каждом файле: вид выгрузки, лист и строку заголовка, какие столбцы как поняты, "
           "отчетный месяц и какие строки пропущены или объединены — с номерами строк, как в файле.")
res = data.connect(ctx.key, ctx.tz, ctx.month, ctx.client_type, ctx.base, ctx.files)
join_errors, join_notes = res.file_errors, res.notes

for i, rep in enumerate(ctx.overview.reports):
    errors = tables.errors_for(rep.file, [*([rep.error] if rep.error else []), *join_errors])
    notes = [*rep.notes, *(n for n in join_notes if n.file == rep.file)]
    icon = ":material/error:" if errors else ":material/check_circle:"
    with st.expander(f"{texts.md_escape(rep.file)} — {fmt_int(rep.rows_used)} из {fmt_int(rep.rows_read)} строк",
                     expanded=True, icon=icon):
        show_file_errors(errors)
        left, right = st.columns([2, 3])
        left.dataframe(tables.report_properties(rep), hide_index=True, key=f"props_{i}")
        if rep.mapping:
            right.dataframe(tables.mapping_table(rep), hide_index=True, key=f"map_{i}")
        if rep.title:
            st.caption("Строки над таблицей: " + texts.md_escape(" · ".join(rep.title)))
        if notes:
            st.markdown(f"**Пропущенные и объединённые строки, предупреждения: {fmt_int(len(notes))}**")
            st.dataframe(tables.notes_table(notes), hide_index=True, key=f"notes_{i}")
        elif not errors:
            st.caption("Все строки прочитаны, ничего не пропущено и не объединено.")
