"""pages/_a11y.py: Streamlit's own English interface texts (visible or aria-label) get a Dutch version."""

from __future__ import annotations

import json
import re

import pytest

from pages._a11y import CSS, DUTCH, DUTCH_PATTERNS, PARENT_CODE, script


def dutch(text: str) -> str | None:
    """The replacement the injected script makes (its `dutch` function, in Python)."""
    exact = dict(DUTCH)
    trimmed = text.strip()
    if trimmed in exact:
        return text.replace(trimmed, exact[trimmed])
    for pattern, to in DUTCH_PATTERNS:
        if re.search(pattern, trimmed):
            return re.sub(pattern, re.sub(r"\$(\d)", r"\\\1", to), trimmed)
    return None


@pytest.mark.parametrize(("english", "nl"), [
    ("Collapse sidebar", "Zijbalk inklappen"),  # Streamlit 1.67 aria-label, the first Tab stop
    ("Expand sidebar", "Zijbalk uitklappen"),
    ("Link to heading", "Link naar deze kop"),  # the anchor next to every heading
    ("Skip to main content", "Naar de hoofdinhoud"),
    ("Remove Twitter", "Twitter verwijderen"),
])
def test_streamlit_texts_and_aria_labels_get_dutch(english, nl):
    assert dutch(english) == nl


@pytest.mark.parametrize("english", ["Collapse sidebar", "Expand sidebar", "Link to heading"])
def test_the_injected_script_replaces_them_in_aria_labels(english):
    pair = json.dumps([english, dict(DUTCH)[english]])
    frame = script("nl")
    assert json.dumps(pair)[1:-1] in frame  # in the exact-text map the page's script receives
    assert '"aria-label"' in PARENT_CODE  # which it applies to aria-label attributes too


def test_the_texts_are_the_ones_streamlit_uses():
    """Streamlit's frontend still says these exact English words (else the pair does nothing)."""
    from pathlib import Path

    import streamlit

    bundle = Path(streamlit.__file__).parent / "static" / "static" / "js"
    js = " ".join(p.read_text(encoding="utf-8", errors="ignore") for p in bundle.glob("*.js"))
    for english in ("Collapse sidebar", "Expand sidebar", "Link to heading"):
        assert f"`{english}`" in js or f'"{english}"' in js, english


def test_keyboard_focus_is_visible_in_the_sidebar_and_main_area():
    """WCAG 2.4.7: a focused link, button or input gets a 3 px dark-blue outline (not the page highlight)."""
    css = CSS
    rule = re.search(r"([^{}]*):focus-visible([^{}]*)\{([^{}]*)\}", css)
    assert rule, "no :focus-visible rule"
    selectors, body = rule.group(0).split("{")[0], rule.group(3)
    for part in ('[data-testid="stSidebar"] a:focus-visible', '[data-testid="stMain"] a:focus-visible',
                 '[data-testid="stSidebar"] button:focus-visible',
                 '[data-testid="stSidebar"] input:focus-visible',
                 '[data-testid="stMain"] input:focus-visible'):
        assert part in selectors, part
    assert re.search(r"outline:\s*3px solid #154273", body) and "outline-offset: 2px" in body
    assert json.dumps(css) in script("nl") and json.dumps(css) in script("en")


def test_every_page_injects_the_style_sheet_with_the_focus_rule(demo_home):
    from tests.conftest import app, as_role

    at = as_role(app("pages/nu.py"), "analist").run()
    assert not at.exception
    frames = [str(e.proto.srcdoc) for e in at.get("iframe")]
    assert any("lp-style" in f and ":focus-visible" in f and "#154273" in f for f in frames)
