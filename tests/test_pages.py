"""Every page runs on its own (AppTest) on the demo incident and shows data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import app, as_role

REPO = Path(__file__).resolve().parents[1]
PAGES = sorted(p.name for p in (REPO / "pages").glob("*.py") if not p.name.startswith("_"))


def _app(path: str):
    return app(path)


def test_dashboard_entry_runs(demo_home):
    at = _app("dashboard.py").run()
    assert not at.exception
    assert at.title and at.title[0].value == "Nu"  # the default page


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_its_own(demo_home, page):
    role = "beheerder" if page == "beheer.py" else "analist"
    at = as_role(_app(f"pages/{page}"), role).run()
    assert not at.exception, at.exception
    assert at.title, "page shows a title"
    captions = " ".join(c.value for c in at.caption)
    assert "Brand" in captions  # the incident name in the header
    assert "het stille midden telt niet mee" in captions or page in {"importeren.py", "beheer.py"}


def test_overview_shows_demo_figures(demo_home):
    at = _app("pages/overzicht.py").run()
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Berichten"].replace(".", "")) > 4000
    assert int(metrics["Unieke auteurs"].replace(".", "")) > 1000


def test_overview_and_representativeness_name_languages_alike(demo_home):
    """Overzicht listed bare codes ("nl", "und") where Representativiteit said "Nederlands", "onbekend"
    and the sidebar "Nederlands (nl)": one name for one language, as in the sidebar."""
    overview = _app("pages/overzicht.py").run().dataframe[-1].value
    langs = overview["Talen"].tolist()
    assert "Nederlands (nl)" in langs and "niet herkend (und)" in langs, langs
    rep = _app("pages/representativiteit.py").run()
    rep_langs = next(d.value for d in rep.dataframe if "Taal" in d.value.columns)["Taal"].tolist()
    assert set(rep_langs) == set(langs), (rep_langs, langs)


def test_english_switch(demo_home):
    at = _app("pages/overzicht.py")
    at.session_state["lp_lang"] = "en"
    at.run()
    assert at.title[0].value == "Overview"
    assert "Messages" in {m.label for m in at.metric}


def test_window_filter_reduces_counts(demo_home):
    at = _app("pages/overzicht.py").run()
    whole = int(at.metric[0].value.replace(".", ""))
    at.radio(key="lp_window_w").set_value("last_60").run()
    last_hour = int(at.metric[0].value.replace(".", ""))
    assert 0 < last_hour < whole


def test_no_personal_data_rendered(demo_home):
    at = _app("pages/overzicht.py").run()
    rendered = " ".join(str(e.value) for e in at.main if hasattr(e, "value"))
    assert not re.search(r"@\w{3,}", rendered)
    assert not re.search(r"https?://", rendered)


def test_picture_time_slider_shows_the_incident_as_of_then(demo_home):
    at = as_role(_app("pages/overzicht.py"), "analist").run()
    whole = int(at.metric[0].value.replace(".", ""))
    options = at.select_slider(key="lp_at_w").options  # formatted labels
    assert options[-1] == "nu (laatste bericht)" and options[0] == "13:15"
    at.select_slider(key="lp_at_w").set_value("2026-07-11T12:15:00+00:00").run()  # 14:15 local
    earlier = int(at.metric[0].value.replace(".", ""))
    assert 0 < earlier < whole
    assert "Stand 11-07 14:15" in " ".join(c.value for c in at.caption)


def test_stand_in_the_url_sets_the_picture_time(demo_home):
    at = as_role(_app("pages/overzicht.py"), "analist")
    at.query_params["stand"] = "14:20"  # rounds down to the 14:15 step
    at.run()
    assert "Stand 11-07 14:15" in " ".join(c.value for c in at.caption)


def test_overview_writes_the_bucket_size_as_15_min(demo_home):
    """'per 15 min' and 'Berichten / 15 min' as elsewhere, not pandas' '15min'."""
    import json

    at = _app("pages/overzicht.py").run()
    assert not at.exception
    sentence = next(e.value for e in at.text if str(e.value).startswith("Piek om"))
    assert re.search(r"berichten per 15 min; totaal", sentence), sentence
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert json.dumps(spec, ensure_ascii=False).count('"Berichten / 15 min"') == 1
    shown = " ".join(str(e.value) for e in at.text) + json.dumps(spec)
    assert not re.search(r"\d+min\b", shown)
