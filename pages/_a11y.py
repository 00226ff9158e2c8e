"""Accessibility and language furniture Streamlit does not offer itself.

Contract: `inject(language)` runs a fixed script (no user-supplied string ever
reaches it; the language is checked against "nl"/"en") in a hidden, titled
component frame. The script
- sets `<html lang="nl">` (or "en") — WCAG 3.1.1;
- installs, once per browser tab, an observer in the app document that replaces
  Streamlit's own English interface texts ("Drag and drop file here",
  "Page not found", "Skip to main content", …) by Dutch ones while Dutch is chosen;
- adds a style sheet: captions at contrast ≥ 4.5:1 (WCAG 1.4.3) and a visible keyboard focus
  on links, buttons and inputs in the sidebar and the main area (WCAG 2.4.7).
The frame itself carries a title and is hidden from assistive technology.
"""

from __future__ import annotations

import json

import streamlit as st

# Streamlit's own texts (exact text or a regular expression) and their Dutch version.
DUTCH = [
    ("Drag and drop files here", "Sleep bestanden hierheen"),
    ("Drag and drop a file here", "Sleep een bestand hierheen"),
    ("Drag and drop file here", "Sleep een bestand hierheen"),
    ("Browse files", "Bestand kiezen"),
    ("Upload", "Bestand kiezen"),
    ("Choose options", "Kies…"),
    ("Choose an option", "Kies…"),
    ("No results", "Geen resultaten"),
    ("Skip to main content", "Naar de hoofdinhoud"),
    ("Page not found", "Pagina niet gevonden"),
    ("Running...", "Bezig…"),
    ("Stop", "Stoppen"),
    ("Clear all", "Alles wissen"),
    ("Close", "Sluiten"),
    ("Press Enter to submit form", "Druk op Enter om te versturen"),
    ("Press Enter to apply", "Druk op Enter om toe te passen"),
    ("Show data", "Toon gegevens"),
    ("Download as CSV", "Download als CSV"),
    ("Search", "Zoeken"),
    ("Fullscreen", "Volledig scherm"),
    ("Close fullscreen", "Volledig scherm sluiten"),
    ("View fullscreen", "Volledig scherm"),
    ("Main menu", "Hoofdmenu"),
    ("Remove file", "Bestand verwijderen"),
    ("Selected values", "Gekozen waarden"),
    ("Collapse sidebar", "Zijbalk inklappen"),  # aria-label, the first Tab stop
    ("Expand sidebar", "Zijbalk uitklappen"),
    ("Link to heading", "Link naar deze kop"),  # aria-label of every heading's anchor
    ("file upload", "bestand kiezen"),
]
DUTCH_PATTERNS = [
    (r"^(?:Limit )?(\d+)\s?MB per file(.*)$", "Maximaal $1 MB per bestand$2"),
    (r"^You have requested page (.*), but no corresponding file was found in the app's pages/ "
     r"directory\. Running the app's main page\.$",
     "De pagina $1 bestaat niet. U ziet de startpagina."),
    (r"^The page that you have requested does not seem to exist\. Running the app's main page\.$",
     "De gevraagde pagina bestaat niet. U ziet de startpagina."),
    (r"^(.*)\. Running the app's main page\.$", "$1. U ziet de startpagina."),
    (r"^(\d+) options? available\.?$", "$1 keuzes beschikbaar."),
    (r"^Help for (.*)$", "Uitleg bij $1"),
    (r"^(\d+)\.(\d+)\s?(B|KB|MB|GB)$", "$1,$2 $3"),
    (r"^Remove (.+)$", "$1 verwijderen"),
    (r"^option (.*) focused, (\d+) of (\d+)\.(.*)$", "keuze $1, $2 van $3."),
]

