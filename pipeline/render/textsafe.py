"""One escape helper for every non-message string shown through Markdown.

Streamlit renders `st.markdown`, `st.caption`, `st.error`, `st.warning`, `st.info`,
`st.success`, `st.subheader`, `st.title` and widget labels as Markdown: links, remote
images (a tracking pixel), `:red[...]` directives, `$$` maths, emoji shortcodes and,
with some renderers, HTML. Incident names, file names, column headers, usernames
and error texts are typed by people or come from files, so they pass through
`md_escape` before they reach any of those. Message text never goes to Markdown at
all (`st.text`, dataframe cells). Used by `pages/` and by `pipeline.views.report`.

Contract: `md_escape(x)` returns a string that Markdown (CommonMark + GFM +
Streamlit's directives) shows as the literal characters of `str(x)`, on one line:
`<`, `>` and `&` become entities (no HTML tag or comment can form), every other
Markdown-active ASCII punctuation character gets a backslash, line breaks become
spaces (no headings, lists, block quotes or tables can start; `keep_lines=True` keeps
them for multi-line documents, where every line is escaped the same way).
"""

from __future__ import annotations

import re
from typing import Any

_MD_SPECIAL = frozenset("\\`*_{}[]()#+-.!|~$:")
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_LINE_BREAKS = str.maketrans({"\r": " ", "\n": " ", "\u2028": " ", "\u2029": " ", "\x0b": " ",
                              "\x0c": " ", "\x85": " "})


def md_escape(text: Any, *, keep_lines: bool = False) -> str:
    r"""Return `text` as a string that Markdown renders literally (see module contract).

    `keep_lines=True` (documents such as the scan report) keeps "\n" line breaks; a line of only
    "=" then has them escaped too, so it cannot turn the line above into a heading.
    """
    out = str(text).replace("\r\n", "\n")
    if not keep_lines:
        out = out.translate(_LINE_BREAKS)
    else:
        out = out.translate({ord(c): " " for c in "\r\u2028\u2029\x0b\x0c\x85"})
    escaped = "".join(_MD_ENTITIES.get(ch) or ("\\" + ch if ch in _MD_SPECIAL else ch) for ch in out)
    escaped = _FIGURE_PUNCT.sub(r"\1", escaped)  # "16:00", "1.321", "0,74", "11-07": plain
    if keep_lines and "=" in escaped:
        escaped = _SETEXT.sub(lambda m: m.group(0).replace("=", "\\="), escaped)
    return escaped


_SETEXT = re.compile(r"(?m)^[ \t]*=+[ \t]*$")
# ":", ".", "," or "-" between two digits acts in no Markdown construct (a list marker needs a
# space after it, a directive or shortcode letters, an autolink "://" or "www."): figures we
# format ("16:00 · 11-07-2026", "1.321", "0,74") stay readable in the downloaded Markdown report.
_FIGURE_PUNCT = re.compile(r"(?<=\d)\\([:.,-])(?=\d)")
