"""Shared page furniture: data access with caching, shared filters, caveat, texts.

Every page calls `page_context()` first; it works whether or not
`dashboard.py` ran (Streamlit can run a page on its own), because it gets all
it needs by calling functions. Message text is only ever shown as plain text
(`st.text`, dataframe cells), never as markdown or HTML.
"""

from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import pandas as pd
import streamlit as st

from pages._a11y import inject
from pages._nav import PAGES, sidebar_nav
from pipeline import schema as S
from pipeline.analysis.chain import AnalysisCache
from pipeline.config import get_settings
from pipeline.governance import auth, webguard
from pipeline.governance import policy as governance
from pipeline.ingest.collect.sources import collected_summary
from pipeline.ingest.demo import ensure_demo
from pipeline.model.evaluate import accuracy_table as measured_accuracy_table
from pipeline.model.evaluate import accuracy_words
from pipeline.render.textsafe import md_escape
from pipeline.schema import TIME_ZONE
from pipeline.storage import store
from pipeline.views.aggregate import as_of_mask, representativeness
from pipeline.views.live import IncidentCodes

# Session keys shared across pages (fixed names, so filters survive page switches).
KEY_LANG = "lp_lang"
KEY_INCIDENT = "lp_incident"
KEY_WINDOW = "lp_window"
KEY_PLATFORMS = "lp_platforms"
KEY_LANGUAGES = "lp_languages"
KEY_AT = "lp_at"  # time of the picture: "latest" or an ISO time (UTC)
KEY_KEEP = "lp_keep"  # copy of the shared state: survives Streamlit's widget clean-up on page change
LATEST = "latest"
SHARED_KEYS = (KEY_LANG, KEY_INCIDENT, KEY_WINDOW, KEY_PLATFORMS, KEY_LANGUAGES, KEY_AT)
# The widgets have keys of their own ("<key>_w"): Streamlit drops a widget's value when a
# page without that widget ran, or when the same key is drawn by another page's widget;
# the shared keys above are plain session state, copied into the widget before it is drawn
# and back in its on_change callback (`bound`).
WIDGET_SUFFIX = "_w"
# The URL query carries the same state: ?incident=3&stand=16:00&venster=60
QUERY_WINDOW = {"whole": "heel", "last_30": "30", "last_60": "60", "last_180": "180"}

TZ = TIME_ZONE

TEXTS: dict[str, dict[str, str]] = {
    "app_title": {"nl": "Luisterpost", "en": "Luisterpost"},
    "tagline": {"nl": "Wat zegt het publiek tijdens het incident — en komt onze boodschap aan?",
                "en": "What is the public saying during the incident — and does our message land?"},
    "incident": {"nl": "Incident", "en": "Incident"},
    "window": {"nl": "Tijdvenster", "en": "Time window"},
    "platforms": {"nl": "Platforms", "en": "Platforms"},
    "languages": {"nl": "Talen", "en": "Languages"},
    "language_ui": {"nl": "Taal / language", "en": "Taal / language"},
    "whole": {"nl": "Hele incident", "en": "Whole incident"},
    "last_30": {"nl": "Laatste 30 min", "en": "Last 30 min"},
    "last_60": {"nl": "Laatste uur", "en": "Last hour"},
    "last_180": {"nl": "Laatste 3 uur", "en": "Last 3 hours"},
    "no_data": {"nl": "Geen berichten in dit venster.", "en": "No messages in this window."},
    "messages": {"nl": "Berichten", "en": "Messages"},
    "authors": {"nl": "Unieke auteurs", "en": "Distinct authors"},
    "caveat_title": {"nl": "Representativiteit", "en": "Representativeness"},
    "caveat": {
        "nl": ("Sociale media zijn niet representatief voor de bevolking: je ziet wie er post, "
               "niet wat inwoners denken — het stille midden telt niet mee. Deze cijfers komen "
               "van {authors} unieke auteurs ({messages} berichten); de 10 actiefste auteurs "
               "schreven {top10} van de berichten. Gebruik voor de mening van de bevolking een "
               "representatieve bron, zoals een flitspeiling."),
        "en": ("Social media do not represent the population: they show who posts, not what "
               "residents think — the silent majority is not counted. These figures come from "
               "{authors} distinct authors ({messages} messages); the 10 most active authors "
               "wrote {top10} of the messages. For population opinion use a representative "
               "source, such as a rapid poll."),
    },
    "demo_badge": {"nl": "DEMO — synthetische gegevens, geen echte personen",
                   "en": "DEMO — synthetic data, no real people"},
    "as_of": {"nl": "Stand", "en": "As of"},
    "picture_at": {"nl": "Beeld op tijdstip", "en": "Picture at time"},
    "latest": {"nl": "nu (laatste bericht)", "en": "now (latest message)"},
    "picture_help": {"nl": ("Bekijk het incident zoals de berichten tot dit tijdstip het laten zien "
                            "(met de thema's van nu). Voor 'wat wisten we toen' precies: Nabespreking."),
                     "en": ("View the incident as the messages up to this time show it (with today's "
                            "themes). For exactly 'what was known then': After-action review.")},
    "relevant": {"nl": "Over het incident", "en": "About the incident"},
    "n_languages": {"nl": "Talen", "en": "Languages"},
    "time": {"nl": "Tijd", "en": "Time"},
    "volume_title": {"nl": "Berichten over de tijd", "en": "Messages over time"},
    "overview": {"nl": "Overzicht", "en": "Overview"},
    "import": {"nl": "Importeren", "en": "Import"},
    "share": {"nl": "Aandeel", "en": "Share"},
    "count": {"nl": "Aantal", "en": "Count"},
    "banner_at": {"nl": "U bekijkt het beeld van {time}, niet de actuele stand.",
                  "en": "You are viewing the picture of {time}, not the current state."},
    "back_to_now": {"nl": "Terug naar nu", "en": "Back to now"},
    "choose": {"nl": "Alle (kies om te filteren)", "en": "All (choose to filter)"},
    "demo_hint": {"nl": ("Dit is de demo met verzonnen berichten. Echt werk begint met een eigen "
                         "account: `python -m pipeline user add NAAM --role beheerder --password-stdin`, "
                         "daarna `python -m pipeline incident create --name … --purpose …`."),
                  "en": ("This is the demo with made-up messages. Real work starts with your own "
                         "account: `python -m pipeline user add NAME --role beheerder --password-stdin`, "
                         "then `python -m pipeline incident create --name … --purpose …`.")},
}


