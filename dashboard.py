"""Luisterpost entry point: page config and navigation over every page.

Every page is registered, whatever the role: a page the user's role may not open
shows a Dutch refusal (`pages/_common.check_page`) instead of Streamlit's
"Page not found", and a bookmarked link such as `/nu?stand=16:00` still opens
its page before sign-in (the page itself shows the sign-in form). The sidebar
shows only the role's pages (`pages/_nav.visible_pages`); the default page is the
first page the signed-in role may open.
"""

import streamlit as st

from pages._common import KEY_USER, lang, page_furniture, restore_state
from pages._nav import PAGES, visible_pages

restore_state()
st.set_page_config(page_title="Luisterpost", page_icon="👂", layout="wide")
page_furniture(lang())

user = st.session_state.get(KEY_USER) or {}
visible = visible_pages(str(user.get("role", ""))) if user else PAGES
default = visible[0][1] if visible else PAGES[0][1]
english = lang() == "en"
pages = [st.Page(f"pages/{file}", title=title_en if english else title_nl, icon=icon, default=file == default)
         for _sec, file, _action, title_nl, title_en, icon in PAGES]
# The pages draw the (role-filtered) links themselves: see pages/_nav.sidebar_nav.
st.navigation(pages, position="hidden").run()
