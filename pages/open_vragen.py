"""Open vragen (under construction)."""

import streamlit as st

from pages._common import header, page_context, representativeness_panel

ctx = page_context("open_vragen")
header("Open vragen", ctx)
st.info("Deze pagina wordt nog gebouwd. / This page is being built.")
representativeness_panel(ctx)