def lang() -> str:
    """Return the interface language chosen in this session ("nl" default)."""
    return st.session_state.get(KEY_LANG, "nl")


def t(key: str, **kwargs: object) -> str:
    """Return the interface text for `key` in the session's language."""
    entry = TEXTS[key]
    text = entry.get(lang(), entry["nl"])
    return text.format(**kwargs) if kwargs else text


def escape_md(text: object) -> str:
    """Escape Markdown so a user-entered string (incident name, file name, error) renders literally."""
    return md_escape(text)


def fmt_int(n: int | float) -> str:
    """Format a count with a Dutch thousands separator in nl ("12.345")."""
    s = f"{int(n):,}"
    return s.replace(",", ".") if lang() == "nl" else s


def fmt_dec(x: float, digits: int = 2) -> str:
    """Format a decimal number with a decimal comma in Dutch ("0,62"); "∞" and "niet te bepalen"."""

    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "niet te bepalen" if lang() == "nl" else "cannot be determined"
    if math.isinf(float(x)):
        return "∞" if x > 0 else "−∞"
    s = f"{x:.{digits}f}"
    return s.replace(".", ",") if lang() == "nl" else s


def fmt_time(ts: pd.Timestamp, with_date: bool = False) -> str:
    """Format a UTC timestamp in Europe/Amsterdam local time."""
    local = pd.Timestamp(ts).tz_convert(TZ)
    return local.strftime("%d-%m %H:%M" if with_date else "%H:%M")


# --- data access (cached) -------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _engine(url: str):
    """Return the store's engine for `url`, loading the demo incident into an empty store."""

    eng = store.get_engine(url)
    ensure_demo(eng)
    return eng


def engine():
    """Return the engine of the configured store (settings are read on every call)."""

    return _engine(get_settings().db_url)


@st.cache_resource(show_spinner=False)
def _analysis_cache():
    """The one analysis cache of this server process (policy: `pipeline.analysis.chain.AnalysisCache`)."""

    return AnalysisCache()


def _analysed(url: str, incident_id: int, version: tuple[int, int, int]):
    """Return the analysis at this data version (stored columns; only new messages analysed).

    Never mutate the returned frame.
    """
    return _analysis_cache().get(engine(), incident_id, version)


def analysed(incident_id: int, version: tuple | None = None):
    """Return the AnalysisResult of an incident at its current data version (or `version`, just read)."""
    eng = engine()
    return _analysed(str(eng.url), incident_id, version or store.data_version(eng, incident_id))


