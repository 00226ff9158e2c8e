"""Luisterpost entry point: page config, sign-in and role-filtered navigation."""

import streamlit as st

from pages._common import allowed, current_user, lang

st.set_page_config(page_title="Luisterpost", page_icon="👂", layout="wide")

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
]

user = current_user()
english = lang() == "en"
sections: dict[str, list] = {}
first = True
for section, file, action, title_nl, title_en, icon in PAGES:
    if not allowed(user, action):
        continue
    sections.setdefault(section, []).append(
        st.Page(f"pages/{file}", title=title_en if english else title_nl, icon=icon, default=first))
    first = False
st.navigation(sections).run()
