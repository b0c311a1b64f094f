"""Optional login with Streamlit's own OIDC (``st.login``), off unless ``[auth]`` is configured.

An app reachable beyond one machine shows client lists with phones and e-mails, so an office that
publishes it configures an identity provider in ``.streamlit/secrets.toml`` (see README). Without that
section nothing changes: the app opens as before.
"""

from __future__ import annotations

import streamlit as st

from kpi import texts as T


def auth_configured() -> bool:
    """Whether ``.streamlit/secrets.toml`` (or the platform's secrets) has an ``[auth]`` section."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises rather than answering "no"
        return False


def require_login() -> None:
    """Stop the run with a sign-in button until the user has logged in (only when login is configured)."""
    if not auth_configured() or st.user.get("is_logged_in", False):
        return
    st.title(T.LOGIN_TITLE)
    st.write(T.LOGIN_TEXT)
    st.button(T.LOGIN_BUTTON, on_click=st.login, type="primary", key="login")
    st.stop()