@st.cache_resource(show_spinner=False, max_entries=256)
def _view_cache(key: tuple, _func, _df: pd.DataFrame, _args: tuple, _kwargs: dict):
    """Cache one derived view per key (the frame itself is not hashed)."""
    return _func(_df, *_args, **_kwargs)


def view(ctx: PageContext, func, *args, scope: str = "window", **kwargs):
    """Return `func(frame, *args, **kwargs)`, computed once per incident version, window and filter.

    `scope="window"` uses the messages in the sidebar window, `"all"` the
    platform/language-filtered messages regardless of window. Treat the result
    as read-only: it is shared between reruns and sessions.
    """
    frame = ctx.messages if scope == "window" else ctx.scoped
    key = (func.__module__, func.__qualname__, str(engine().url), ctx.incident["id"], ctx.version, scope,
           len(frame),  # a page may narrow the frame further (CoPI: relevant messages only)
           str(ctx.start), str(ctx.now), tuple(st.session_state.get(KEY_PLATFORMS) or ()),
           tuple(st.session_state.get(KEY_LANGUAGES) or ()), repr(args), repr(sorted(kwargs.items())))
    return _view_cache(key, func, frame, args, kwargs)


@st.cache_resource(show_spinner=False)
def _codes_cache() -> dict:
    """Per (store, incident): the IncidentCodes of its analysed frame, and a lock."""
    return {"lock": threading.Lock()}


def view_codes(ctx: PageContext, func, *args, public: bool = True, relevant: bool = False,
               window: bool = True, theme: bool = False, frame: bool = False, after_start: bool = False):
    """Return `func(codes, rows, *args)` on the incident's integer-coded columns (views/live.py).

    `rows` selects what `view(ctx, …)` would pass: the picture's messages up to `ctx.now`,
    from `ctx.start` when `window`, on the chosen platforms/languages, official accounts left
    out when `public`; `theme` passes the frame's THEME column as `theme=` (integers per coded
    row), `frame` the analysed frame itself as `frame=` (for labels and texts); `after_start`
    selects (start, now] instead of [start, now] (the CoPI hour). The codes grow
    with the analysed frame, so a refresh after new messages codes only those (issue 15).
    Computed once per version, window and filter.
    """
    key = ("codes", func.__module__, func.__qualname__, str(engine().url), ctx.incident["id"], ctx.version,
           len(ctx.all_messages), window, public, relevant, str(ctx.start), str(ctx.now),
           tuple(st.session_state.get(KEY_PLATFORMS) or ()), tuple(st.session_state.get(KEY_LANGUAGES) or ()),
           repr(args), theme, frame, after_start)
    return _codes_view(key, func, ctx, args, public, relevant, window, theme, frame, after_start)


@st.cache_resource(show_spinner=False, max_entries=256)
def _codes_view(key: tuple, _func, _ctx: PageContext, _args: tuple, _public: bool, _relevant: bool,
                _window: bool, _theme: bool, _frame: bool, _after: bool):
    cache = _codes_cache()
    frame = _ctx.all_messages
    with cache["lock"]:
        codes = cache.setdefault((key[3], key[4]), IncidentCodes()).sync(frame)
        rows = codes.mask(upto=len(frame), start=_ctx.start if _window and not _after else None,
                          after=_ctx.start if _after else None, end=_ctx.now,
                          platforms=tuple(st.session_state.get(KEY_PLATFORMS) or ()),
                          languages=tuple(st.session_state.get(KEY_LANGUAGES) or ()),
                          public=_public, relevant=_relevant)
        extra = {"theme": codes.theme_column(frame)} if _theme else {}
        if _frame:
            extra["frame"] = frame
        return _func(codes, rows, *_args, **extra)


def tr(texts: dict[str, dict[str, str]], key: str, **kwargs: object) -> str:
    """Return `texts[key]` in the session language (a page's own text table)."""
    entry = texts[key]
    text = entry.get(lang(), entry["nl"])
    return text.format(**kwargs) if kwargs else text


def incidents_table() -> pd.DataFrame:
    """Return the incident list (refreshed every few seconds)."""
    return _incidents_table(str(engine().url))


@st.cache_data(ttl=5, show_spinner=False)
def _incidents_table(url: str) -> pd.DataFrame:
    return store.list_incidents(engine())


incidents_table.clear = _incidents_table.clear  # callers clear after creating/closing incidents


def moments(incident_id: int) -> pd.DataFrame:
    """Return the communication moments of an incident."""
    return _moments(str(engine().url), incident_id)


