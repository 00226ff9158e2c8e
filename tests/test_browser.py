"""End to end: `streamlit run` + headless Chromium (Debian `chromium`) on the demo incident.

Set LP_SCREENSHOTS=docs/screenshots to keep the screenshots (README uses them).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.browser import (
    RECORD_CANVAS_TEXT,
    chart_texts,
    chromium,
    dutch_format_leaks,
    needs_chromium,
    streamlit_server,
    table_texts,
)

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A streamlit server on a fresh store (the demo loads itself on first view)."""
    with streamlit_server(tmp_path_factory.mktemp("browser")) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """A Playwright-driven Debian chromium."""
    with chromium() as b:
        yield b


def open_page(browser, url: str, wait_text: str, *, width=1400, height=900, timeout=180_000):
    """Open `url`, wait until `wait_text` is visible and the app is idle; return the page."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url, timeout=timeout)
    page.get_by_text(wait_text, exact=False).first.wait_for(timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)
    page.wait_for_timeout(1500)  # let charts draw
    return page


def test_overview_renders_demo_in_dutch(server, browser, tmp_path):
    page = open_page(browser, f"{server}/overzicht", "het stille midden telt niet mee")
    body = page.inner_text("body")
    assert "Overzicht" in body
    assert "Berichten" in body and "Unieke auteurs" in body
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator(".vega-embed").count() >= 1  # the volume chart drew
    # No handle, e-mail or full URL reaches the page.
    assert not re.search(r"@[A-Za-z_]\w{2,}", body)
    assert not re.search(r"[\w.]+@[\w-]+\.\w+", body)
    assert "https://" not in body
    shots = Path(os.environ.get("LP_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "overzicht.png"), full_page=True)
    assert (shots / "overzicht.png").stat().st_size > 20_000
    page.close()


# The server runs in demo mode (loopback, no users): read-only, so Labelen and Importeren are not
# offered there (governance.DEMO_ACTIONS); their AppTest page tests run as a signed-in analist.
ANALYST_PAGES = ["nu", "themas", "trends", "open_vragen", "effect", "representativiteit",
                 "rapport", "nabespreking"]


@pytest.mark.parametrize("name", ["labelen", "importeren"])
def test_demo_offers_no_work_pages(server, browser, name):
    page = open_page(browser, f"{server}/", "het stille midden telt niet mee")
    assert page.locator(f'[data-testid="stSidebar"] a[href$="/{name}"]').count() == 0  # no link
    page.goto(f"{server}/{name}")  # nor by URL: not a page of the demo
    page.wait_for_timeout(8000)
    assert page.locator('input[type="file"]').count() == 0
    assert page.locator('[data-testid="stDataEditor"]').count() == 0  # no labelling grid
    page.close()


@pytest.mark.parametrize("name", ANALYST_PAGES)
def test_every_analyst_page_renders_without_errors(server, browser, tmp_path, name):
    wait_for = "het stille midden telt niet mee"
    page = open_page(browser, f"{server}/{name}", wait_for)
    body = page.inner_text("body")
    assert page.locator('[data-testid="stException"]').count() == 0, body[:2000]
    assert "Traceback" not in body
    assert "geen toegang" not in body
    assert not re.search(r"@[A-Za-z_]\w{2,}", body)  # no handle anywhere
    assert "https://" not in body
    shots = Path(os.environ.get("LP_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    page.close()


def test_an_unknown_page_is_explained_in_dutch(server, browser):
    """An unknown page (old bookmark) opens the start page with a Dutch note, not Streamlit's English."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server, timeout=180_000)
    page.get_by_text("het stille midden", exact=False).first.wait_for(timeout=180_000)
    page.goto(f"{server}/bestaatniet", timeout=120_000)
    page.get_by_text("startpagina", exact=False).first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    dialog = page.locator('[role="dialog"]').inner_text()
    assert "De gevraagde pagina bestaat niet. U ziet de startpagina." in dialog, dialog
    assert "does not seem to exist" not in dialog
    page.close()


@pytest.mark.parametrize("name", ["trends", "effect"])
def test_chart_texts_are_dutch(server, browser, name):
    """Time axes, tooltips and screen-reader texts of the charts in Dutch formats."""
    page = open_page(browser, f"{server}/{name}", "het stille midden telt niet mee")
    texts = chart_texts(page)
    assert any(re.fullmatch(r"\d\d:\d\d", t or "") for t in texts), texts[:40]  # a 24-hour time axis
    assert dutch_format_leaks(texts) == [], [t for t in texts if dutch_format_leaks([t])][:10]
    page.close()


def test_table_cells_are_dutch_with_an_english_browser(server, browser):
    """The drawn cells of the Representativiteit tables: Dutch whatever the browser's locale.

    Before: "4051", "52.99%" (the "percent" preset follows the browser), "0.20", "0.00–0.54".
    """
    context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
    context.add_init_script(RECORD_CANVAS_TEXT)
    page = context.new_page()
    page.goto(f"{server}/representativiteit", timeout=180_000)
    page.get_by_text("het stille midden telt niet mee", exact=False).first.wait_for(timeout=180_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=180_000)
    frames = page.locator('[data-testid="stDataFrame"]')
    for i in range(frames.count()):  # a grid draws only the cells in view
        frames.nth(i).scroll_into_view_if_needed()
        page.wait_for_timeout(300)
    texts = table_texts(page)
    assert "4.051" in texts, texts[:80]  # authors with one message
    assert any(re.fullmatch(r"\d{1,2},\d%", t) for t in texts), texts[:80]  # "53,0%"
    assert any(re.fullmatch(r"\d,\d\d–\d,\d\d", t) for t in texts), texts  # "0,00–0,54"
    # "0.20", "52.99%", "0.00–0.54", "4051", "4,051" (a Dutch "4.051" has three digits after its dot)
    english = [t for t in texts
               if re.fullmatch(r"\d+\.\d{1,2}%?|\d\.\d\d–\d\.\d\d|\d{4,}|\d{1,3}(,\d{3})+", t)]
    assert english == [], english
    context.close()
