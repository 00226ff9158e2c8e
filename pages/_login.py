"""Who is looking: sign-in (OIDC, local accounts, loopback demo), the sidebar user, role checks.

Contract: `current_user()` returns the signed-in user (dict with username, role, auth) or
draws the sign-in form and stops the run; it first refuses a browser whose Host/Origin is not
on the allow-list (`pipeline.governance.webguard.host_allowed`). `check_page(user, page, …)`
stops with a Dutch refusal unless the role may open the page (`governance.require`) and
writes one page-view audit entry per state; `allowed(user, action)` says whether to show a
control. Imports pages/_text.py and pages/_data.py (the engine) only.
"""

from __future__ import annotations

import os

import streamlit as st

from pages._data import engine
from pages._text import escape_md, lang
from pipeline.governance import auth, webguard
from pipeline.governance import policy as governance

KEY_USER = "lp_user"
KEY_LOGGED_VIEWS = "lp_logged_views"
KEY_ENDED = "lp_session_ended"  # set when an open session was ended because its account changed

AUTH_TEXTS = {
    "login_title": {"nl": "Inloggen bij Luisterpost", "en": "Log in to Luisterpost"},
    "username": {"nl": "Gebruikersnaam", "en": "Username"},
    "password": {"nl": "Wachtwoord", "en": "Password"},
    "login": {"nl": "Inloggen", "en": "Log in"},
    "logout": {"nl": "Uitloggen", "en": "Log out"},
    "oidc_login": {"nl": "Inloggen met uw organisatieaccount", "en": "Log in with your organisation account"},
    "no_access": {"nl": "U heeft geen toegang tot Luisterpost. Vraag de beheerder om een rol.",
                  "en": "You have no access to Luisterpost. Ask the administrator for a role."},
    "locked": {"nl": ("Er is nog geen gebruiker. Maak eerst een beheerder aan:\n\n"
                      "    python -m pipeline user add NAAM --role beheerder --password-stdin\n\n"
                      "De demo zonder inloggen werkt alleen als de server op localhost luistert."),
               "en": ("There is no user yet. First create an administrator:\n\n"
                      "    python -m pipeline user add NAME --role beheerder --password-stdin\n\n"
                      "The no-login demo only works when the server listens on localhost.")},
    "denied": {"nl": "Uw rol ({role}) heeft geen toegang tot deze pagina.",
               "en": "Your role ({role}) has no access to this page."},
    "denied_title": {"nl": "Geen toegang", "en": "No access"},
    "demo_role": {"nl": "Demo: bekijk als rol", "en": "Demo: view as role"},
    "foreign_host": {"nl": "Geweigerd: deze pagina is niet via een toegestaan adres geopend (Host/Origin).",
                     "en": "Refused: this page was not opened through an allowed address (Host/Origin)."},
    "session_ended": {"nl": "Uw sessie is beëindigd. Log opnieuw in.",
                      "en": "Your session has ended. Please log in again."},
    "signed_in_as": {"nl": "Ingelogd als {name} ({role})", "en": "Signed in as {name} ({role})"},
}


def at(key: str, **kwargs: object) -> str:
    """Return an authentication text in the session language."""
    text = AUTH_TEXTS[key].get(lang(), AUTH_TEXTS[key]["nl"])
    return text.format(**kwargs) if kwargs else text


def _secrets_have_auth() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


def auth_mode() -> str:
    """Return the login mode of this server: oidc, local, demo or locked."""
    address = st.get_option("server.address") or ""
    return auth.auth_mode(_secrets_have_auth(), auth.count_users(engine()), address, os.environ)


