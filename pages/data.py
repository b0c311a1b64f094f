"""Данные: how each file was read and why, what was set aside, and the user's say over it."""

import streamlit as st

from kpi import texts as T
from kpi.fmt import fmt_int
from ui import data, files, problems, tables, texts
from ui.state import context, show_demo_note, show_file_errors

ctx = context()
st.title(T.PAGE_TITLES["data"])
show_demo_note(ctx)
st.caption(T.D_CAPTION)
res = data.connect(ctx.key, ctx.params, ctx.files)
if res.error:  # why the quarter cannot be computed, naming the files and how each was read
    st.warning(texts.md_escape(texts.sentence(res.error)), icon=":material/warning:")
problems.show_full(problems.not_of_files(res.warnings, ctx.overview.reports))

for i, rep in enumerate(ctx.overview.reports):
    errors = tables.errors_for(rep.file, [*([rep.error] if rep.error else []), *res.file_errors])
    notes = [*rep.notes, *(n for n in res.notes if n.file == rep.file)]
    aside = problems.gather([rep], [w for w in res.warnings if w.file == rep.file])
    icon = ":material/error:" if errors else ":material/warning:" if aside else ":material/check_circle:"
    title = (T.D_FILE_ASIDE.format(file=texts.md_escape(rep.file)) if rep.set_aside else
             T.D_FILE.format(file=texts.md_escape(rep.file), used=fmt_int(rep.rows_used), read=fmt_int(rep.rows_read)))
    with st.expander(title, expanded=True, icon=icon):
        show_file_errors(errors)
        problems.show_full(aside)
        files.kind_picker(ctx, rep.file)
        left, right = st.columns([2, 3])
        left.table(tables.report_properties(rep), hide_index=True, border="horizontal")
        if rep.mapping:
            right.dataframe(tables.mapping_table(rep), hide_index=True, key=f"map_{i}")
        if rep.title:
            st.caption(T.D_TITLE_ROWS.format(rows=texts.md_escape(" · ".join(rep.title))))
        if notes:
            st.markdown(T.D_NOTES.format(count=fmt_int(len(notes))))
            st.dataframe(tables.notes_table(notes), hide_index=True, key=f"notes_{i}")
        elif not errors:
            st.caption(T.D_ALL_READ)
files.its_kinds_picker(ctx)
