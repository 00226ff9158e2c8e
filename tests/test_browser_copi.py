"""CoPI projection in a real browser at 1920×1080: fits the screen, no message text, live refresh.

Set LP_SCREENSHOTS=docs/screenshots to keep copi.png. The refresh latency (message
written with `ingest_frame` → new picture time on the open page) is printed, not asserted.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pandas as pd
import pytest

from tests.browser import chromium, needs_chromium, streamlit_server

pytestmark = [pytest.mark.browser, needs_chromium]
REFRESH = 2


@pytest.fixture(scope="module")
def copi_server(tmp_path_factory):
    """A streamlit server on a fresh demo store, refreshing every 2 s."""
    home = tmp_path_factory.mktemp("browser_copi")
    with streamlit_server(home, LUISTERPOST_REFRESH_SECONDS=str(REFRESH)) as url:
        yield url, home


@pytest.fixture(scope="module")
def browser():
    """A Playwright-driven Debian chromium."""
    with chromium() as b:
        yield b


def open_projection(browser, url: str):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(url, timeout=180_000)  # the entry first: loads the demo and the navigation
    page.get_by_text("het stille midden", exact=False).first.wait_for(timeout=180_000)
    page.goto(f"{url}/copi", timeout=180_000)
    page.get_by_text("Stand ", exact=False).first.wait_for(timeout=180_000)
    page.wait_for_function("() => document.querySelectorAll('.vega-embed').length >= 6",
                           timeout=120_000)
    page.wait_for_timeout(1500)  # let the charts draw
    return page


def picture_time(page) -> str:
    title = page.locator("h1").first.inner_text()
    found = re.search(r"\d\d:\d\d", title)
    return found.group(0) if found else ""


def test_projection_fits_the_screen_and_shows_no_messages(copi_server, browser, tmp_path):
    url, home = copi_server
    page = open_projection(browser, url)
    body = page.inner_text("body")
    assert re.search(r"Stand \d\d:\d\d", body)
    for block in ("Informatiebehoefte", "Schadebeperking", "Betekenisgeving", "Geruchten", "Advies"):
        assert page.get_by_text(block).count() >= 1
    assert page.locator('[data-testid="stException"]').count() == 0
    sizes = page.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMain"]');
        const bottoms = [...main.querySelectorAll('[data-testid="stElementContainer"]')]
            .map(e => e.getBoundingClientRect().bottom);
        return {doc: document.scrollingElement.scrollHeight, inner: innerHeight,
                main: main.scrollHeight, mainClient: main.clientHeight,
                lowest: Math.max(...bottoms)};
    }""")
    assert sizes["doc"] <= sizes["inner"]
    assert sizes["main"] <= sizes["mainClient"], sizes  # no scrollbar in the main area
    assert sizes["lowest"] <= sizes["inner"], sizes  # nothing below the fold
    # no message text, no handle, no link
    import sqlite3

    from pipeline.config import get_settings  # noqa: F401 - same settings as the server

    with sqlite3.connect(home / "luisterpost.db") as conn:
        texts = [r[0] for r in conn.execute(
            "SELECT text FROM messages WHERE length(text) > 60 ORDER BY id LIMIT 2000")]
    distinctive = texts[::200][:10]
    assert len(distinctive) >= 5
    for text in distinctive:
        assert text not in body
    assert not re.search(r"@[A-Za-z_]\w{2,}", body)
    assert "https://" not in body
    shots = Path(os.environ.get("LP_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "copi.png"))
    assert (shots / "copi.png").stat().st_size > 20_000
    page.close()


def test_refresh_latency(copi_server, browser, monkeypatch):
    """Write messages into the store and time until the open page shows the new picture."""
    from pipeline.ingest.load import ingest_frame
    from pipeline.storage import store

    url, home = copi_server
    page = open_projection(browser, url)
    before = picture_time(page)
    monkeypatch.setenv("LUISTERPOST_HOME", str(home))
    monkeypatch.delenv("LUISTERPOST_DB_URL", raising=False)
    store.dispose_engines()
    try:
        engine = store.get_engine()
        incident = store.list_incidents(engine).iloc[0]
        latest = store.load_messages(engine, int(incident["id"]))["created_at"].max()
        when = (latest + pd.Timedelta(minutes=7)).tz_convert("Europe/Amsterdam")
        raw = pd.DataFrame({"ID": [f"live{i}" for i in range(20)],
                            "Datum": when.strftime("%d-%m-%Y %H:%M:%S"), "Bron": "Twitter",
                            "Auteur": [f"live{i}" for i in range(20)],
                            "Bericht": "Veel rook van de brand in Oosterzand, ramen dicht"})
        written = time.monotonic()
        ingest_frame(raw, int(incident["id"]), engine=engine)
        expected = when.strftime("%H:%M")
        page.wait_for_function(
            "(t) => [...document.querySelectorAll('h1')].some(h => h.innerText.includes(t))",
            arg=expected, timeout=60_000)
        latency = time.monotonic() - written
    finally:
        store.dispose_engines()
    print(f"\nrefresh latency: {latency:.1f} s (interval {REFRESH} s; before {before}, now {expected})")
    assert picture_time(page) == expected != before
    page.close()
