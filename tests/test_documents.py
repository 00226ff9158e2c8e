"""render/documents.py: Jinja2 templates escape every value (HTML and Markdown) and reject typos."""

from __future__ import annotations

import pytest
from jinja2 import UndefinedError
from markupsafe import Markup

from pipeline.render import documents

PAYLOAD = "# kop\n<img src=x onerror=alert(1)> [klik](http://evil.example) *x* | y\n==="


@pytest.fixture
def templates(tmp_path, monkeypatch):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "a.md.j2").write_text("## {{ v }}\n{{ v|md_oneline }}\n{% for line in v|md_lines %}"
                                            "> {{ line }}\n{% endfor %}")
    (tmp_path / "t" / "a.html.j2").write_text("<p>{{ v }}</p>{{ safe }}")
    (tmp_path / "t" / "typo.md.j2").write_text("{{ vv }}")
    monkeypatch.setattr(documents, "TEMPLATES", tmp_path)
    documents._environment.cache_clear()
    yield
    documents._environment.cache_clear()


def test_markdown_values_are_escaped_even_without_a_filter(templates):
    out = documents.render_markdown("t", "a.md.j2", v=PAYLOAD)
    assert "<img" not in out and "](http" not in out and "\n# kop" not in out
    assert "&lt;img" in out and r"\[klik\]" in out and r"\*x\* \| y" in out
    assert r"\=\=\=" in out  # a setext underline cannot turn a line into a heading
    assert out.count("\n> ") == 3  # md_lines: one quoted line per input line


def test_html_values_are_escaped_and_only_markup_passes(templates):
    out = documents.render_html("t", "a.html.j2", v=PAYLOAD, safe=Markup("<b>ok</b>"))
    assert "<img" not in out and "&lt;img src=x" in out
    assert out.endswith("<b>ok</b>")


def test_a_misspelt_name_is_an_error(templates):
    with pytest.raises(UndefinedError):
        documents.render_markdown("t", "typo.md.j2", v="x")
