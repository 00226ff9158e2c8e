"""Page state: the shared session keys, their copy in the URL query, and `PageContext`.

Contract (bottom of the pages' helpers, imports no other page module): the shared state
lives in plain `st.session_state` under fixed keys (`SHARED_KEYS`), so filters survive page
switches; widgets have keys of their own ("<key>_w") and are bound to the shared key with
`bound(key)`; `restore_state()` puts the state back at the start of a run (or reads it from
the URL query in a new session), `remember_state()` copies it aside and into the query
(`?incident=3&venster=60&stand=16:00&taal=en`). `PageContext` is what `page_context()`
(pages/_context.py) hands a page.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from pipeline.schema import TIME_ZONE

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


def chosen_filters() -> tuple[tuple, tuple]:
    """Return the chosen (platforms, languages) of this session (empty: all)."""
    return (tuple(st.session_state.get(KEY_PLATFORMS) or ()),
            tuple(st.session_state.get(KEY_LANGUAGES) or ()))


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
        query["stand"] = pd.Timestamp(chosen).tz_convert(TIME_ZONE).strftime("%H:%M")
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
