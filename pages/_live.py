"""Live refresh for the analyst pages: rerun when new data arrives, signal new rising themes.

`live_refresh(ctx)` draws a small fragment in the sidebar that runs every
`LUISTERPOST_REFRESH_SECONDS` (default 3) seconds, asks the store for the
incident's `data_version` (one cheap COUNT/MAX query) and calls `st.rerun()`
only when it changed. Filters live in session-state keys, so they survive the
rerun. After each full run it compares the rising themes (>= k distinct
authors) with the ones this session has already seen and raises a toast and a
sidebar badge for a new one. Theme labels are untrusted text: they only go to
`st.text`, never to the toast (markdown) itself.

`page_context()` (pages/_context.py) calls it at the end of every page except CoPI and
Nabespreking, which draw their own. Imports pages/_text.py and pages/_data.py only.
"""

from __future__ import annotations

import os
from datetime import timedelta

import streamlit as st

from pages._data import data_version, view
from pages._text import lang, tr
from pipeline.config import view_min_authors
from pipeline.views.timeline import RISING_WINDOW, rising_themes

REFRESH_ENV = "LUISTERPOST_REFRESH_SECONDS"
DEFAULT_SECONDS = 3.0  # new messages visible on Nu within 10 s (measured: median 5,3 s, p95 6,7 s)
MIN_SECONDS = 1.0

LIVE_TEXTS = {
    "live": {"nl": "Live: ververst elke {s} s bij nieuwe berichten",
             "en": "Live: refreshes every {s} s when new messages arrive"},
    "rising_title": {"nl": "Stijgende thema's", "en": "Rising themes"},
    "new_rising": {"nl": "Nieuw stijgend thema ({n}) — zie de zijbalk of Trends",
                   "en": "New rising theme ({n}) — see the sidebar or Trends"},
}


def refresh_seconds() -> float:
    """Return the refresh interval from LUISTERPOST_REFRESH_SECONDS (default 3, at least 1)."""
    raw = os.environ.get(REFRESH_ENV, "")
    try:
        value = float(raw) if raw.strip() else DEFAULT_SECONDS
    except ValueError:
        value = DEFAULT_SECONDS
    return max(value, MIN_SECONDS)


_WATCHERS: dict[float, object] = {}
_FULL_RUN = "lp_live_full_run"


def _watcher(seconds: float):
    """Return the (one per interval) fragment that reruns the app when the data version changes."""
    if seconds not in _WATCHERS:
        @st.fragment(run_every=seconds)
        def watch(incident_id: int, seen: tuple) -> None:
            # Only the timer's own reruns may restart the page: during the page's full run
            # (flag set by live_refresh) data arriving meanwhile waits for the next tick,
            # otherwise a busy feed would restart the page over and over.
            timer_tick = not st.session_state.get(_FULL_RUN)
            if timer_tick and data_version(incident_id) != tuple(seen):
                st.rerun(scope="app")
            st.caption(tr(LIVE_TEXTS, "live", s=f"{seconds:g}"))

        _WATCHERS[seconds] = watch
    return _WATCHERS[seconds]


def _rising(frame, at, min_authors: int, language: str, window: timedelta):
    return rising_themes(frame, at, min_authors=min_authors, lang=language, window=window)


def rising_now(ctx, min_authors: int, window: timedelta = RISING_WINDOW):
    """Return the rising themes at `ctx.now` (`timeline.rising_themes`), one cached view per (k, window).

    The sidebar signal and Nu's own list (its default 30 minutes and k) are then one computation
    (~0,1 s at 1M messages), not two.
    """
    return view(ctx, _rising, ctx.now, min_authors, lang(), window, scope="all")


def rising_signal(ctx) -> list[str]:
    """Toast once per new rising theme in this session; show the rising labels in the sidebar."""
    table = rising_now(ctx, view_min_authors())
    seen_key = f"live_rising_seen_{ctx.incident['id']}"
    groups = [int(g) for g in table["group"]]
    first_look = seen_key not in st.session_state
    seen = st.session_state.setdefault(seen_key, set())
    new = [g for g in groups if g not in seen]
    if new and not first_look:
        st.toast(tr(LIVE_TEXTS, "new_rising", n=len(new)), icon="📈")
    seen.update(groups)
    labels = [str(label) for label in table["label"]]
    if labels:
        with st.sidebar, st.container(border=True):
            st.caption(tr(LIVE_TEXTS, "rising_title"))
            st.text("\n".join(f"↑ {label}" for label in labels[:5]))  # plain text: labels are data
    return [str(table.loc[table["group"] == g, "label"].iloc[0]) for g in new]


def live_refresh(ctx, *, every: float | None = None, signal: bool = True) -> None:
    """Rerun the page when the incident's data changes; optionally signal new rising themes."""
    seconds = float(every) if every else refresh_seconds()
    if signal:
        rising_signal(ctx)
    st.session_state[_FULL_RUN] = True
    try:
        with st.sidebar:
            _watcher(seconds)(int(ctx.incident["id"]), tuple(ctx.version))
    finally:
        st.session_state[_FULL_RUN] = False
