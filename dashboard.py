"""Luisterpost entry point: page config, sign-in and role-filtered navigation."""

import streamlit as st

from pages._common import current_user, lang
from pages._nav import is_public_request, public_page, visible_pages

st.set_page_config(page_title="Luisterpost", page_icon="👂", layout="wide")
if is_public_request():  # /openbaar: the public page, no sign-in, no session state (pages/openbaar.py)
    st.navigation([public_page()], position="hidden").run()
    st.stop()

user = current_user()
english = lang() == "en"
visible = visible_pages(user["role"], demo=user.get("auth") == "demo")  # demo mode: read-only pages only
pages = [st.Page(f"pages/{file}", title=title_en if english else title_nl, icon=icon, default=i == 0)
         for i, (_sec, file, _action, title_nl, title_en, icon) in enumerate(visible)]
# The pages draw the (same, role-filtered) links themselves: see pages/_nav.sidebar_nav.
st.navigation(pages, position="hidden").run()
