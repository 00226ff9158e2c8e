"""Shared browser-test setup: start `streamlit run` on a free port, drive Debian chromium."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian chromium not installed (apt-get install chromium)")


def free_port() -> int:
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(home: Path, script: str = "dashboard.py", **env_extra: str):
    """Run the dashboard on a fresh store in `home`; yield its base URL; stop it afterwards.

    `script="serve.py"` runs it behind the Host/Origin guard and security headers.
    """
    port = free_port()
    env = {**os.environ, "LUISTERPOST_HOME": str(home), **env_extra}
    env.pop("LUISTERPOST_DB_URL", None)
    log_path = home / "streamlit.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1"],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + 90
            while time.time() < deadline:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                        if resp.read() == b"ok":
                            break
                except OSError:
                    time.sleep(0.5)
            else:
                pytest.fail("streamlit did not start: " + log_path.read_text())
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextlib.contextmanager
def chromium():
    """Yield a Playwright-driven Debian chromium (no browser download)."""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield b
        finally:
            b.close()


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_script() -> Path:
    """Path of axe.min.js, installed from the npm registry (package.json) on first use."""
    path = REPO / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm not installed: cannot install axe-core for the WCAG checks")
        subprocess.run([npm, "install", "--no-audit", "--no-fund", "--silent"], cwd=REPO,
                       check=True, timeout=300)
    return path


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.1 A/AA rules) on a Playwright page; return its violations."""
    page.add_script_tag(path=str(axe_script()))
    return page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))", AXE_TAGS)


# Chart texts in the Dutch interface: what Vega draws (SVG <text>) and what it tells a screen reader
# (aria-label of every mark and axis), with d3's en-US defaults this was "Jul 11, 2026",
# "Verhouding: 1.06", "02 PM", "1,000".
ENGLISH_MONTH = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")
AM_PM = re.compile(r"\b\d{1,2}(:\d\d)?\s?(AM|PM)\b", re.IGNORECASE)
DOTTED = re.compile(r"\b\d{1,2}\.\d{2}\b")  # "14.00" as a time, "1.06" as a decimal
ENGLISH_THOUSANDS = re.compile(r"\b\d{1,3},\d{3}\b")  # "1,000"


def chart_texts(page) -> list[str]:
    """Every text Vega put into the page's charts: SVG labels and aria-labels."""
    page.locator(".vega-embed svg").first.wait_for(timeout=120_000)
    return page.evaluate(
        "() => [...document.querySelectorAll('.vega-embed svg text')].map(e => e.textContent)"
        ".concat([...document.querySelectorAll('.vega-embed [aria-label]')]"
        ".map(e => e.getAttribute('aria-label')))")


def dutch_format_leaks(texts: list[str]) -> list[str]:
    """The fragments of `texts` written in English number/time formats."""
    return [m.group(0) for text in texts for rx in (ENGLISH_MONTH, AM_PM, DOTTED, ENGLISH_THOUSANDS)
            for m in rx.finditer(text or "")]


# st.dataframe draws its cells on a canvas (glide-data-grid); its accessible table holds the
# cells' raw values ("0.5298888162197515"), not what is drawn. What the reader sees is what the
# grid passes to the canvas's fillText: record that from before the page's own scripts run.
RECORD_CANVAS_TEXT = """(() => { window.__lpDrawn = [];
  const fill = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
    window.__lpDrawn.push(String(text)); return fill.call(this, text, ...rest); }; })()"""


# Where each text is drawn: a canvas grid clips a cell's text at its column's edge, without "…".
# [text, x, drawn width, the canvas's CSS width] per fillText (same transform for cells and headers).
RECORD_CANVAS_PLACES = """(() => { window.__lpPlaced = [];
  const fill = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, x, ...rest) {
    window.__lpPlaced.push([String(text), x, this.measureText(String(text)).width,
                            this.canvas.getBoundingClientRect().width]);
    return fill.call(this, text, x, ...rest); }; })()"""


def unseen_headers(page, headers: list[str]) -> list[str]:
    """Return the `headers` not drawn whole inside their table (off to the right: scroll sideways).

    Needs RECORD_CANVAS_PLACES; reset `window.__lpPlaced = []` before the page is drawn.
    """
    placed = page.evaluate("() => window.__lpPlaced || []")
    whole = {text for text, x, w, width in placed if x + w <= width}
    return [h for h in headers if h not in whole]


def hidden_rows_px(page) -> list[int]:
    """Return per table on the page how many pixels of its rows sit behind a scroll bar inside it.

    0 = every row in sight; Streamlit's default height shows ten rows and half the eleventh.
    """
    return page.evaluate("""() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].map(d => {
        const s = d.querySelector('.dvn-scroller');
        return s ? Math.max(0, s.scrollHeight - s.clientHeight) : 0; })""")


def cut_cells(page, ending: str, next_header: str) -> tuple[list[str], list[str]]:
    """Return (cells ending in `ending`, those of them running into `next_header`'s column).

    Needs RECORD_CANVAS_PLACES; reset `window.__lpPlaced = []` before the page is drawn.
    """
    placed = page.evaluate("() => window.__lpPlaced || []")
    header = [x for text, x, _w, _width in placed if text == next_header]
    cells = [(text, x, w) for text, x, w, _width in placed if text.endswith(ending)]
    if not header:
        return [text for text, _x, _w in cells], [text for text, _x, _w in cells]
    return ([text for text, _x, _w in cells],
            [text for text, x, w in cells if x + w > min(header)])


def table_texts(page) -> list[str]:
    """Every distinct text drawn into the page's table canvases (add RECORD_CANVAS_TEXT first)."""
    page.locator('[data-testid="stDataFrame"] canvas').first.wait_for(timeout=120_000)
    return page.evaluate("() => [...new Set(window.__lpDrawn || [])]")
