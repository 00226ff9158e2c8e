"""Documents from Jinja2 templates (`pipeline/resources/<name>/`): HTML and Markdown, escaped by default.

* HTML: `autoescape=True`; only values wrapped in `markupsafe.Markup` by the caller (a module
  constant such as CSS, an SVG chart built from counts) are inserted as they are.
* Markdown: every `{{ value }}` passes `textsafe.md_escape(keep_lines=True)` on output (Jinja's
  `finalize`), so message-derived text cannot become a heading, link, image or HTML. The
  filters `md_oneline` (line breaks to spaces) and `md_lines` (one escaped string per line)
  escape first and mark their result done.
* `StrictUndefined`: a misspelt name in a template is an error, not an empty string.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from pipeline.render import textsafe

TEMPLATES = Path(__file__).resolve().parents[1] / "resources"


class _MarkdownDone(str):
    """A string already escaped for Markdown (the output of a `md_*` filter)."""


def _md(value: Any) -> str:
    return textsafe.md_escape(value, keep_lines=True)


def _md_finalize(value: Any) -> str:
    return value if isinstance(value, _MarkdownDone) else _md(value)


def _md_oneline(value: Any) -> _MarkdownDone:
    return _MarkdownDone(_md(value).replace("\n", " "))


def _md_lines(value: Any) -> list[_MarkdownDone]:
    return [_MarkdownDone(line) for line in _md(value).split("\n")]


@functools.cache
def _environment(name: str, markdown: bool) -> Environment:
    options: dict[str, Any] = {"loader": FileSystemLoader(TEMPLATES / name), "undefined": StrictUndefined,
                               "trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True}
    if markdown:
        env = Environment(autoescape=False, finalize=_md_finalize, **options)  # noqa: S701 (finalize escapes)
        env.filters.update(md_oneline=_md_oneline, md_lines=_md_lines)
    else:
        env = Environment(autoescape=True, **options)
    return env


def render_html(name: str, template: str, **context: Any) -> str:
    """Render `resources/<name>/<template>` with HTML autoescaping."""
    return _environment(name, False).get_template(template).render(**context)


def render_markdown(name: str, template: str, **context: Any) -> str:
    """Render `resources/<name>/<template>` with every value escaped for Markdown."""
    return _environment(name, True).get_template(template).render(**context)