@st.cache_data(ttl=5, show_spinner=False)
def _moments(url: str, incident_id: int) -> pd.DataFrame:
    return store.load_moments(engine(), incident_id)


moments.clear = _moments.clear  # callers clear after adding a moment


# --- who is looking ---------------------------------------------------------------------
KEY_USER = "lp_user"
KEY_LOGGED_VIEWS = "lp_logged_views"

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
        return user
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
    pass

    st.title(at("login_title"))
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
    pass

    with st.sidebar:
        if mode == auth.AUTH_DEMO:
            roles = list(auth.DEMO_ROLES)  # never beheerder: demo mode is read-only
            chosen = st.selectbox(at("demo_role"), roles,
                                  index=roles.index(user["role"]) if user["role"] in roles else 0,
                                  key="lp_demo_role",
                                  format_func=lambda r: auth.role_label(r, "nl"))
            if chosen != user["role"] and chosen in auth.DEMO_ROLES:
                st.session_state[KEY_USER] = auth.demo_user(chosen)
                st.rerun()
        else:
            st.caption(at("signed_in_as", name=escape_md(user.get("display_name") or user["username"]),
                          role=user["role"]))
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
    return at("denied", role=user.get("role", "?"))


def allowed(user: dict, action: str) -> bool:
    """True when the user's role may do `action` (for showing or hiding controls)."""

    return governance.can(str(user.get("role", "")), action, demo=user.get("auth") == "demo")


# --- context -----------------------------------------------------------------------
@dataclass
class PageContext:
    """What a page needs: the incident, its analysed frame filtered, and the window."""

    incident: dict
    all_messages: pd.DataFrame  # analysed, unfiltered
    scoped: pd.DataFrame  # analysed, filtered by platform/language (not by window)
    messages: pd.DataFrame  # analysed, filtered by window/platform/language
    start: pd.Timestamp
    end: pd.Timestamp
    now: pd.Timestamp
    theme_model: object
    role: str
    user: dict
    version: tuple = ()
    standard: int = 0  # id() of `messages` as page_context selected it (see `view_codes`)

    def standard_selection(self) -> bool:
        """True when `messages` is page_context's own selection (not a page's replacement)."""
        return self.standard == id(self.messages)


WINDOWS = {"whole": None, "last_30": timedelta(minutes=30), "last_60": timedelta(hours=1),
           "last_180": timedelta(hours=3)}


def restore_state() -> None:
    """Put the shared state back (page change) or read it from the URL query (new session).

    Streamlit forgets a widget's value when a page without that widget ran in
    between; the copy under `KEY_KEEP` (plain session state, never a widget key)
    survives that. A fresh session (bookmark, shared link) starts from the query.
    """
    keep = st.session_state.get(KEY_KEEP)
    if keep is None:
        keep = st.session_state[KEY_KEEP] = {}
        query = st.query_params
        if query.get("incident", "").isdigit():
            keep[KEY_INCIDENT] = int(query["incident"])
        windows = {v: k for k, v in QUERY_WINDOW.items()}
        if query.get("venster") in windows:
            keep[KEY_WINDOW] = windows[query["venster"]]
        if query.get("taal") in ("nl", "en"):
            keep[KEY_LANG] = query["taal"]
    for key in SHARED_KEYS:
        if key not in st.session_state and key in keep:
            st.session_state[key] = keep[key]


def remember_state() -> None:
    """Copy the shared state aside and into the URL query (bookmarkable)."""
    keep = st.session_state.setdefault(KEY_KEEP, {})
    for key in SHARED_KEYS:
        if key in st.session_state:
            keep[key] = st.session_state[key]
    query = {}
    if st.session_state.get(KEY_INCIDENT) is not None:
        query["incident"] = str(st.session_state[KEY_INCIDENT])
    query["venster"] = QUERY_WINDOW.get(st.session_state.get(KEY_WINDOW) or "whole", "heel")
    chosen = st.session_state.get(KEY_AT, LATEST)
    if chosen and chosen != LATEST:
        query["stand"] = pd.Timestamp(chosen).tz_convert(TZ).strftime("%H:%M")
    if st.session_state.get(KEY_LANG) == "en":
        query["taal"] = "en"
    try:
        if dict(st.query_params) != query:
            st.query_params.from_dict(query)
    except Exception:  # noqa: BLE001 - no browser (AppTest without query support): state still kept
        pass


