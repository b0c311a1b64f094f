"""Shared pieces of the Streamlit app: the sidebar and session state, cached computations, figures,
display tables, texts and downloads.

Plain functions only; the pages in ``pages/`` import them and stay thin. Everything that decides a
number lives in ``kpi``: this package only asks ``kpi`` and shows the answer.
"""
