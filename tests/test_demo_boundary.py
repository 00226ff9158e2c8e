"""Demo mode has a real boundary: a foreign Host/Origin is refused (HTTP, websocket); no demo Beheer.

Issue 11 point 1: a DNS-rebinding page (`Host: evil.example:8601`) reached the 127.0.0.1 demo
over HTTP and the websocket, and any visitor could switch to Beheerder.
"""

from __future__ import annotations

import base64
import os
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest

from pipeline.governance import auth, webguard
from pipeline.governance import policy as governance
from tests.browser import CHROMIUM, FLAGS, needs_chromium, streamlit_server
from tests.conftest import app, as_demo

EVIL = "evil.example:8601"


def _http(url: str, host: str | None = None, origin: str | None = None) -> tuple[int, dict, str]:
    req = urllib.request.Request(url)
    if host:
        req.add_header("Host", host)
    if origin:
        req.add_header("Origin", origin)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode("utf-8", "replace")


def _websocket_status(url: str, host: str, origin: str | None) -> str:
    """Open the Streamlit websocket by hand (any Host/Origin) and return the handshake status line."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as s:
        key = base64.b64encode(os.urandom(16)).decode()
        lines = ["GET /_stcore/stream HTTP/1.1", f"Host: {host}", "Upgrade: websocket", "Connection: Upgrade",
                 f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
        if origin:
            lines.append(f"Origin: {origin}")
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        return s.recv(4096).decode("latin-1").split("\r\n")[0]


@pytest.mark.parametrize("host, origin, ok", [
    ("127.0.0.1:8501", None, True), ("localhost:8501", "http://localhost:8501", True),
    ("[::1]:8501", "http://[::1]:8501", True), (EVIL, f"http://{EVIL}", False),
    ("127.0.0.1:8501", f"http://{EVIL}", False), (EVIL, None, False), ("127.0.0.1:8501", "null", False),
    ("127.0.0.1.evil.example", None, False), ("", None, False),
])
def test_host_allowed(host, origin, ok):
    assert webguard.host_allowed(host, origin, webguard.allowed_hosts({})) is ok


def test_public_host_from_environment():
    allowed = webguard.allowed_hosts({webguard.PUBLIC_HOSTS_ENV: "Luisterpost.VRZZ.nl, x.example:443"})
    assert webguard.host_allowed("luisterpost.vrzz.nl", "https://luisterpost.vrzz.nl", allowed)
    assert webguard.host_allowed("x.example", None, allowed)
    assert not webguard.host_allowed(EVIL, None, allowed)


def test_served_app_refuses_foreign_host_on_http_and_websocket(tmp_path):
    with streamlit_server(tmp_path, script="serve.py") as url:
        own = url.split("//", 1)[1]
        status, headers, _ = _http(f"{url}/_stcore/health")
        assert status == 200
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        status, _, body = _http(f"{url}/", host=EVIL)
        assert status == 403 and "Geweigerd" in body and "Refused" in body
        assert _http(f"{url}/_stcore/health", origin=f"http://{EVIL}")[0] == 403
        assert " 101 " in _websocket_status(url, own, f"http://{own}")
        assert " 403 " in _websocket_status(url, EVIL, f"http://{EVIL}")
        assert " 403 " in _websocket_status(url, own, f"http://{EVIL}")  # rebinding page, local Host


@needs_chromium
@pytest.mark.parametrize("script, body", [
    ("serve.py", "Geweigerd: onbekende host"),  # the guard answers 403 before Streamlit
    ("dashboard.py", "Geweigerd: deze pagina is niet via een toegestaan adres"),  # the app refuses itself
])
def test_browser_via_a_rebound_name_sees_nothing(tmp_path, script, body):
    """Chromium resolves evil.example to 127.0.0.1, as DNS rebinding would: no page, no messages."""
    playwright = pytest.importorskip("playwright.sync_api")
    with streamlit_server(tmp_path, script=script) as url, playwright.sync_playwright() as p:
        port = urlsplit(url).port
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=[*FLAGS, "--host-resolver-rules=MAP evil.example 127.0.0.1"])
        try:
            page = browser.new_page()
            page.goto(f"http://evil.example:{port}/")
            page.get_by_text(body).first.wait_for(timeout=60_000)
            text = page.inner_text("body")
            assert "DEMO" not in text and "Berichten" not in text
        finally:
            browser.close()


@needs_chromium
def test_served_app_renders_under_its_security_headers(tmp_path):
    """The CSP must not break the app: the overview draws its text and its Vega chart."""
    playwright = pytest.importorskip("playwright.sync_api")
    with streamlit_server(tmp_path, script="serve.py") as url, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page()
            errors = []
            page.on("console", lambda m: errors.append(m.text) if "Content Security" in m.text else None)
            page.goto(f"{url}/overzicht")
            page.get_by_text("het stille midden telt niet mee").first.wait_for(timeout=180_000)
            page.locator(".vega-embed").first.wait_for(timeout=60_000)
            assert page.locator('[data-testid="stException"]').count() == 0
            assert errors == []
        finally:
            browser.close()


def test_no_demo_role_reaches_beheer(demo_home):
    for role in ("analist", "copi", "beheerder"):  # "beheerder" is a forged session value
        at = as_demo(app("pages/beheer.py"), role).run()
        assert not at.exception
        assert any("geen toegang" in e.value for e in at.error)
        assert not [w for w in at.segmented_control if w.key == "beheer_section"]
        assert at.session_state["lp_user"]["role"] in auth.DEMO_ROLES


def test_demo_role_switch_offers_no_beheerder(demo_home):
    at = as_demo(app("pages/overzicht.py")).run()
    switch = at.selectbox(key="lp_demo_role")
    assert switch.options == ["Analist", "CoPI-kijker"]
    with pytest.raises(auth.UserError):
        auth.demo_user(auth.BEHEERDER)


@pytest.mark.parametrize("page, visible", [("labelen.py", False), ("importeren.py", False),
                                           ("themas.py", True), ("nu.py", True)])
def test_demo_is_read_only(demo_home, page, visible):
    at = as_demo(app(f"pages/{page}")).run()
    assert not at.exception
    refused = any("geen toegang" in e.value for e in at.error)
    assert refused is not visible


def test_governance_refuses_every_write_to_a_demo_user(engine):
    from datetime import UTC, datetime

    from pipeline.storage import store

    iid = store.create_incident(engine, name="Demo", purpose="demo", legal_basis="demo",
                                responsible_officer="x", start_at=datetime(2026, 7, 11, tzinfo=UTC),
                                is_demo=True)
    for role in auth.DEMO_ROLES:
        user = auth.demo_user(role)
        for action in sorted(governance.ACTIONS - governance.DEMO_ACTIONS):
            with pytest.raises(governance.PermissionDenied):
                governance.require(engine, user, action, incident_id=iid)
    forged = {**auth.demo_user(), "role": auth.BEHEERDER}
    with pytest.raises(governance.PermissionDenied):
        governance.require(engine, forged, "page.overzicht", incident_id=iid)
    governance.require(engine, auth.demo_user(), "page.overzicht", incident_id=iid)  # reading is fine