def _sync(key: str) -> None:
    """on_change of a bound widget: copy its value to the shared key (and aside)."""
    st.session_state[key] = st.session_state[key + WIDGET_SUFFIX]
    st.session_state.setdefault(KEY_KEEP, {})[key] = st.session_state[key]


def bound(key: str) -> dict:
    """Widget arguments binding it to the shared `key`: set its value first, sync it back."""
    st.session_state[key + WIDGET_SUFFIX] = st.session_state.get(key)
    return {"key": key + WIDGET_SUFFIX, "on_change": _sync, "args": (key,)}


def back_to_now() -> None:
    """Callback of the "terug naar nu" button: show the latest picture again."""
    st.session_state[KEY_AT] = LATEST
    st.session_state.setdefault(KEY_KEEP, {})[KEY_AT] = LATEST


def sidebar_filters(incidents: pd.DataFrame) -> int:
    """Draw the shared sidebar filters and return the chosen incident id."""
    with st.sidebar:
        if st.session_state.get(KEY_LANG) not in ("nl", "en"):
            st.session_state[KEY_LANG] = "nl"
        st.segmented_control(t("language_ui"), ["nl", "en"], required=True, **bound(KEY_LANG))
        ids = incidents["id"].tolist()
        names = dict(zip(incidents["id"], incidents["name"], strict=True))
        if st.session_state.get(KEY_INCIDENT) not in ids:
            st.session_state[KEY_INCIDENT] = ids[0]
        incident_id = st.selectbox(t("incident"), ids, **bound(KEY_INCIDENT),
                                   format_func=lambda i: names[i])
        if st.session_state.get(KEY_WINDOW) not in WINDOWS:
            st.session_state[KEY_WINDOW] = "whole"
        st.radio(t("window"), list(WINDOWS), format_func=t, **bound(KEY_WINDOW))
    return int(incident_id)


def _stand_from_query(value: str, steps: pd.DatetimeIndex) -> str:
    """Map `?stand=16:00` (local time) or an ISO time to the nearest earlier slider step."""
    try:
        if len(value) <= 5 and ":" in value and len(steps):
            day = steps[0].tz_convert(TZ).normalize()
            wanted = day + pd.Timedelta(hours=int(value.split(":")[0]), minutes=int(value.split(":")[1]))
        else:
            wanted = pd.Timestamp(value)
            wanted = wanted.tz_localize(TZ) if wanted.tzinfo is None else wanted
    except (ValueError, TypeError):
        return LATEST
    earlier = [ts for ts in steps if ts <= wanted]
    return earlier[-1].isoformat() if earlier else LATEST


def picture_time(first: pd.Timestamp, last: pd.Timestamp) -> pd.Timestamp:
    """Draw the 'picture at' slider (15-minute steps, 'now' last) and return the chosen time."""
    latest = min(pd.Timestamp.now(tz="UTC"), last + pd.Timedelta(seconds=1))
    steps = pd.date_range(first.ceil("15min"), last, freq="15min")
    options = [ts.isoformat() for ts in steps] + [LATEST]
    if st.session_state.get(KEY_AT) not in options and "stand" in st.query_params:
        st.session_state[KEY_AT] = _stand_from_query(st.query_params["stand"], steps)
    if st.session_state.get(KEY_AT) not in options:
        st.session_state[KEY_AT] = LATEST
    with st.sidebar:
        chosen = st.select_slider(t("picture_at"), options, help=t("picture_help"), **bound(KEY_AT),
                                  format_func=lambda v: t("latest") if v == LATEST
                                  else fmt_time(pd.Timestamp(v)))
    return latest if chosen == LATEST else pd.Timestamp(chosen)


