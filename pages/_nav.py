"""The page list (one place) and the role-filtered sidebar navigation.

`dashboard.py` registers these pages with a hidden `st.navigation`; every page
draws the same links itself (`sidebar_nav`), so the sidebar looks the same
whether a visitor came in through `/` or opened a page's URL directly (then
Streamlit runs the page file on its own).
"""

from __future__ import annotations

from urllib.parse import urlparse

import streamlit as st
from streamlit.errors import StreamlitAPIException

from pipeline.governance import policy as governance

# (section, file, action, Dutch title, English title, icon); the first is the default page.
PAGES = [
    ("Tijdens het incident", "nu.py", "page.nu", "Nu", "Now", "⏱️"),
    ("Tijdens het incident", "themas.py", "page.themas", "Thema's", "Themes", "🏷️"),
    ("Tijdens het incident", "trends.py", "page.trends", "Trends", "Trends", "📈"),
    ("Tijdens het incident", "open_vragen.py", "page.open_vragen", "Open vragen", "Open questions", "❓"),
    ("Tijdens het incident", "effect.py", "page.effect", "Effect van onze communicatie",
     "Effect of our communication", "📣"),
    ("Tijdens het incident", "representativiteit.py", "page.representativiteit",
     "Representativiteit", "Representativeness", "⚖️"),
    ("Tijdens het incident", "overzicht.py", "page.overzicht", "Overzicht", "Overview", "📊"),
    ("CoPI", "copi.py", "page.copi", "CoPI-projectie", "CoPI projection", "🖥️"),
    ("CoPI", "rapport.py", "page.rapport", "Scanrapport", "Scan report", "📄"),
    ("Na afloop", "nabespreking.py", "page.nabespreking", "Nabespreking", "After-action review", "🕰️"),
    ("Werk", "labelen.py", "page.labelen", "Labelen", "Labelling", "✅"),
    ("Werk", "importeren.py", "page.importeren", "Importeren", "Import", "📥"),
    ("Beheer", "beheer.py", "page.beheer", "Beheer", "Administration", "🔐"),
    ("Openbaar", "openbaar.py", "page.openbaar", "Openbaar", "Public page", "🏛️"),
]
SECTIONS_EN = {"Tijdens het incident": "During the incident", "CoPI": "CoPI",
               "Na afloop": "Afterwards", "Werk": "Work", "Beheer": "Administration", "Openbaar": "Public"}
PUBLIC_FILE, PUBLIC_PATH = "openbaar.py", "openbaar"  # the one page that needs no sign-in


def is_public_request() -> bool:
    """True when the browser asked for the public page (`/openbaar`): it runs without sign-in."""

    try:
        url = st.context.url or ""
    except Exception:  # noqa: BLE001 - no browser context (bare script run)
        return False
    return urlparse(url).path.rstrip("/").rsplit("/", 1)[-1] == PUBLIC_PATH


def public_page():
    """The public page as an `st.Page` (same file and URL as in the signed-in navigation)."""
    return st.Page(f"pages/{PUBLIC_FILE}", title="Openbaar", icon="🏛️", url_path=PUBLIC_PATH)


def visible_pages(role: str, demo: bool = False) -> list[tuple]:
    """Return the PAGES entries `role` may open (in demo mode: only the read-only ones)."""

    return [p for p in PAGES if governance.can(role, p[2], demo=demo)]


def sidebar_nav(user: dict, lang: str) -> None:
    """Draw links to the pages the user's role may open, grouped by section."""

    section = None
    with st.sidebar:
        demo = user.get("auth") == "demo"
        for sec, file, _action, title_nl, title_en, icon in visible_pages(str(user.get("role", "")), demo):
            if sec != section:
                st.caption(SECTIONS_EN.get(sec, sec) if lang == "en" else sec)
                section = sec
            try:
                st.page_link(f"pages/{file}", label=title_en if lang == "en" else title_nl, icon=icon)
            except StreamlitAPIException:
                return  # a page run on its own outside the app (tests): no links to draw
        st.divider()
