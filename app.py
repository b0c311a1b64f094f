"""Streamlit entry point: routes to the pages and draws the shared sidebar. Run: streamlit run app.py"""

from ui.nav import main

main()
