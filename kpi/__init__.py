"""KPI of 1C service partners: 1С-Коннект quarter coverage and 1С-Бухфон launches.

The package is pure: it reads export bytes into tidy tables (``ingest``/``recognise``), computes the
figures (``quarter``, ``buhfon``) and writes downloads (``export``). It never imports Streamlit, so the
app, the CLI (``python -m kpi``) and the tests share one implementation.
"""