def page_context(page: str) -> PageContext:
    """Check access to `page`, load the chosen incident and apply the shared filters."""

    restore_state()
    st.set_page_config(page_title=page_title(page), page_icon="👂", layout="wide")
    page_furniture(lang())
    user = current_user()
    sidebar_nav(user, lang())
    sidebar_user(user)
    incidents = incidents_table()
    if user.get("auth") == auth.AUTH_DEMO and not incidents.empty:
        incidents = incidents[incidents["is_demo"].astype(bool)]
    if incidents.empty:
        st.warning("Er zijn nog geen incidenten. / There are no incidents yet.")
        st.stop()
    incident_id = sidebar_filters(incidents)
    incident = store.get_incident(engine(), incident_id)
    version = store.data_version(engine(), incident_id)
    result = _analysed(str(engine().url), incident_id, version)
    frame = result.frame
    public = frame
    if public.empty:
        now = pd.Timestamp.now(tz="UTC")
        start = end = now
    else:
        end = public[S.CREATED_AT].max()
        start = public[S.CREATED_AT].min()
        now = picture_time(start, end)
    window = WINDOWS.get(st.session_state.get(KEY_WINDOW, "whole"))
    if window is not None:
        start = max(start, now - window)
    with st.sidebar:
        platforms = sorted(frame[S.PLATFORM].unique().tolist()) if not frame.empty else []
        languages = sorted(frame[S.LANGUAGE].unique().tolist()) if not frame.empty else []
        for key, values in ((KEY_PLATFORMS, platforms), (KEY_LANGUAGES, languages)):
            # a kept choice that this incident does not have is dropped
            st.session_state[key] = [v for v in st.session_state.get(key) or [] if v in values]
        chosen_platforms = st.multiselect(t("platforms"), platforms, **bound(KEY_PLATFORMS),
                                          placeholder=t("choose"))
        chosen_languages = st.multiselect(t("languages"), languages, **bound(KEY_LANGUAGES),
                                          placeholder=t("choose"))
        if incident.get("is_demo"):
            st.info(t("demo_badge"))
            if user.get("auth") == auth.AUTH_DEMO:
                st.caption(t("demo_hint"))
    remember_state()
    # the one "as of T" (pipeline.views.aggregate.as_of): messages created at or before the picture time
    scope = as_of_mask(frame, now)
    if chosen_platforms:
        scope &= frame[S.PLATFORM].isin(chosen_platforms).to_numpy()
    if chosen_languages:
        scope &= frame[S.LANGUAGE].isin(chosen_languages).to_numpy()
    in_window = scope & (frame[S.CREATED_AT] >= start).to_numpy() if len(frame) else scope
    check_page(user, page, incident_id, st.session_state.get(KEY_WINDOW))
    messages = _rows(frame, in_window)
    ctx = PageContext(incident, frame, _rows(frame, scope), messages, start, end, now,
                      result.theme_model, user["role"], user, version, standard=id(messages))
    if page not in ("copi", "nabespreking"):  # the projection has its own fragment
        from pages._live import live_refresh  # import cycle: _live uses this module; to be split (issue 12)

        live_refresh(ctx)
    return ctx


def _rows(frame: pd.DataFrame, keep) -> pd.DataFrame:
    """Return the rows of `frame` under the boolean mask `keep`; the frame itself when all are kept.

    At 1M messages copying the frame for "the whole incident, now, no filter" cost more
    than most views (issue 15); the result is read-only either way.
    """
    return frame if bool(np.all(keep)) else frame.iloc[np.flatnonzero(keep)]


PANEL_TEXTS = {
    "sources": {"nl": "Live bronnen verzameld in dit venster: {ok} · niet (of met fouten) verzameld: "
                      "{not_ok}",
                "en": "Live sources collected in this window: {ok} · not (or with errors) collected: "
                      "{not_ok}"},
    "figures": {
        "nl": ("{messages} berichten van {authors} auteurs ({per_author} per auteur) · top-10 "
               "auteurs: {top10} · reposts: {reposts} · zelfde tekst door meerdere auteurs: {dups} · "
               "{bursts} kopieer-golven · platforms: {platforms} · niet in de data: {absent} · "
               "{gaps} gaten van >15 min in de aanvoer"),
        "en": ("{messages} messages from {authors} authors ({per_author} per author) · top-10 "
               "authors: {top10} · reposts: {reposts} · same text by several authors: {dups} · "
               "{bursts} copy bursts · platforms: {platforms} · not in the data: {absent} · "
               "{gaps} gaps of >15 min in the feed"),
    },
}


def _public(df: pd.DataFrame) -> pd.DataFrame:
    """Messages by the public: not from official accounts."""
    return df[~df[S.IS_OFFICIAL]] if not df.empty else df


def _representativeness(codes, rows, start: pd.Timestamp, end: pd.Timestamp) -> dict:
    """`aggregate.representativeness` of the public messages in view (views/live.py codes)."""
    return codes.representativeness(rows, start=start, end=end)


