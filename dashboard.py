"""Luisterpost entry point: page config and navigation over every page.

`/openbaar` runs the public page before anything else (no sign-in, no session state:
pages/openbaar.py). Otherwise every page is registered, whatever the role: a page the
user's role (or the read-only demo) may not open shows a Dutch refusal
(`pages/_login.check_page` → `governance.require`) instead of Streamlit's
"Page not found", and a bookmarked link such as `/nu?stand=16:00` still opens its
page before sign-in (the page itself shows the sign-in form). The sidebar shows only
the pages the role may open (`pages/_nav.visible_pages`); the root URL opens the first of
those under its own URL (`start`).
"""

import streamlit as st

from pages._context import page_furniture
from pages._login import KEY_USER
from pages._nav import PAGES, is_public_request, public_page, visible_pages
from pages._state import restore_state
from pages._text import lang

st.set_page_config(page_title="Luisterpost", page_icon="👂", layout="wide")
if is_public_request():  # /openbaar: the public page, no sign-in, no session state (pages/openbaar.py)
    # A default page of its own, so that Streamlit matches /openbaar to the public page's url_path
    # (as the only page it would be the default at "/", and /openbaar showed an English "Page not found").
    st.navigation([st.Page(lambda: None, title="Luisterpost", url_path="start", default=True), public_page()],
                  position="hidden").run()
    st.stop()

restore_state()
page_furniture(lang())
user = st.session_state.get(KEY_USER) or {}
visible = visible_pages(str(user.get("role", "")), demo=user.get("auth") == "demo") if user else PAGES
default = visible[0][1] if visible else PAGES[0][1]
english = lang() == "en"


def start() -> None:
    """Open the role's first page under its own URL (`/nu`) from the root URL ("/"), query kept."""
    st.switch_page(f"pages/{default}", query_params=dict(st.query_params))


# Every page keeps its own URL: the default page of st.navigation answers only at "/", so with Nu
# as the default a bookmarked `/nu?stand=16:00` was "Page not found". The default is a start page.
pages = [st.Page(start, title="Luisterpost", url_path="start", default=True)]
pages += [st.Page(f"pages/{file}", title=title_en if english else title_nl, icon=icon)
          for _sec, file, _action, title_nl, title_en, icon in PAGES]
# The pages draw the (role-filtered) links themselves: see pages/_nav.sidebar_nav.
st.navigation(pages, position="hidden").run()
