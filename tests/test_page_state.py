"""State that follows the user (issue 10 points 2 and 3), without a browser (AppTest).

Incident, window, filters and the picture time live in plain session state under fixed
keys (`pages._state.SHARED_KEYS`), are copied into each page's widgets, and are written
into the URL query (`?incident=…&venster=60&stand=14:15`). A page change must keep them —
also on the second and third change (the picture time used to drop to its first step).
"""

from __future__ import annotations

import pytest

from tests.conftest import app, as_role

PAGES = ["pages/trends.py", "pages/nu.py", "pages/overzicht.py", "pages/nabespreking.py",
         "pages/representativiteit.py", "pages/trends.py"]


def test_window_and_picture_time_survive_every_page_change(demo_home):
    at = as_role(app("dashboard.py"), "analist").run()
    assert not at.exception
    at.radio(key="lp_window_w").set_value("last_60").run()
    at.select_slider(key="lp_at_w").set_value("2026-07-11T12:15:00+00:00").run()  # 14:15 local
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, page
        assert at.radio(key="lp_window_w").value == "last_60", page
        assert at.select_slider(key="lp_at_w").value == "2026-07-11T12:15:00+00:00", page
        text = " ".join(w.value for w in at.warning)
        assert "U bekijkt het beeld van 11-07 14:15" in text, page  # the visible banner
        assert at.query_params["venster"] == "60" and at.query_params["stand"] == "14:15", page
    at.button(key="lp_back_to_now").click().run()
    assert at.select_slider(key="lp_at_w").value == "latest"
    assert not any("U bekijkt het beeld" in w.value for w in at.warning)
    assert "stand" not in at.query_params


def test_the_url_query_sets_incident_window_and_time(demo_home):
    at = as_role(app("dashboard.py"), "analist")
    at.query_params["venster"] = "180"
    at.query_params["stand"] = "16:00"
    at.run()
    assert not at.exception
    assert at.radio(key="lp_window_w").value == "last_180"
    assert at.select_slider(key="lp_at_w").value == "2026-07-11T14:00:00+00:00"
    assert "16:00" in " ".join(w.value for w in at.warning)


def test_readme_links_point_to_files_and_pages():
    """The README's own links work: files exist, and `/page?…` links name a registered page."""
    import re
    from pathlib import Path

    from pages._nav import PAGES as NAV

    repo = Path(__file__).resolve().parents[1]
    text = (repo / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)\)", text):
        if not target.startswith(("http://", "https://", "mailto:")):
            assert (repo / target).exists(), target
    slugs = {file.removesuffix(".py") for _sec, file, *_rest in NAV}
    for slug in re.findall(r"`/([a-z_]+)\?", text):
        assert slug in slugs, slug


@pytest.mark.parametrize("page", ["nu", "themas", "trends", "effect", "representativiteit", "open_vragen",
                                  "copi", "nabespreking", "rapport", "overzicht", "labelen", "importeren",
                                  "beheer"])
def test_every_page_works_with_a_platform_and_a_language_chosen(demo_home, page):
    """Choosing a platform and a language in the sidebar crashed every page ("output array is
    read-only": pandas 3's `to_numpy()` views were and-ed in place); the filters now narrow the view."""
    from pipeline import schema as S
    from pipeline.storage import store

    msgs = store.load_messages(store.get_engine(), 1)
    at = app(f"pages/{page}.py")
    at.session_state["lp_platforms"] = [str(msgs[S.PLATFORM].value_counts().index[0])]
    at.session_state["lp_languages"] = ["nl"]
    at = as_role(at, "beheerder" if page == "beheer" else "analist").run()
    assert not at.exception, at.exception
    chosen = [m.value for m in at.multiselect if m.label in ("Platforms", "Talen")]
    assert sorted(map(len, chosen)) == [1, 1], chosen  # the choice is there, not dropped


@pytest.mark.parametrize("page", ["nu", "themas", "trends", "effect", "representativiteit", "open_vragen",
                                  "copi", "nabespreking", "rapport", "overzicht", "labelen"])
def test_every_page_works_when_the_filters_leave_almost_nothing(demo_home, page):
    """The rarest platform with German leaves a handful of messages and no group of k authors: Open
    vragen (a row-wise apply on an empty frame) and Effect (float + str on an empty column) crashed."""
    from pipeline import schema as S
    from pipeline.storage import store

    msgs = store.load_messages(store.get_engine(), 1)
    at = app(f"pages/{page}.py")
    at.session_state["lp_platforms"] = [str(msgs[S.PLATFORM].value_counts().index[-1])]
    at.session_state["lp_languages"] = ["de"]
    at = as_role(at, "analist").run()
    assert not at.exception, at.exception
    if page == "open_vragen":
        said = " ".join(str(i.value) for i in at.info)
        assert "Geen vraaggroep met ten minste" in said or "Geen vragen gevonden" in said, said


def test_the_language_filter_names_the_languages(demo_home):
    """The Talen filter listed bare codes (ar, de, und); it names them, the code beside the name."""
    at = as_role(app("pages/nu.py"), "analist").run()
    options = next(m for m in at.multiselect if m.label == "Talen").options
    assert "Nederlands (nl)" in options and "Engels (en)" in options, options
    assert not [o for o in options if o in ("nl", "en", "de", "und")], options
