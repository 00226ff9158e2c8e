"""The page's context: shared sidebar filters, the picture time, and `page_context(page)`.

Contract: every screen calls `page_context(page)` first. It restores the shared state, sets
the page title and `<html lang>`, signs the user in (pages/_login.py), draws the navigation
and the shared filters (language, incident, window, picture time, platforms, languages),
checks the role for the page (audited), loads the analysed incident once per data version
(pages/_data.py) and returns a `PageContext` (pages/_state.py); for every page but CoPI and
Nabespreking it also starts the live refresh (pages/_live.py). A page therefore runs
without `dashboard.py`. Imports point down only: _state ← _text ← _data ← _login ← _live ←
_context ← _panels ← screens.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
import streamlit as st

from pages._a11y import inject
from pages._data import analysed, data_version, get_incident, incidents_table
from pages._live import live_refresh
from pages._login import check_page, current_user, sidebar_user
from pages._nav import PAGES, sidebar_nav
from pages._state import (
    KEY_AT,
    KEY_INCIDENT,
    KEY_LANG,
    KEY_LANGUAGES,
    KEY_PLATFORMS,
    KEY_WINDOW,
    LATEST,
    PageContext,
    bound,
    remember_state,
    restore_state,
)
from pages._text import TZ, fmt_time, lang, t
from pipeline import schema as S
from pipeline.governance import auth
from pipeline.views.aggregate import LANGUAGE_NAMES, as_of_mask

WINDOWS = {"whole": None, "last_30": timedelta(minutes=30), "last_60": timedelta(hours=1),
           "last_180": timedelta(hours=3)}


def page_title(page: str) -> str:
    """Return the browser title of a page: "Nu · Luisterpost" (WCAG 2.4.2)."""

    for _sec, _file, action, title_nl, title_en, _icon in PAGES:
        if action == f"page.{page}":
            return f"{title_en if lang() == 'en' else title_nl} · Luisterpost"
    return "Luisterpost"


def page_furniture(language: str) -> None:
    """Set `<html lang>` and replace Streamlit's own English texts (see pages/_a11y.py)."""

    inject(language)


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


def language_label(code: str) -> str:
    """Return "Duits (de)" for a language code in the session's language ("und": not recognised)."""
    english = lang() == "en"
    if code == "und":
        return "not recognised (und)" if english else "niet herkend (und)"
    name = LANGUAGE_NAMES["en" if english else "nl"].get(code)
    return f"{name} ({code})" if name else code


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
    incident = get_incident(incident_id)
    version = data_version(incident_id)
    result = analysed(incident_id, version)
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
        # no "Select all" entry: Streamlit writes it in English only (and "all" is choosing none)
        chosen_platforms = st.multiselect(t("platforms"), platforms, **bound(KEY_PLATFORMS),
                                          placeholder=t("choose"), select_all=False)
        chosen_languages = st.multiselect(t("languages"), languages, **bound(KEY_LANGUAGES),
                                          placeholder=t("choose"), select_all=False,
                                          format_func=language_label)
        if incident.get("is_demo"):
            st.info(t("demo_badge"))
            if user.get("auth") == auth.AUTH_DEMO:
                st.caption(t("demo_hint"))
    remember_state()
    # the one "as of T" (pipeline.views.aggregate.as_of): messages created at or before the picture time
    # (new masks, not `&=`: pandas 3 hands out read-only arrays from `to_numpy()`)
    scope = as_of_mask(frame, now)
    if chosen_platforms:
        scope = scope & frame[S.PLATFORM].isin(chosen_platforms).to_numpy()
    if chosen_languages:
        scope = scope & frame[S.LANGUAGE].isin(chosen_languages).to_numpy()
    in_window = scope & (frame[S.CREATED_AT] >= start).to_numpy() if len(frame) else scope
    check_page(user, page, incident_id, st.session_state.get(KEY_WINDOW))
    messages = _rows(frame, in_window)
    ctx = PageContext(incident, frame, _rows(frame, scope), messages, start, end, now,
                      result.theme_model, user["role"], user, version, standard=id(messages))
    if page not in ("copi", "nabespreking"):  # the projection has its own fragment
        live_refresh(ctx)
    return ctx


def _rows(frame: pd.DataFrame, keep) -> pd.DataFrame:
    """Return the rows of `frame` under the boolean mask `keep`; the frame itself when all are kept.

    At 1M messages copying the frame for "the whole incident, now, no filter" cost more
    than most views (issue 15); the result is read-only either way.
    """
    return frame if bool(np.all(keep)) else frame.iloc[np.flatnonzero(keep)]


