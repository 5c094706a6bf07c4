"""Who is signed in, in this visitor's session: the sign-in form in the sidebar, expiry, the store a page writes to.

The signed-in account is kept in the visitor's own ``st.session_state`` (never in a module
global): its name and the time of its last activity. Every run looks the account up in the
store again (cached by the data version, which a disabled account or a changed role bumps),
so disabling an account ends its sessions at their next click; a session idle for longer than
``ENVMAP_SESSION_MINUTES`` is signed out with a message. Pages write through
:func:`acting_store`: the store as this user may use it (``geodata.accounts.ActingStore``).

Where a bureau has an OIDC identity provider, Streamlit's own ``st.login`` can be configured
instead (README “账户与权限”); this module is the local-account sign-in for intranets without one.
"""

from __future__ import annotations

import time

import streamlit as st

from dashboard import data
from geodata import accounts
from geodata.accounts import ActingStore, User
from geodata.errors import EnvmapError, SignInRefused
from geodata.i18n import t

_USER = "envmap_user"
_SEEN = "envmap_user_seen"
_NOTICE = "envmap_auth_notice"


def _client() -> str:
    try:
        return str(st.context.ip_address or "")
    except Exception:  # noqa: BLE001 - not every runtime knows the client address
        return ""


def user() -> User | None:
    """The signed-in account of this session (None when signed out, expired or disabled)."""
    name = st.session_state.get(_USER)
    if not name:
        return None
    now = time.time()
    if accounts.session_expired(float(st.session_state.get(_SEEN, 0.0)), now):
        sign_out(t("auth_expired", minutes=accounts.session_minutes()))
        return None
    found = data.account(str(name))
    if found is None:
        sign_out(t("auth_account_gone", name=name))
        return None
    st.session_state[_SEEN] = now
    return found


def sign_out(notice: str = "") -> None:
    st.session_state.pop(_USER, None)
    st.session_state.pop(_SEEN, None)
    if notice:
        st.session_state[_NOTICE] = notice


def acting_store() -> ActingStore:
    """The store as the signed-in account (or nobody) may write to it."""
    return ActingStore(data.store(), user())


def may(action: str) -> bool:
    current = user()
    return current is not None and current.may(action)


def sidebar() -> User | None:
    """The sign-in form (signed out) or who is signed in with a sign-out button, in the sidebar."""
    sb = st.sidebar
    current = user()
    notice = st.session_state.pop(_NOTICE, "")
    if notice:
        sb.warning(notice)
    if current is not None:
        sb.markdown(t("auth_signed_in_as", name=current.name, role=accounts.role_label(current.role)))
        if current.units:
            sb.caption(t("auth_units", units="、".join(current.units)))
        if sb.button(t("auth_sign_out"), key="auth_sign_out"):
            sign_out()
            st.rerun()
        return current
    with sb.form("auth_sign_in", clear_on_submit=False, border=True):
        st.markdown(f"**{t('auth_sign_in')}**")
        name = st.text_input(t("auth_name"), key="auth_name")
        password = st.text_input(t("auth_password"), type="password", key="auth_password")
        submitted = st.form_submit_button(t("auth_sign_in"))
    if submitted:
        try:
            signed = accounts.sign_in(data.store(), name, password, client=_client())
        except SignInRefused as exc:
            sb.error(str(exc))
        except EnvmapError as exc:
            sb.error(str(exc))
        else:
            st.session_state[_USER] = signed.name
            st.session_state[_SEEN] = time.time()
            st.session_state.pop("auth_password", None)
            st.rerun()
    if not accounts.login_required():
        sb.caption(t("auth_viewing_open"))
    return None


def hint(action: str) -> None:
    """Say why a control is missing: sign in, or ask for the role that may do ``action``."""
    current = user()
    if current is None:
        st.info(t("auth_hint_sign_in", needed=accounts.role_label(accounts.ACTIONS[action])))
    else:
        st.info(t("auth_hint_role", name=current.name, role=accounts.role_label(current.role),
                  needed=accounts.role_label(accounts.ACTIONS[action])))
