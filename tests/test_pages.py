"""Every page runs on its own (AppTest) on the demo incident and shows data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGES = sorted(p.name for p in (REPO / "pages").glob("*.py") if not p.name.startswith("_"))


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory):
    """One store with the demo incident loaded, shared by the page tests of this module."""
    import os

    from pipeline import store
    from pipeline.demo import load_demo

    home = tmp_path_factory.mktemp("pages")
    old = {k: os.environ.get(k) for k in ("LUISTERPOST_HOME", "LUISTERPOST_DB_URL")}
    os.environ["LUISTERPOST_HOME"] = str(home)
    os.environ.pop("LUISTERPOST_DB_URL", None)
    store.dispose_engines()
    load_demo(store.get_engine())
    yield home
    store.dispose_engines()
    for key, value in old.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def _app(path: str):
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(REPO / path), default_timeout=120)


def test_dashboard_entry_runs(demo_home):
    at = _app("dashboard.py").run()
    assert not at.exception
    assert at.title and at.title[0].value == "Nu"  # the default page


def as_role(at, role: str):
    """Sign the AppTest session in as the demo user with `role`."""
    at.session_state["lp_user"] = {"username": "demo", "display_name": "Demo", "role": role,
                                   "active": True, "auth": "demo"}
    return at


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_its_own(demo_home, page):
    role = "beheerder" if page == "beheer.py" else "analist"
    at = as_role(_app(f"pages/{page}"), role).run()
    assert not at.exception, at.exception
    assert at.title, "page shows a title"
    captions = " ".join(c.value for c in at.caption)
    assert "Brand" in captions  # the incident name in the header
    assert "het stille midden telt niet mee" in captions or page == "importeren.py"


def test_overview_shows_demo_figures(demo_home):
    at = _app("pages/overzicht.py").run()
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Berichten"].replace(".", "")) > 4000
    assert int(metrics["Unieke auteurs"].replace(".", "")) > 1000


def test_english_switch(demo_home):
    at = _app("pages/overzicht.py")
    at.session_state["lp_lang"] = "en"
    at.run()
    assert at.title[0].value == "Overview"
    assert "Messages" in {m.label for m in at.metric}


def test_window_filter_reduces_counts(demo_home):
    at = _app("pages/overzicht.py").run()
    whole = int(at.metric[0].value.replace(".", ""))
    at.radio(key="lp_window").set_value("last_60").run()
    last_hour = int(at.metric[0].value.replace(".", ""))
    assert 0 < last_hour < whole


def test_no_personal_data_rendered(demo_home):
    at = _app("pages/overzicht.py").run()
    rendered = " ".join(str(e.value) for e in at.main if hasattr(e, "value"))
    assert not re.search(r"@\w{3,}", rendered)
    assert not re.search(r"https?://", rendered)
