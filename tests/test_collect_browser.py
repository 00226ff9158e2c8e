"""End to end: a status published on a fixture Mastodon instance shows up on Nu in Chromium.

Collector (`python -m pipeline collect`, own process) + `streamlit run` + Debian
chromium, signed in as a local analyst. Asserts behaviour only (the count on Nu
grows by what the fixture published); the latency figures come from
`python -m benchmarks.collect_latency`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.browser import chromium, needs_chromium, streamlit_server
from tests.collect_fixtures import FixtureServer, mastodon_status
from tests.conftest import REPO, isolate_store

pytestmark = [pytest.mark.browser, needs_chromium]


def test_a_published_status_appears_on_nu(tmp_path, monkeypatch):
    from pipeline.governance import auth
    from pipeline.ingest.collect import sources as src
    from pipeline.storage import store

    isolate_store(tmp_path, monkeypatch)
    monkeypatch.delenv("LUISTERPOST_DB_URL")  # streamlit_server uses LUISTERPOST_HOME
    store.dispose_engines()
    engine = store.get_engine()
    store.create_incident(engine, name="Live", purpose="test", legal_basis="test",
                          responsible_officer="test", start_at=datetime.now(UTC) - timedelta(hours=2),
                          keywords=["brand"])
    auth.create_user(engine, "analist", auth.ANALIST, "live-wachtwoord-123", actor="test")
    with FixtureServer() as fx:
        src.add_source(engine, "Live", "mastodon", {"instance": fx.base(), "hashtag": "brand",
                                                     "interval": 1}, actor="test")
        fx.statuses = [mastodon_status(i, datetime.now(UTC) - timedelta(minutes=10 - i)) for i in range(3)]
        with open(tmp_path / "collector.log", "w") as log:
            collector = subprocess.Popen([sys.executable, "-m", "pipeline", "collect", "--tick", "0.2"],
                                         cwd=REPO, env=dict(os.environ), stdout=log,
                                         stderr=subprocess.STDOUT)
            try:
                with streamlit_server(Path(os.environ["LUISTERPOST_HOME"]),
                                      LUISTERPOST_REFRESH_SECONDS="2") as url, chromium() as browser:
                    page = browser.new_page(viewport={"width": 1400, "height": 900})
                    page.goto(url, timeout=120_000)
                    page.get_by_label("Gebruikersnaam").fill("analist")
                    page.get_by_label("Wachtwoord").fill("live-wachtwoord-123")
                    page.get_by_role("button", name="Inloggen").click()
                    page.locator('[data-testid="stSidebar"] a', has_text="Nu").first.click(timeout=120_000)
                    metric = page.locator('[data-testid="stMetricValue"]').first

                    def count_becomes(n: int) -> bool:
                        deadline = time.monotonic() + 60
                        while time.monotonic() < deadline:
                            try:
                                if metric.inner_text(timeout=2000).strip() == str(n):
                                    return True
                            except Exception:  # noqa: BLE001 - re-rendering
                                pass
                            time.sleep(0.2)
                        return False

                    assert count_becomes(3)
                    with fx.lock:
                        fx.statuses += [mastodon_status(10 + i, datetime.now(UTC)) for i in range(2)]
                    assert count_becomes(5)  # no reload: the live refresh picks it up
                    assert page.locator('[data-testid="stException"]').count() == 0
                    page.close()
            finally:
                collector.terminate()
                collector.wait(timeout=20)
