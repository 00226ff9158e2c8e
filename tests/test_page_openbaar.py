"""Openbaar (`/openbaar`): the public page without sign-in, in AppTest and in a real browser.

The store has users (so the dashboard is in local sign-in mode: every other page refuses
without sign-in), the demo incident closed, and a public summary approved by a second person.
Set LP_SCREENSHOTS=docs/screenshots to keep the screenshot.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest

from pipeline import schema as S
from pipeline.governance import publish
from pipeline.governance.release import release_snapshot
from pipeline.storage import store
from tests.browser import axe_violations, chromium, dutch_format_leaks, needs_chromium, streamlit_server
from tests.conftest import app

REPO = Path(__file__).resolve().parents[1]
LEARNED = "Veel vragen over ramen dicht kwamen pas laat bij ons binnen; de rook trok anders dan gedacht."
CHANGED = "Wij zetten sindsdien na elke NL-Alert meteen een vraag-en-antwoord online."
PASSWORD = "een-lang-wachtwoord-1"


@pytest.fixture(scope="module")
def public_home(tmp_path_factory):
    """A store in local sign-in mode with the closed demo incident and a published summary."""
    from pipeline.governance import auth
    from pipeline.governance import policy as G
    from pipeline.ingest.demo import load_demo
    from pipeline.views import report as R

    mp = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("openbaar_page")
    mp.setenv("LUISTERPOST_HOME", str(home))
    mp.setenv("LUISTERPOST_AUTH", "local")
    mp.setenv("LUISTERPOST_CONTACT", "Team Crisiscommunicatie, info@vr-voorbeeld.nl, 088 123 45 67")
    mp.delenv("LUISTERPOST_DB_URL", raising=False)
    mp.delenv("LUISTERPOST_KEY_FILE", raising=False)
    store.dispose_engines()
    engine = store.get_engine()
    iid = load_demo(engine)
    for name, role in (("bea", "beheerder"), ("anna", "analist")):
        auth.create_user(engine, name, role, PASSWORD, actor="test")
    bea, anna = ({**auth.get_user(engine, n), "auth": "local"} for n in ("bea", "anna"))
    frame, _ = R.picture(engine, iid)
    rep = R.build_report(frame, store.load_moments(engine, iid), store.get_incident(engine, iid),
                         at=pd.Timestamp("2026-07-11 16:00", tz="Europe/Amsterdam"), window=60)
    version = R.save_snapshot(engine, iid, rep, "anna")
    obj = R.snapshot_object(iid, version)
    approval = G.request_approval(engine, anna, R.RELEASE_ACTION, obj, "naar de CoPI", iid)
    G.decide(engine, approval, bea, True)
    release_snapshot(engine, anna, iid, version)
    store.close_incident(engine, iid, actor="bea", at=pd.Timestamp("2026-07-12 02:00", tz="Europe/Amsterdam"))
    publish.decide_summary(engine, anna, publish.write_summary(engine, bea, iid, LEARNED, CHANGED), True)
    yield {"home": home, "engine": engine, "iid": iid, "report": rep}
    store.dispose_engines()
    mp.undo()


def _all_text(at) -> str:
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "warning", "error"):
        parts += [str(e.value) for e in getattr(at, kind)]
    for df in at.dataframe:
        parts.append(df.value.to_string())
    parts += [str(b.label) for b in at.get("download_button")]
    return "\n".join(parts).replace("\\", "")  # markdown escapes of user strings


def test_public_page_needs_no_sign_in_and_shows_the_facts(public_home):
    at = app("pages/openbaar.py").run()  # no lp_user in the session, users exist: local mode
    assert not at.exception, at.exception
    assert at.title[0].value == "Sociale media bij incidenten: wat wij volgen en waarom"
    assert "lp_user" not in at.session_state
    text = _all_text(at)
    inc = store.get_incident(public_home["engine"], public_home["iid"])
    for value in (inc["name"], inc["legal_basis"], inc["responsible_officer"], LEARNED, CHANGED,
                  "het stille midden telt niet mee", "Team Crisiscommunicatie", "Facebook",
                  "90 dagen na het einde van het incident", "Achteraf: door deze tool konden we"):
        assert value in text, value
    assert "Inloggen" not in text and not at.error
    buttons = at.get("download_button")
    assert [b.label for b in buttons] == [
        "Scanrapport versie 1: beeld van 11-07-2026 16:00 (laatste 60 minuten) (HTML)"]
    assert "Onderwerpen (minstens 10 verschillende accounts)" in text
    assert "11-07-2026 13:10 tot 12-07-2026 02:00" in text  # the period, 24-hour local time
    assert "nee; de termijn liep af op 10-10-2026" in text  # 90 days after closing, not yet purged


def test_public_page_shows_nothing_message_level(public_home):
    from pipeline.ingest.demo import DEMO_CSV

    at = app("pages/openbaar.py").run()
    text = _all_text(at)
    stored = store.load_messages(public_home["engine"], public_home["iid"])
    public = stored[~stored[S.IS_OFFICIAL]]
    raw = pd.read_csv(DEMO_CSV, sep=";", encoding="utf-8-sig", dtype=str)
    texts = [t for t in public[S.TEXT].tolist() + raw["Bericht"].tolist() if len(str(t)) >= 25]
    assert not [t for t in texts if t in text]
    assert not [p for p in set(public[S.AUTHOR]) if p in text]
    handles = set(re.findall(r"@\w{3,}", " ".join(raw["Bericht"].dropna())))
    handles |= {a for a in raw.loc[raw["Auteur"].notna(), "Auteur"] if len(a) >= 5
                and a not in str(store.get_incident(public_home["engine"], public_home["iid"]))}
    assert not [h for h in handles if re.search(rf"(?<!\w){re.escape(h)}(?!\w)", text)]
    rep = public_home["report"]  # released at k=5: labels of 5-9 accounts must stay internal
    groups = [rep["informatiebehoefte"]["questions"], rep["schadebeperking"]["health_themes"],
              rep["schadebeperking"]["behaviour_themes"], rep["betekenisgeving"]["criticism_themes"],
              rep["geruchten"]["themes"]]
    low = {r["label"] for rows in groups for r in rows if r["authors"] < 10}
    high = {r["label"] for rows in groups for r in rows if r["authors"] >= 10}
    assert low and high
    assert not [label for label in low - high if label in text]
    # Row level (the same label can be a theme with >= 10 authors in another table): no table row on
    # the page shows a label next to a count below 10.
    for df in at.dataframe:
        for row in df.value.astype(str).itertuples(index=False):
            if set(row) & (low | high):
                numbers = [int(v.replace(".", "")) for v in row if v.replace(".", "").isdigit()]
                assert numbers and min(numbers) >= 10, row
    assert [label for label in high if label in text]  # the public ones are there


def test_public_page_in_english(public_home):
    at = app("pages/openbaar.py")
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Social media during incidents: what we monitor and why"
    assert "the silent majority is not counted" in _all_text(at)


def test_public_page_never_reads_session_state(public_home):
    import ast

    tree = ast.parse((REPO / "pages" / "openbaar.py").read_text(encoding="utf-8"))
    names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    names |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
    assert not names & {"session_state", "current_user", "page_context", "check_page", "lp_user"}
    # Whatever the session holds (here a broken sign-in), the page is the same.
    at = app("pages/openbaar.py")
    at.session_state["lp_user"] = {"username": "x", "role": "onbekend", "active": False}
    at.session_state["lp_lang"] = "en"
    at.run()
    assert not at.exception and not at.error
    assert at.title[0].value.startswith("Sociale media bij incidenten")


def test_dashboard_still_refuses_other_pages_without_sign_in(public_home):
    at = app("dashboard.py").run()
    assert not at.exception
    assert at.title[0].value.startswith("Inloggen")


# --- in a real browser -----------------------------------------------------------------------------
@pytest.mark.browser
@needs_chromium
def test_openbaar_in_the_browser_and_static_site_pass_axe(public_home, tmp_path):
    site = tmp_path / "site"
    publish.write_site(publish.public_facts(public_home["engine"]), site)
    with streamlit_server(public_home["home"], LUISTERPOST_AUTH="local",
                          LUISTERPOST_CONTACT=os.environ["LUISTERPOST_CONTACT"]) as url, chromium() as b:
        page = b.new_page(viewport={"width": 1200, "height": 900})
        page.goto(f"{url}/openbaar", timeout=120_000)
        page.get_by_text("Achteraf: door deze tool konden we", exact=False).first.wait_for(timeout=120_000)
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                               timeout=60_000)
        page.wait_for_timeout(1000)
        body = page.inner_text("body")
        assert "Sociale media bij incidenten" in body and LEARNED in body
        assert "Inloggen bij Luisterpost" not in body
        assert page.locator('[data-testid="stException"]').count() == 0
        # Dutch formats everywhere, also inside the released report's expander: 24-hour "14:00",
        # "1.321", no "14.00", "1.5", "02 PM" or "Jul 11" (the explanation said "14.00 en 15.00 uur")
        for summary in page.locator('[data-testid="stExpander"] summary').all():
            summary.click()
        page.wait_for_timeout(1000)
        body = page.inner_text("body")
        assert "1.180 verschillende accounts" in body  # the released report's digest is open
        texts = [body, *page.locator("svg text").all_text_contents()]
        assert dutch_format_leaks(texts) == [], dutch_format_leaks(texts)
        violations = axe_violations(page)
        assert violations == [], violations
        shots = Path(os.environ.get("LP_SCREENSHOTS", tmp_path))
        shots.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1200, "height": 2300})  # down to "Achteraf" and the reports
        page.wait_for_timeout(1000)
        page.screenshot(path=str(shots / "openbaar.png"))
        assert (shots / "openbaar.png").stat().st_size > 20_000
        other = b.new_page()
        other.goto(f"{url}/nu", timeout=120_000)
        other.get_by_text("Inloggen bij Luisterpost", exact=False).first.wait_for(timeout=120_000)
        assert "Sociale media bij incidenten" not in other.inner_text("body")
        for path in (site / "index.html", site / "en" / "index.html"):
            static = b.new_page()
            requests: list[str] = []
            static.on("request", lambda r, seen=requests: seen.append(r.url))
            static.goto(path.as_uri())
            assert static.locator("h1").count() == 1
            assert axe_violations(static) == []
            assert all(r.startswith("file://") for r in requests), requests
            report = static.locator("a[href^='rapporten/']").first
            report.click()  # the released report's public page: no JavaScript needed to get there
            static.wait_for_load_state()
            assert "rapporten/incident-" in static.url and axe_violations(static) == []


def test_beheer_writes_and_a_second_beheerder_approves_the_summary(public_home):
    from pipeline.governance import auth

    engine = public_home["engine"]
    if auth.get_user(engine, "bob") is None:
        auth.create_user(engine, "bob", "beheerder", PASSWORD, actor="test")
    bea, bob = ({**auth.get_user(engine, n), "auth": "local"} for n in ("bea", "bob"))
    at = app("pages/beheer.py")
    at.session_state["lp_user"] = bea
    at.run()
    at.segmented_control(key="beheer_section").set_value("public").run()
    at.text_area(key="beheer_sum_learned").input("Tweede les: het informatienummer was snel overbelast.")
    next(b for b in at.button if b.label == "Ter goedkeuring aanbieden").click()
    at.run()
    assert not at.exception and not at.error
    pending = publish.list_summaries(engine, status="pending")
    assert pending["learned"].tolist() == ["Tweede les: het informatienummer was snel overbelast."]
    # the summaries tables in words (were "incident_id", "decided_by", "learned")
    headers = [list(d.value.columns) for d in at.dataframe]
    assert any("Geleerd" in h and "Besloten door" in h for h in headers), headers
    assert not any("learned" in h or "incident_id" in h for h in headers), headers
    at.button(key="beheer_sum_approve").click().run()  # bea approves her own: refused
    assert any("self-approval" in e.value.replace("\\", "") for e in at.error)  # shown escaped
    assert len(publish.list_summaries(engine, status="pending")) == 1
    other = app("pages/beheer.py")
    other.session_state["lp_user"] = bob
    other.run()
    other.segmented_control(key="beheer_section").set_value("public").run()
    other.button(key="beheer_sum_approve").click().run()
    assert not other.exception and not other.error
    assert publish.published_summary(engine, public_home["iid"])["learned"].startswith("Tweede les")
