"""Markdown injection: names, file names, headers and error texts never render as image, link or HTML.

Issue 11 point 12: an incident name `![x](//host/p.png)` became an image on the Scanrapport
preview, and an upload's markdown header reached `st.error(str(exc))`. Every page runs here
with an incident named by the payload set; everything Streamlit renders as Markdown is put
through a CommonMark renderer (markdown-it-py, HTML on) and must yield no <img>, <a> or HTML.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from markdown_it import MarkdownIt

from pages._nav import PAGES
from pipeline.ingest.load import IngestError, ingest_file, read_messages
from pipeline.render.textsafe import md_escape
from pipeline.storage import store
from tests.conftest import app, as_role, isolate_store

PAYLOADS = [
    "![x](//host/p.png)", "[a](javascript:alert(1))", "<img src=x onerror=alert(1)>", "**vet**",
    "`code`", "$$x^2$$", ":red[rood]", "<!-- c -->", "[b]: //host/ref.png", "<https://host/auto>",
    "# kop", "> citaat", "| a | b |",
]
NAME = "Brand " + " ".join(PAYLOADS[:8])
MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
MARKDOWN_ELEMENTS = ("markdown", "caption", "error", "warning", "info", "success", "title", "header",
                     "subheader", "toast", "exception")


DANGEROUS = ("<img", "<a ", "<!--", "<script")
FORMATTING = ("<code", "<strong", "<h1", "<blockquote", "<table")  # harmless, but not from a name


def unsafe(value: str, tags: tuple[str, ...] = DANGEROUS) -> list[str]:
    """Return what in `value` would render as image, link, HTML, Streamlit directive or maths."""
    html = MD.render(str(value))
    found = [tag for tag in tags if tag in html]
    if re.search(r"(?<!\\):[a-z]+(?<!\\)\[", value):
        found.append("directive")
    if re.search(r"(?<!\\)\$(?<!\\)\$", value):
        found.append("maths")
    return found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escape_helper_neutralises_each_payload(payload):
    escaped = md_escape(f"naam {payload}\nregel 2")
    assert unsafe(escaped, DANGEROUS + FORMATTING) == []
    assert "\n" not in escaped


def test_the_check_can_fail():
    assert "<img" in unsafe("![x](//host/p.png)")
    assert "directive" in unsafe(":red[rood]") and "maths" in unsafe("$$x$$")


@pytest.fixture(scope="module")
def injected_store(tmp_path_factory):
    import os

    from pytest import MonkeyPatch

    mp = MonkeyPatch()
    tmp = tmp_path_factory.mktemp("inject")
    engine = isolate_store(tmp, mp)
    iid = store.create_incident(engine, name=NAME, purpose="test", legal_basis="test",
                                responsible_officer="OvD-C", start_at=datetime(2026, 7, 11, 12, tzinfo=UTC),
                                is_demo=True)
    rows = ["id,text,date,author,platform"] + [
        f"{i},rook en brand bij de haven {i},2026-07-11 12:{i:02d},burger{i % 7},x" for i in range(1, 40)]
    path = tmp / "x.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    ingest_file(path, iid, engine=engine)
    assert os.environ["LUISTERPOST_DB_URL"].startswith("sqlite")
    yield engine
    store.dispose_engines()
    mp.undo()


@pytest.mark.parametrize("file", [p[1] for p in PAGES])
def test_payload_incident_name_renders_as_text_on_every_page(injected_store, file):
    role = "beheerder" if file == "beheer.py" else "analist"
    at = as_role(app(f"pages/{file}"), role).run()
    assert not at.exception, at.exception
    shown = []
    for kind in MARKDOWN_ELEMENTS:
        for element in at.get(kind):
            value = getattr(element, "value", None) or getattr(element, "body", "")
            shown.append(str(value))
            assert unsafe(str(value)) == [], (kind, value)
    if file not in ("beheer.py", "importeren.py", "labelen.py"):
        assert any("Brand" in v for v in shown), "the incident name is shown somewhere"


def test_report_preview_shows_the_name_as_text(injected_store):
    at = as_role(app("pages/rapport.py"), "analist").run()
    at.button(key="rapport_generate").click().run()
    assert not at.exception, at.exception
    subheaders = [str(s.value) for s in at.subheader]
    assert any("Brand" in v for v in subheaders)  # the preview's title holds the incident name
    for kind in MARKDOWN_ELEMENTS:
        for element in at.get(kind):
            value = str(getattr(element, "value", None) or getattr(element, "body", ""))
            assert unsafe(value) == [], (kind, value)


def test_import_error_with_markdown_header_is_escaped(tmp_path):
    bad = "![hdr](//host/hdr.png);[x](javascript:1);<img src=x onerror=1>\n1;2;3\n"
    with pytest.raises(IngestError) as caught:
        read_messages(bad.encode(), filename="![f](//host/f.png).csv")
    shown = md_escape(caught.value)
    assert unsafe(shown) == []
    assert "hdr" in shown or "f.png" in shown or "kolom" in shown.lower()  # the message itself survives
