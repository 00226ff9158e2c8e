"""Cached data access of the pages (through `pipeline.views.source`, never the store itself).

Contract: `engine()` is the configured store (demo loaded into an empty one), one per URL and
server process; `analysed(id)` the incident's analysis at its data version (one
`AnalysisCache` per process, `st.cache_resource`); `view(ctx, func, …)` and
`view_codes(ctx, func, …)` compute a derived view once per incident version, window and
filter and share it between reruns and sessions (treat results as read-only);
`incidents_table()` and `moments(id)` are refreshed every few seconds (`.clear()` after a
change); `accuracy_table()` / `accuracy_words_of(code, lang)` read the measured accuracy.
Imports pages/_state.py only (the session's chosen filters are part of a view's key).
"""

from __future__ import annotations

import threading

import pandas as pd
import streamlit as st

from pages._state import PageContext, chosen_filters
from pipeline.analysis.chain import AnalysisCache
from pipeline.config import get_settings
from pipeline.model.evaluate import accuracy_table as measured_accuracy_table
from pipeline.model.evaluate import accuracy_words
from pipeline.views import source
from pipeline.views.live import IncidentCodes


@st.cache_resource(show_spinner=False)
def _engine(url: str):
    """Return the store's engine for `url`, loading the demo incident into an empty store."""

    return source.open_store(url)


def engine():
    """Return the engine of the configured store (settings are read on every call)."""

    return _engine(get_settings().db_url)


@st.cache_resource(show_spinner=False)
def _analysis_cache():
    """The one analysis cache of this server process (policy: `pipeline.analysis.chain.AnalysisCache`)."""

    return AnalysisCache()


def data_version(incident_id: int) -> tuple:
    """Return the incident's current data version (one cheap read; pages poll it)."""
    return source.data_version(engine(), incident_id)


def get_incident(incident_id: int) -> dict | None:
    """Return the incident as a dict (None when unknown)."""
    return source.incident(engine(), incident_id)


def analysed(incident_id: int, version: tuple | None = None):
    """Return the AnalysisResult of an incident at its current data version (or `version`, just read).

    Never mutate the returned frame.
    """
    eng = engine()
    return source.analysed(_analysis_cache(), eng, incident_id,
                           version or source.data_version(eng, incident_id))


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
    platforms, languages = chosen_filters()
    key = (func.__module__, func.__qualname__, str(engine().url), ctx.incident["id"], ctx.version, scope,
           len(frame),  # a page may narrow the frame further (CoPI: relevant messages only)
           str(ctx.start), str(ctx.now), platforms, languages, repr(args), repr(sorted(kwargs.items())))
    return _view_cache(key, func, frame, args, kwargs)


@st.cache_resource(show_spinner=False)
def _codes_cache() -> dict:
    """Per (store, incident): the IncidentCodes of its analysed frame, and a lock."""
    return {"lock": threading.Lock()}


def view_codes(ctx: PageContext, func, *args, public: bool = True, relevant: bool = False,
               window: bool = True, theme: bool = False, frame: bool = False, after_start: bool = False,
               filtered: bool = True):
    """Return `func(codes, rows, *args)` on the incident's integer-coded columns (views/live.py).

    `rows` selects what `view(ctx, …)` would pass: the picture's messages up to `ctx.now`,
    from `ctx.start` when `window`, on the chosen platforms/languages, official accounts left
    out when `public`; `theme` passes the frame's THEME column as `theme=` (integers per coded
    row), `frame` the analysed frame itself as `frame=` (for labels and texts); `after_start`
    selects (start, now] instead of [start, now] (the CoPI hour); `filtered=False` ignores the
    chosen platforms and languages (Nabespreking replays every message). The codes grow
    with the analysed frame, so a refresh after new messages codes only those (issue 15).
    Computed once per version, window and filter.
    """
    platforms, languages = chosen_filters() if filtered else ((), ())
    key = ("codes", func.__module__, func.__qualname__, str(engine().url), ctx.incident["id"], ctx.version,
           len(ctx.all_messages), window, public, relevant, str(ctx.start), str(ctx.now),
           platforms, languages, repr(args), theme, frame, after_start)
    return _codes_view(key, func, ctx, args, public, relevant, window, theme, frame, after_start,
                       platforms, languages)


@st.cache_resource(show_spinner=False, max_entries=256)
def _codes_view(key: tuple, _func, _ctx: PageContext, _args: tuple, _public: bool, _relevant: bool,
                _window: bool, _theme: bool, _frame: bool, _after: bool, _platforms: tuple,
                _languages: tuple):
    cache = _codes_cache()
    frame = _ctx.all_messages
    platforms, languages = _platforms, _languages  # (in the key)
    with cache["lock"]:
        codes = cache.setdefault((key[3], key[4]), IncidentCodes()).sync(frame)
        rows = codes.mask(upto=len(frame), start=_ctx.start if _window and not _after else None,
                          after=_ctx.start if _after else None, end=_ctx.now,
                          platforms=platforms, languages=languages,
                          public=_public, relevant=_relevant)
        extra = {"theme": codes.theme_column(frame)} if _theme else {}
        if _frame:
            extra["frame"] = frame
        return _func(codes, rows, *_args, **extra)


def incidents_table() -> pd.DataFrame:
    """Return the incident list (refreshed every few seconds)."""
    return _incidents_table(str(engine().url))


@st.cache_data(ttl=5, show_spinner=False)
def _incidents_table(url: str) -> pd.DataFrame:
    return source.incidents(engine())


incidents_table.clear = _incidents_table.clear  # callers clear after creating/closing incidents


def moments(incident_id: int) -> pd.DataFrame:
    """Return the communication moments of an incident."""
    return _moments(str(engine().url), incident_id)


@st.cache_data(ttl=5, show_spinner=False)
def _moments(url: str, incident_id: int) -> pd.DataFrame:
    return source.moments(engine(), incident_id)


moments.clear = _moments.clear  # callers clear after adding a moment


@st.cache_data(show_spinner=False)
def accuracy_words_of(code: str, language: str) -> list[str]:
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