CSS = """
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stSidebar"] [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] p, [data-testid="stMetricLabel"] p,
[data-testid="stFileUploaderDropzoneInstructions"] span,
[data-testid="stFileUploaderDropzoneInstructions"] small {
  color: #4a5560 !important; opacity: 1 !important;
}
[class*="st-key-lp_copi_block_"] h3 {
  /* 28 px on a 1920 px projection, smaller on a laptop so long Dutch words stay whole */
  font-size: clamp(20px, 1.46vw, 28px) !important; color: #154273 !important;
  overflow-wrap: break-word; hyphens: manual;
  padding: 0 !important; margin: 0 !important;
}
.st-key-lp_caveat_large p, .st-key-lp_caveat_large [data-testid="stCaptionContainer"] p {
  font-size: 20px !important; line-height: 1.35 !important; color: #1A1A1A !important;
}
/* WCAG 2.4.7: a keyboard focus that differs from the current-page highlight (the sidebar links
   had outline: none and a focus background at 1,1:1 contrast) */
[data-testid="stSidebar"] a:focus-visible, [data-testid="stMain"] a:focus-visible,
[data-testid="stSidebar"] button:focus-visible, [data-testid="stMain"] button:focus-visible,
[data-testid="stHeader"] button:focus-visible,
[data-testid="stSidebar"] input:focus-visible, [data-testid="stMain"] input:focus-visible,
[data-testid="stSidebar"] textarea:focus-visible, [data-testid="stMain"] textarea:focus-visible,
[data-testid="stSidebar"] [role="button"]:focus-visible, [data-testid="stMain"] [role="button"]:focus-visible,
[data-testid="stSidebar"] [role="tab"]:focus-visible, [data-testid="stMain"] [role="tab"]:focus-visible,
[data-testid="stSidebar"] [role="slider"]:focus-visible, [data-testid="stMain"] [role="slider"]:focus-visible,
[data-testid="stSidebar"] [role="combobox"]:focus-visible,
[data-testid="stMain"] [role="combobox"]:focus-visible,
[data-testid="stSidebar"] label:has(input:focus-visible),
[data-testid="stMain"] label:has(input:focus-visible) {
  outline: 3px solid #154273 !important; outline-offset: 2px !important;
}
"""

PARENT_CODE = """
(function () {
  const exact = new Map(%(exact)s);
  const patterns = %(patterns)s.map(([re, to]) => [new RegExp(re), to]);
  const ATTRS = ["placeholder", "aria-label", "title"];
  function dutch(text) {
    const trimmed = text.trim();
    if (!trimmed) return null;
    if (exact.has(trimmed)) return text.replace(trimmed, exact.get(trimmed));
    for (const [re, to] of patterns) { if (re.test(trimmed)) return trimmed.replace(re, to); }
    return null;
  }
  function walk(root) {
    if (window.__lpLang !== "nl") return;
    const it = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = it.nextNode())) {
      const parent = node.parentElement;
      if (parent && !parent.closest("[data-testid=stFileUploader]") &&
          parent.closest("[data-testid=stMarkdownContainer], [data-testid=stText], " +
                         "[data-testid=stDataFrame], textarea, input")) continue;
      const to = dutch(node.nodeValue);
      if (to !== null && to !== node.nodeValue) node.nodeValue = to;
    }
    const els = root.querySelectorAll ? root.querySelectorAll("[placeholder],[aria-label],[title]") : [];
    for (const el of els) {
      for (const a of ATTRS) {
        const v = el.getAttribute(a);
        if (v) { const to = dutch(v); if (to !== null && to !== v) el.setAttribute(a, to); }
      }
    }
  }
  let queued = false;
  new MutationObserver(() => {
    if (document.documentElement.lang !== window.__lpLang) document.documentElement.lang = window.__lpLang;
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; walk(document.body); });
  }).observe(document.documentElement, {childList: true, subtree: true, characterData: true,
                                        attributes: true, attributeFilter: ["lang"]});
  walk(document.body);
})();
"""

FRAME_CODE = """
<script>
(function () {
  const lang = %(lang)s;
  const frame = window.frameElement;
  if (frame) {
    frame.title = "Luisterpost: taal en schermteksten";
    frame.setAttribute("aria-hidden", "true");
    frame.tabIndex = -1;
    const box = frame.closest('[data-testid="stElementContainer"]') || frame.parentElement;
    if (box) box.style.display = "none";
  }
  let doc;
  try { doc = window.parent.document; } catch (e) { return; }
  window.parent.__lpLang = lang;
  doc.documentElement.lang = lang;
  if (!doc.getElementById("lp-style")) {
    const style = doc.createElement("style");
    style.id = "lp-style";
    style.textContent = %(css)s;
    doc.head.appendChild(style);
  }
  if (!window.parent.__lpInstalled) {
    window.parent.__lpInstalled = true;
    const script = doc.createElement("script");
    script.textContent = %(parent)s;
    doc.head.appendChild(script);
  }
})();
</script>
"""


def script(language: str) -> str:
    """Return the frame's HTML for `language` ("nl" or "en"; anything else counts as "nl")."""
    lang = "en" if language == "en" else "nl"
    parent = PARENT_CODE % {"exact": json.dumps(DUTCH), "patterns": json.dumps(DUTCH_PATTERNS)}
    return FRAME_CODE % {"lang": json.dumps(lang), "css": json.dumps(CSS), "parent": json.dumps(parent)}


def inject(language: str) -> None:
    """Run the furniture script in a hidden, titled frame (no effect under AppTest)."""
    st.iframe(script(language), height=1, tab_index=-1)