def current_user() -> dict:
    """Return the signed-in user (dict with username, role, auth), or show the login and stop."""

    _refuse_foreign_host()  # before anything is loaded or shown
    user = st.session_state.get(KEY_USER)
    mode = auth_mode()
    if user and user.get("auth") == mode and (mode != auth.AUTH_DEMO or user.get("role") in auth.DEMO_ROLES):
        fresh = auth.session_user(engine(), user)  # deactivated or another role since the login?
        if fresh is not None:
            if fresh != user:
                st.session_state[KEY_USER] = fresh
            return fresh
        st.session_state.pop(KEY_USER, None)  # the account was deactivated: sign in again
        st.session_state.pop(KEY_LOGGED_VIEWS, None)
        st.session_state[KEY_ENDED] = True  # the login form says why it is back (nothing about the account)
        if mode == auth.AUTH_OIDC:
            st.error(at("no_access"))
            st.button(at("logout"), on_click=st.logout)
            st.stop()
        user = None
    if mode == auth.AUTH_DEMO:
        user = auth.demo_user(auth.ANALIST)
    elif mode == auth.AUTH_OIDC:
        if not st.user.is_logged_in:
            st.title(at("login_title"))
            st.button(at("oidc_login"), on_click=st.login, type="primary")
            st.stop()
        user = auth.user_from_oidc(engine(), dict(st.user))
        if user is None:
            st.error(at("no_access"))
            st.button(at("logout"), on_click=st.logout)
            st.stop()
    elif mode == auth.AUTH_LOCAL:
        user = _local_login_form()
    else:
        st.title(at("login_title"))
        st.warning(at("locked"))
        st.stop()
    st.session_state[KEY_USER] = user
    return user


def _refuse_foreign_host() -> None:
    """Stop unless the browser's Host (and Origin, if sent) is on the allow-list (loopback + public hosts).

    The same rule as `pipeline.governance.webguard.HostOriginGuard` (installed by `serve.py`), here
    so that `streamlit run dashboard.py` refuses a DNS-rebinding page too. Without a
    Host header (AppTest) there is no browser to protect.
    """

    try:
        headers = st.context.headers
        host, origin = headers.get("Host"), headers.get("Origin")
    except Exception:  # noqa: BLE001 - no request context (bare mode)
        return
    if host is None and origin is None:
        return
    if not webguard.host_allowed(host, origin):
        st.error(at("foreign_host"))
        st.stop()


def _local_login_form() -> dict:
    st.title(at("login_title"))
    if st.session_state.pop(KEY_ENDED, False):
        st.info(at("session_ended"))
    with st.form("login_form"):
        username = st.text_input(at("username"), key="login_username")
        password = st.text_input(at("password"), type="password", key="login_password")
        submitted = st.form_submit_button(at("login"), type="primary")
    if submitted:
        user = auth.authenticate(engine(), username, password)
        if user is not None:
            st.session_state[KEY_USER] = user
            st.rerun()
        st.error(auth.LOGIN_FAILED)
    st.stop()


def sidebar_user(user: dict) -> None:
    """Show who is signed in (or, in the demo, a role switch) and a log-out button."""
    _sidebar_user(user, user.get("auth", ""))


def _sidebar_user(user: dict, mode: str) -> None:
    with st.sidebar:
        if mode == auth.AUTH_DEMO:
            roles = list(auth.DEMO_ROLES)  # never beheerder: demo mode is read-only
            chosen = st.selectbox(at("demo_role"), roles,
                                  index=roles.index(user["role"]) if user["role"] in roles else 0,
                                  key="lp_demo_role",
                                  format_func=lambda r: auth.role_label(r, lang()))
            if chosen != user["role"] and chosen in auth.DEMO_ROLES:
                st.session_state[KEY_USER] = auth.demo_user(chosen)
                st.rerun()
        else:
            st.caption(at("signed_in_as", name=escape_md(user.get("display_name") or user["username"]),
                          role=auth.role_label(user["role"], lang())))
            if st.button(at("logout"), key="lp_logout"):
                st.session_state.pop(KEY_USER, None)
                if mode == auth.AUTH_OIDC:
                    st.logout()
                st.rerun()


def check_page(user: dict, page: str, incident_id: int | None, window: object = None) -> None:
    """Refuse the page unless the user's role may see it; audit the view once per state."""

    action = f"page.{page}"
    try:
        governance.require(engine(), user, action, incident_id=incident_id)
    except governance.PermissionDenied:
        st.title(at("denied_title"))
        st.error(t_denied(user))
        st.stop()
    key = governance.view_key(action, incident_id, window)
    logged = st.session_state.setdefault(KEY_LOGGED_VIEWS, set())
    if key not in logged:
        governance.log_view(engine(), user, action, incident_id, window)
        logged.add(key)


def t_denied(user: dict) -> str:
    """The refusal text for a page the user's role may not see."""
    return at("denied", role=auth.role_label(str(user.get("role", "?")), lang()))


def allowed(user: dict, action: str) -> bool:
    """True when the user's role may do `action` (for showing or hiding controls)."""

    return governance.can(str(user.get("role", "")), action, demo=user.get("auth") == "demo")
