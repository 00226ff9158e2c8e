"""HTML (Mastodon content, feed summaries) to plain text with the standard library parser.

Only text nodes survive: `<script>`, `<style>`, `<img>` (tracking pixels),
`<iframe>` and the like are dropped with their contents; `<br>` and block ends
become line breaks and entities are decoded. Links keep their visible text (the
URL domain is taken separately from the message URL at ingest). The result is
plain text and is treated as untrusted text downstream like any message.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_DROP = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "head",
         "title", "img", "video", "audio", "picture", "source", "canvas"}
_VOID = {"img", "source", "br", "hr", "meta", "link", "input", "embed", "wbr", "area", "base", "col",
         "param", "track"}
_BREAK = {"br", "p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "pre"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _DROP and tag not in _VOID:
            self.skip += 1
        elif tag == "br" and not self.skip:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag == "br" and not self.skip:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP and tag not in _VOID:
            self.skip = max(self.skip - 1, 0)
        elif tag in _BREAK and not self.skip:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_to_text(html: str | None) -> str:
    """Return the visible plain text of an HTML fragment (see module doc)."""
    if not html:
        return ""
    parser = _Text()
    try:
        parser.feed(str(html))
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient; never let markup stop a batch
        return re.sub(r"<[^>]*>", " ", str(html)).strip()
    text = "".join(parser.parts).replace("\xa0", " ")
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
