"""Nabespreking (AppTest): the slider replays what was known at T; the timeline exports."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.conftest import app, as_role


def metric(at, label: str) -> int:
    return int({m.label: m.value for m in at.metric}[label].replace(".", ""))


def test_runs_with_the_demo_fallback_note(demo_home):
    at = as_role(app("pages/nabespreking.py"), "analist").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Nabespreking"
    captions = " ".join(c.value for c in at.caption)
    assert "achteraf in één keer ingelezen" in captions  # the demo: posted ≤ T
    assert "het stille midden telt niet mee" in captions


def test_earlier_time_knows_less(demo_home):
    at = as_role(app("pages/nabespreking.py"), "analist").run()
    slider = at.select_slider(key="nab_time")
    steps = slider.options
    assert len(steps) > 50  # 5-minute steps over ~8 hours
    everything = metric(at, "Bekend op T")
    middle = steps[len(steps) // 3]
    slider.set_value(middle).run()
    assert not at.exception
    known = metric(at, "Bekend op T")
    assert 0 < known < everything
    # the header names T, the time of the figures (it named the sidebar's picture time before)
    t_local = pd.Timestamp(at.session_state["nab_time"]).tz_convert("Europe/Amsterdam")
    assert f"Stand {t_local:%d-%m %H:%M}" in at.caption[0].value, at.caption[0].value
    # equal to the number of demo messages posted by T (the fallback rule)
    from pipeline.storage import store

    msgs = store.load_messages(store.get_engine(), 1)
    t = pd.Timestamp(at.session_state["nab_time"])
    # the public's messages, as the caveat and Overzicht count them (official accounts are moments)
    assert known == int(((msgs["created_at"] <= t) & ~msgs["is_official"].astype(bool)).sum())
    assert known < int((msgs["created_at"] <= t).sum())  # the demo has official messages by then


def test_timeline_export(demo_home):
    at = as_role(app("pages/nabespreking.py"), "analist").run()
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Tijdlijn als CSV", "Tijdlijn als Markdown"]
    at.segmented_control(key="nab_freq").set_value("60min").run()
    assert not at.exception
    table = at.dataframe[-1].value
    # readable headers on screen (were the CSV's keys "themas", "categorieen")
    assert list(table.columns)[:6] == ["Van", "Tot", "Berichten", "Auteurs", "Thema's (≥ k auteurs)",
                                       "Categorieën"]
    assert 8 <= len(table) <= 10  # 13:00 .. 21:30 per hour


def test_side_tables_have_readable_headers(demo_home):
    """What we said and the CoPI advice up to T: headers in words (were "kanaal", "tekst",
    "created_at", "author", "text"), in the interface language."""
    from pipeline.storage import store
    from pipeline.views import timeline as T

    engine = store.get_engine()
    incident_id = int(store.list_incidents(engine).query("is_demo")["id"].iloc[0])
    T.save_advice(engine, incident_id, "Adviseer een NL-Alert over asbest", author="ana",
                  at=pd.Timestamp("2026-07-11 12:00", tz="UTC"))
    at = as_role(app("pages/nabespreking.py"), "analist").run()
    assert not at.exception, at.exception
    columns = [list(d.value.columns) for d in at.dataframe]
    assert ["Tijd", "Kanaal", "Tekst"] in columns, columns
    assert ["Tijd", "Door", "Advies"] in columns, columns
    assert not [c for cols in columns for c in cols if "_" in c or c.islower()], columns
    at.session_state["lp_lang"] = "en"
    at.run()
    columns = [list(d.value.columns) for d in at.dataframe]
    assert ["Time", "Channel", "Text"] in columns and ["Time", "By", "Advice"] in columns, columns


def test_copi_role_has_no_access(demo_home):
    at = as_role(app("pages/nabespreking.py"), "copi").run()
    assert at.error and "geen toegang" in at.error[0].value


def test_replay_time_follows_the_picture_time_chosen_elsewhere(demo_home):
    """Arriving with "Stand 16:00" chosen on another page, T is 16:00 (not the end of the incident)."""
    at = as_role(app("pages/nabespreking.py"), "analist").run()
    end = pd.Timestamp(at.session_state["nab_time"])  # no picture time chosen: the end of the incident
    at.session_state["lp_at"] = "2026-07-11T14:00:00+00:00"  # 16:00 in Amsterdam, chosen elsewhere
    at.run()
    assert not at.exception, at.exception
    chosen = pd.Timestamp(at.session_state["nab_time"])
    wanted = pd.Timestamp("2026-07-11 14:00", tz="UTC")
    assert wanted - pd.Timedelta(minutes=5) < chosen <= wanted < end  # the last 5-minute step at or before
    assert metric(at, "Bekend op T") < 7000
    later = (chosen + pd.Timedelta(minutes=30)).isoformat()
    at.select_slider(key="nab_time").set_value(later).run()
    assert at.session_state["nab_time"] == later  # the person moved T: it stays
    at.run()
    assert at.session_state["nab_time"] == later
    assert at.session_state["nab_kept"] == later  # kept apart: restored after a visit to another page
    at.session_state["lp_at"] = "latest"  # "Terug naar nu" elsewhere: T goes to the end again
    at.run()
    assert pd.Timestamp(at.session_state["nab_time"]) == end


def test_the_caveat_at_t_counts_what_the_picture_counts_whatever_the_filters(demo_home):
    """The caveat at T comes from the incident codes: the relevant public messages of the as-of frame
    in (T - 1 h, T], the "Relevant, laatste uur" and "Auteurs daarvan" of the replayed picture above
    it (before: every public message, 1.443 authors under a picture of 1.180 at 16:00)."""
    import re

    from pipeline import schema as S
    from pipeline.analysis.chain import analyze_incident, as_of
    from pipeline.storage import store
    from pipeline.views.aggregate import representativeness

    at = as_role(app("pages/nabespreking.py"), "analist")
    frame = analyze_incident(store.get_engine(), 1, persist_themes=False).frame
    at.session_state["lp_platforms"] = [str(frame[S.PLATFORM].iloc[0])]  # a filter elsewhere in the app
    at.run()
    slider = at.select_slider(key="nab_time")
    slider.set_value(slider.options[len(slider.options) // 2]).run()
    assert not at.exception, at.exception
    t = pd.Timestamp(at.session_state["nab_time"])
    known = as_of(frame, t, "created")
    hour = known[(known[S.CREATED_AT] > t - pd.Timedelta(hours=1)) & ~known[S.IS_OFFICIAL]
                 & known[S.RELEVANT].astype(bool)]
    expected = representativeness(hour, start=t - pd.Timedelta(hours=1), end=t)
    caveat = next(c.value for c in at.caption if "stille midden" in c.value)
    authors, messages = re.search(r"van ([\d.]+) unieke auteurs \(([\d.]+) berichten\)", caveat).groups()
    assert (int(authors.replace(".", "")), int(messages.replace(".", ""))) == \
        (expected["n_authors"], expected["n_messages"])
    assert expected["n_messages"] > 50
    assert (metric(at, "Auteurs daarvan"), metric(at, "Relevant, laatste uur")) == \
        (expected["n_authors"], expected["n_messages"])
    assert any("geldt hier niet" in c.value for c in at.caption)  # the page says the filter is ignored


def test_the_caveat_at_t_works_for_a_session_behind_the_codes(demo_home):
    """The incident's codes are shared: another session may have coded newer messages than this
    session's frame holds (its frame is a prefix of the codes). The caveat at T crashed then
    ("operands could not be broadcast … (7679,) (7676,)")."""
    import pages._panels as panels
    from pipeline.analysis.chain import analyze_incident, known_mask
    from pipeline.storage import store
    from pipeline.views.live import IncidentCodes

    frame = analyze_incident(store.get_engine(), 1, persist_themes=False).frame
    codes = IncidentCodes().sync(frame)
    behind = frame.iloc[:-3]  # this session's frame: the three newest messages not yet in it
    assert codes.sync(behind).n == len(frame)  # a prefix: the codes are kept
    t = frame["created_at"].iloc[-1]
    rows = codes.mask(upto=len(behind), public=True, relevant=True)
    got = panels._representativeness_known(codes, rows, t - pd.Timedelta(hours=1), t, t.isoformat(),
                                           "created", frame=behind)
    known = np.zeros(len(rows), dtype=bool)
    known[: len(behind)] = known_mask(behind, t, "created")
    assert got == codes.representativeness(rows & known, start=t - pd.Timedelta(hours=1), end=t)