def _representativeness_of(df: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> dict:
    """`aggregate.representativeness` of the public messages of `df` (a page's own selection)."""

    return representativeness(_public(df), start=start, end=end)


def representativeness_panel(ctx: PageContext, *, large: bool = False) -> None:
    """Show the fixed representativeness caveat with this view's figures (every page).

    `large` (the CoPI projection) draws it at ≥ 20 px, readable at 5 m (pages/_a11y.py CSS).
    """
    if large:  # CoPI: what its header counts, relevant public messages in (now - 1 h, now]
        fig = view_codes(ctx, _representativeness, ctx.start, ctx.now, relevant=True, after_start=True)
    elif not ctx.standard_selection():  # Nabespreking: a selection of its own
        fig = view(ctx, _representativeness_of, ctx.start, ctx.now)
    else:
        fig = view_codes(ctx, _representativeness, ctx.start, ctx.now)
    with st.container(border=True, key="lp_caveat_large" if large else "lp_caveat"):
        st.markdown(f"**{t('caveat_title')}**")
        st.caption(t("caveat", authors=fmt_int(fig["n_authors"]), messages=fmt_int(fig["n_messages"]),
                     top10=f"{fig['top10_share']:.0%}"))
        if large:  # the projection: the caveat itself, readable at 5 m; the details are on the pages
            return
        st.caption(tr(PANEL_TEXTS, "figures", messages=fmt_int(fig["n_messages"]),
                      authors=fmt_int(fig["n_authors"]), per_author=fmt_dec(fig["messages_per_author"], 1),
                      top10=f"{fig['top10_share']:.0%}", reposts=f"{fig['repost_share']:.0%}",
                      dups=f"{fig['duplicate_share']:.0%}",
                      bursts=len(fig["near_duplicate_bursts"]),
                      platforms=", ".join(fig["platforms"]) or "–",
                      absent=", ".join(fig["platforms_absent"]) or "–", gaps=len(fig["gaps"])))
        sources_line = _collected_sources_line(ctx)  # live sources (pipeline/collect), if any
        if sources_line:
            st.caption(escape_md(sources_line))


def _collected_sources_line(ctx: PageContext) -> str:
    """Return which live sources were / were not collected in this view's window ("" if none)."""

    ok, not_ok = collected_summary(engine(), int(ctx.incident["id"]), ctx.start, ctx.now)
    if not ok and not not_ok:
        return ""
    return tr(PANEL_TEXTS, "sources", ok=", ".join(ok) or "–", not_ok=", ".join(not_ok) or "–")


def header(title: str, ctx: PageContext) -> None:
    """Page title with the incident name and the time of this picture (plain text).

    A chosen picture time (not "now") shows as a banner with a "terug naar nu" button.
    """
    st.title(title)
    st.caption(f"{escape_md(ctx.incident['name'])} · {t('as_of')} {fmt_time(ctx.now, with_date=True)} · "
               f"{fmt_time(ctx.start)}–{fmt_time(ctx.now)}")
    time_banner(ctx)


def time_banner(ctx: PageContext) -> None:
    """Show "you are viewing the picture of T" with a back-to-now button when a time was chosen."""
    if st.session_state.get(KEY_AT, LATEST) == LATEST:
        return
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.warning(t("banner_at", time=fmt_time(ctx.now, with_date=True)), icon="🕰️")
    right.button(t("back_to_now"), key="lp_back_to_now", on_click=back_to_now, type="primary")


def page_title(page: str) -> str:
    """Return the browser title of a page: "Nu · Luisterpost" (WCAG 2.4.2)."""

    for _sec, _file, action, title_nl, title_en, _icon in PAGES:
        if action == f"page.{page}":
            return f"{title_en if lang() == 'en' else title_nl} · Luisterpost"
    return "Luisterpost"


def page_furniture(language: str) -> None:
    """Set `<html lang>` and replace Streamlit's own English texts (see pages/_a11y.py)."""

    inject(language)


# --- charts ---------------------------------------------------------------------------
TIME_FORMAT = "%H:%M"  # every time axis: 24-hour clock (the data are naive Europe/Amsterdam times)


def chart_text(summary: str, data: pd.DataFrame, columns: dict[str, str] | None = None) -> None:
    """The text alternative of a chart (WCAG 1.1.1): a sentence with the key numbers, and the data.

    `summary` is plain text (shown with st.text, never markdown); `data` is shown as a table
    behind an expander, with time columns as 24-hour local times and `columns` as headers.
    """
    st.text(summary)
    with st.expander("Gegevens van deze grafiek" if lang() == "nl" else "Data of this chart"):
        table = data.copy()
        for col in table.columns:
            if pd.api.types.is_datetime64_any_dtype(table[col]):
                table[col] = pd.to_datetime(table[col]).dt.strftime("%d-%m %H:%M")
        st.dataframe(table.rename(columns=columns or {}), hide_index=True, width="stretch")


def peak_sentence(times: pd.Series, counts: pd.Series, unit: str) -> str:
    """Return "Piek om 14:05 met 140 berichten per 5 min; totaal 1.260." for a time series."""
    if counts.empty or counts.sum() == 0:
        return t("no_data")
    i = int(counts.to_numpy().argmax())
    when = pd.Timestamp(times.iloc[i]).strftime("%H:%M")
    peak, total = fmt_int(counts.iloc[i]), fmt_int(counts.sum())
    if lang() == "en":
        return f"Peak at {when} with {peak} messages per {unit}; total {total}."
    return f"Piek om {when} met {peak} berichten per {unit}; totaal {total}."

def local_time(series: pd.Series) -> pd.Series:
    """Return UTC timestamps as naive Europe/Amsterdam times (what Altair should draw)."""
    return pd.to_datetime(series, utc=True).dt.tz_convert(TZ).dt.tz_localize(None)


def moment_rules(moments_df: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp):
    """Return an Altair layer of vertical markers for communication moments in [start, end]."""
    import altair as alt  # heavy optional dependency: imported on first use

    if moments_df.empty:
        return None
    m = moments_df[(moments_df[S.MOMENT_TIME] >= start) & (moments_df[S.MOMENT_TIME] <= end)]
    if m.empty:
        return None
    m = m.sort_values(S.MOMENT_TIME)
    data = pd.DataFrame({"tijd": local_time(m[S.MOMENT_TIME]), "kanaal": m[S.MOMENT_CHANNEL],
                         "tekst": m[S.MOMENT_TEXT].str.slice(0, 120),
                         # stagger labels over three rows so moments close in time stay readable
                         "rij": [8 + 13 * (i % 3) for i in range(len(m))]})
    rules = alt.Chart(data).mark_rule(color="#154273", strokeDash=[6, 3], strokeWidth=1.5).encode(
        x=alt.X("tijd:T", axis=alt.Axis(format=TIME_FORMAT)),
        tooltip=[alt.Tooltip("tijd:T", format=TIME_FORMAT), "kanaal:N", "tekst:N"])
    labels = alt.Chart(data).mark_text(align="left", dx=3, color="#154273", fontSize=10).encode(
        x="tijd:T", y=alt.Y("rij:Q", scale=None), text="kanaal:N")
    return rules + labels


OWN_TESTSET = "gold_nl"  # written by the team itself: an optimistic upper bound


def accuracy_note(code: str) -> str:
    """Return the measured accuracy of a category's classifier as a short text, or ''.

    Shows the team's own Dutch test set (labelled as such: optimistic) and, when the
    category was measured on independent real messages, the largest such set too.
    """
    words = _accuracy_words(code, lang())
    if words:
        return " · ".join(words)
    table = accuracy_table()
    if table.empty:
        return ""
    rows = table[(table["category"] == code) & ~table["dataset"].str.contains("partly seen")]
    if code == "ruis" and rows["dataset"].str.contains("relevance").any():
        rows = rows[rows["dataset"].str.contains("relevance")]  # noise is decided by relevance
    if rows.empty:
        return "nog niet gemeten" if lang() == "nl" else "not yet measured"

    def part(row, label: str) -> str:
        return (f"{label} F1 {fmt_dec(row['f1'])} ({fmt_dec(row['f1_low'])}–{fmt_dec(row['f1_high'])}, "
                f"n={int(row['n'])})")

    own = rows[rows["dataset"] == f"{OWN_TESTSET}/nl"]
    real = rows[~rows["dataset"].str.startswith(OWN_TESTSET)]
    real = real[real["language"] == "nl"] if (real["language"] == "nl").any() else real
    parts = []
    if not own.empty:
        parts.append(part(own.iloc[0], "eigen testset" if lang() == "nl" else "own test set"))
    if not real.empty:
        row = real.sort_values("n", ascending=False).iloc[0]
        parts.append(part(row, str(row["dataset"])))
    return " · ".join(parts)


@st.cache_data(show_spinner=False)
def _accuracy_words(code: str, language: str) -> list[str]:
    """Return the real-data accuracy of a category in words (pipeline.model.evaluate.accuracy_words)."""
    try:
        return accuracy_words(code, language)
    except (OSError, ValueError, KeyError):
        return []


@st.cache_data(show_spinner=False)
def accuracy_table() -> pd.DataFrame:
    """Return the measured classifier accuracy (data/accuracy.json), or an empty frame."""
    try:
        return measured_accuracy_table()
    except (FileNotFoundError, ValueError, KeyError):
        return pd.DataFrame()
