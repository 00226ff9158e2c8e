"""Luisterpost as an ASGI app with a Host/Origin allow-list and security headers.

Start with `streamlit run serve.py` (Streamlit detects `app`, an `st.App`), with the same
options as `dashboard.py`. See `pipeline/governance/webguard.py` and `docs/DEPLOY.md`.
"""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from pipeline.governance.webguard import HostOriginGuard, SecurityHeaders

app = st.App(str(Path(__file__).resolve().parent / "dashboard.py"),
             middleware=[Middleware(HostOriginGuard), Middleware(SecurityHeaders)])
