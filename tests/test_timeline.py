"""The after-action rules: what counts as known at T, the picture at T, the timeline export."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from pipeline import schema as S
from pipeline.views import timeline as T

UTC = "UTC"


def ts(hhmm: str, day: str = "2026-07-11") -> pd.Timestamp:
    return pd.Timestamp(f"{day} {hhmm}", tz=UTC)


def messages(rows: list[tuple[str, str]]) -> pd.DataFrame:
    """Frame of (created, ingested) times."""
    return pd.DataFrame({S.CREATED_AT: [ts(c) for c, _ in rows],
                         S.INGESTED_AT: [ts(i) for _, i in rows]})


# --- arrival rule -----------------------------------------------------------------------
def test_live_feed_uses_arrival_time():
    live = messages([("12:00", "12:01"),  # arrived a minute after posting
                     ("12:10", "12:12"),
                     ("12:20", "12:20")])
    assert T.arrival_basis(live) == T.INGESTED


def test_import_afterwards_falls_back_to_posting_time():
    imported = messages([("12:00", "23:00"),  # all read in at once, long after
                         ("12:10", "23:00"),
                         ("12:20", "23:00")])
    assert T.arrival_basis(imported) == T.CREATED


def test_mostly_late_is_not_live():
    mixed = messages([("12:00", "12:01")] + [("12:10", "18:00")] * 3)
    assert T.arrival_basis(mixed) == T.CREATED


def test_empty_frame_falls_back():
    assert T.arrival_basis(pd.DataFrame(columns=[S.CREATED_AT, S.INGESTED_AT])) == T.CREATED


def test_known_by_uses_the_basis():
    df = messages([("12:00", "12:30"),  # posted early, arrived late
                   ("12:20", "12:21")])
    assert len(T.known_by(df, ts("12:25"), T.INGESTED)) == 1  # only the second had arrived
    assert len(T.known_by(df, ts("12:25"), T.CREATED)) == 2  # both had been posted
    assert len(T.known_by(df, ts("12:30"), T.INGESTED)) == 2  # the boundary counts (≤ T)


def test_known_at_rejects_unknown_basis():
    with pytest.raises(ValueError):
        T.known_at(messages([("12:00", "12:00")]), "later")


def test_time_steps_cover_the_incident_in_five_minutes():
    df = messages([("12:03", "12:04"), ("12:41", "12:42")])
    steps = T.time_steps(df, T.INGESTED)
    assert steps[0] == ts("12:00") and steps[-1] == ts("12:45")
    assert all(b - a == pd.Timedelta(minutes=5) for a, b in zip(steps, steps[1:], strict=False))


# --- picture ------------------------------------------------------------------------------------
def analysed(rows: list[tuple[str, str, tuple, int, str, str]]) -> pd.DataFrame:
    """rows of (created, author, categories, theme, theme label, isb)."""
    return pd.DataFrame({
        S.CREATED_AT: [ts(r[0]) for r in rows], S.AUTHOR: [r[1] for r in rows],
        S.CATEGORIES: [r[2] for r in rows], S.THEME: [r[3] for r in rows],
        S.THEME_LABEL: [r[4] for r in rows], S.ISB: [r[5] for r in rows],
        S.IS_OFFICIAL: False, S.RELEVANT: True,
        S.TEXT: [f"geheime tekst {r[4]}" for r in rows],  # the label is a phrase the authors wrote
    })


def crowd(n: int, when: str, theme: int, label: str, code: str, prefix: str) -> list:
    block = S.CATEGORIES_BY_CODE[code].block
    return [(when, f"{prefix}{i}", (code,), theme, label, block) for i in range(n)]


def test_picture_shows_only_themes_with_k_authors():
    rows = (crowd(12, "12:50", 7, "asbest / dak", "gerucht", "a")  # 12 authors: shown
            + crowd(9, "12:50", 8, "klein / groepje", "gerucht", "b")  # 9 authors: hidden
            + [("12:51", "c", ("gerucht",), 9, "een / auteur", S.GERUCHTEN)] * 30)  # 1 author
    pic = T.picture(analysed(rows), pd.DataFrame(), ts("13:00"), min_authors=10)
    labels = pic.items["label"].tolist()
    assert labels == ["asbest / dak"]
    assert pic.items["count"].tolist() == [12]
    assert pic.items["trend"].tolist() == ["▲"]  # nothing the hour before: new
    assert "geheime tekst" not in repr(pic)


def test_picture_names_other_languages_with_k_authors():
    """English and German readers show on CoPI even when none of their themes is in a top three."""
    rows = (crowd(40, "12:50", 7, "rook", "vraag", "nl")
            + crowd(12, "12:40", 8, "smoke", "vraag", "en")  # 12 English authors: named
            + crowd(9, "12:40", 9, "rauch", "vraag", "de")  # 9 German authors: not named
            + [("12:45", "tr0", ("vraag",), 9, "duman", S.INFORMATIEBEHOEFTE)] * 15  # 1 author, 15 msgs
            + crowd(20, "11:30", 8, "smoke", "vraag", "old"))  # the hour before: 20 English authors
    frame = analysed(rows)
    lang = {"nl": "nl", "en": "en", "de": "de", "tr": "tr", "old": "en"}
    frame[S.LANGUAGE] = [lang[a.rstrip("0123456789")] for a in frame[S.AUTHOR]]
    und = analysed(crowd(11, "12:30", 10, "x", "vraag", "u")).assign(**{S.LANGUAGE: "und"})
    pic = T.picture(pd.concat([frame, und], ignore_index=True), pd.DataFrame(), ts("13:00"),
                    min_authors=10)
    assert pic.languages.to_dict("records") == [
        {"language": "en", "authors": 12, "count": 12, "before": 20, "trend": "↓"}]
    assert T.language_line(pic.languages, 10) == "Andere talen: Engels 12 auteurs ↓"
    assert T.language_line(pic.languages, 10, "en") == "Other languages: English 12 authors ↓"
    assert T.language_line(pic.languages.iloc[:0], 10) == "Geen andere taal dan Nederlands met ≥ 10 auteurs"
    # thousands read Dutch; a language without a name keeps its code; the trend is of authors
    many = pd.DataFrame([{"language": "so", "authors": 1234, "count": 2345, "before": 0, "trend": "▲"},
                         {"language": "de", "authors": 11, "count": 40, "before": 10, "trend": "→"}])
    assert T.language_line(many, 10) == "Andere talen: so 1.234 auteurs ▲ · Duits 11 auteurs →"


def test_block_falls_back_to_categories_without_a_theme():
    rows = crowd(10, "12:40", S.NO_THEME, "", "vraag", "q")
    items = T.block_items(analysed(rows), ts("13:00"), min_authors=10)
    assert items[["block", "kind", "label", "count"]].values.tolist() == [
        [S.INFORMATIEBEHOEFTE, "categorie", "Vraag", 10]]


def test_catch_all_theme_is_never_an_item():
    rows = crowd(20, "12:40", T.OTHER_THEME, "overig", "vraag", "q")
    items = T.block_items(analysed(rows), ts("13:00"), min_authors=10)
    assert "overig" not in items["label"].tolist()


@pytest.mark.parametrize(("now", "before", "arrow"), [
    (10, 0, "▲"), (15, 10, T.TREND_UP), (14, 10, T.TREND_FLAT), (10, 10, T.TREND_FLAT),
    (6, 10, T.TREND_DOWN), (7, 10, T.TREND_FLAT), (0, 3, ""), (0, 0, "")])
def test_trend_arrow(now, before, arrow):
    assert T.trend_arrow(now, before) == arrow


def test_effect_line_is_an_association_not_a_cause():
    rows = (crowd(30, "12:10", S.NO_THEME, "", "vraag", "v")  # before our message
            + crowd(12, "12:40", S.NO_THEME, "", "vraag", "w"))  # after it
    moments = pd.DataFrame({S.MOMENT_TIME: [ts("12:30"), ts("12:32")],  # tweet + Facebook
                            S.MOMENT_CHANNEL: ["tweet", "overig"], S.MOMENT_TEXT: ["x", "x"]})
    effect = T.last_moment_effect(analysed(rows), moments, ts("13:00"), min_authors=10)
    assert effect["time"] == ts("12:30") and effect["channel"] == "tweet"  # first of the cluster
    assert [p["code"] for p in effect["parts"]] == ["vraag"]
    line = T.effect_line(effect, "nl")
    assert "60 → 24 per uur" in line and "geen bewijs van effect" in line
    # the windows are named (the scan report compares 60 minutes around the same message)
    assert "(14:30, tweet; 30 min ervoor, 30 min erna)" in line
    cut = T.effect_line(T.last_moment_effect(analysed(rows), moments, ts("12:50"), min_authors=10), "nl")
    assert "30 min ervoor, 20 min erna" in cut
    assert "bewijs" not in T.effect_line(effect, "en") and "not proof" in T.effect_line(effect, "en")
    assert T.effect_line(None, "nl").startswith("Nog geen")


def test_effect_of_a_moment_long_ago_counts_only_its_two_windows():
    around = (crowd(30, "12:10", S.NO_THEME, "", "vraag", "v")  # the half hour before our message
              + crowd(12, "12:40", S.NO_THEME, "", "vraag", "w"))  # the half hour after it
    later = (crowd(25, "14:00", S.NO_THEME, "", "gerucht", "g")  # hours after: outside both windows
             + crowd(15, "17:55", 5, "stroom uitgevallen", "kritiek", "k"))
    moments = pd.DataFrame({S.MOMENT_TIME: [ts("12:30")], S.MOMENT_CHANNEL: ["tweet"],
                            S.MOMENT_TEXT: ["x"]})
    alone = T.last_moment_effect(analysed(around), moments, ts("18:00"), min_authors=10)
    pic = T.picture(analysed(around + later), moments, ts("18:00"), min_authors=10)
    assert pic.effect == alone
    assert [p["code"] for p in pic.effect["parts"]] == ["vraag"]  # never the later rumours
    assert pic.items["label"].tolist() == ["stroom uitgevallen"]  # the hour before 18:00 is shown


def test_effect_counts_distinct_authors_per_category_in_each_window():
    """The k rule of the effect line: distinct authors per category, before and after, as explode gives."""
    t = ts("12:30")
    frame = pd.DataFrame({
        S.CREATED_AT: [ts("12:00"), ts("12:10"), ts("12:10"), ts("12:30"), ts("12:31"), ts("12:50"),
                       ts("13:00"), ts("13:01"), ts("12:20")],
        S.CATEGORIES: [("vraag",), ("vraag", "kritiek"), ("vraag",), ("kritiek",), ("vraag",), (),
                       ("vraag", "vraag"), ("vraag",), ("emotie",)],
        S.AUTHOR: ["a", "a", "b", "c", "a", "d", "e", "f", None],
    })
    before, after = T._authors_before_after(frame, t, pd.Timedelta(minutes=30))
    # (12:00, 12:30]: 12:00 is outside; a twice and b ask, a criticises, c at 12:30 criticises;
    # the message without an author counts for nobody
    assert before == {"vraag": 2, "kritiek": 2}
    # (12:30, 13:00]: a asks, d has no category, e asks twice in one message; 13:01 is outside
    assert after == {"vraag": 2}


# --- timeline -------------------------------------------------------------------------------------
def test_timeline_counts_sum_to_the_public_messages_and_hide_small_groups():
    rows = (crowd(12, "12:05", 3, "ramen / dicht", "handelen", "a")
            + crowd(4, "12:40", 4, "klein", "handelen", "b"))
    frame = analysed(rows)
    moments = pd.DataFrame({S.MOMENT_TIME: [ts("12:20")], S.MOMENT_CHANNEL: ["tweet"],
                            S.MOMENT_TEXT: ["Houd ramen\nen deuren dicht"]})
    snaps = pd.DataFrame({"version": [1], "picture_at": [ts("12:30")], "created_at": [ts("12:33")],
                          "author": ["analist"], "released": [True], "advice": [""],
                          "window_minutes": [60]})
    advice = pd.DataFrame({"created_at": [ts("12:35")], "author": ["a"], "text": ["Blijf binnen"]})
    table = T.timeline_table(frame, moments, snaps, advice, until=ts("12:59"), freq="30min",
                             min_authors=10)
    assert table.columns.tolist() == T.TIMELINE_COLUMNS
    assert table["berichten"].sum() == len(frame)
    assert table["themas"].tolist() == ["ramen / dicht (12)", ""]  # 4 authors: not listed
    assert table["categorieen"].tolist() == ["Handelen 12", ""]
    assert table["communicatie"].tolist() == ["14:20 tweet: Houd ramen en deuren dicht", ""]
    assert "v1" in table["rapporten"].iloc[1] and "Blijf binnen" in table["advies"].iloc[1]
    assert "geheime tekst" not in table.to_csv()


def test_timeline_stops_at_until():
    frame = analysed(crowd(3, "12:05", 1, "x", "vraag", "a") + crowd(3, "14:05", 1, "x", "vraag", "b"))
    table = T.timeline_table(frame, None, None, None, until=ts("13:00"), freq="60min", min_authors=1)
    assert table["berichten"].tolist() == [3]  # (12:00, 13:00]: no empty "13:00–13:00" row any more


def test_timeline_is_the_same_for_a_frame_out_of_time_order():
    rows = (crowd(12, "12:05", 3, "ramen / dicht", "handelen", "a")
            + crowd(11, "13:10", 4, "rook", "vraag", "b") + crowd(3, "12:59", 5, "x", "vraag", "c"))
    frame = analysed(rows)
    ordered = T.timeline_table(frame, None, None, None, until=ts("14:00"), freq="30min", min_authors=10)
    shuffled = frame.sample(frac=1.0, random_state=3).reset_index(drop=True)
    assert not shuffled[S.CREATED_AT].is_monotonic_increasing
    again = T.timeline_table(shuffled, None, None, None, until=ts("14:00"), freq="30min", min_authors=10)
    pd.testing.assert_frame_equal(ordered, again)
    assert ordered["berichten"].tolist() == [12, 3, 11, 0]  # (12:00, 12:30], (12:30, 13:00] (12:59), …
    assert ordered["themas"].tolist()[2] == "rook (11)"


def _reference_cells(frame: pd.DataFrame, until: pd.Timestamp, freq: str, k: int,
                     top: int = 3) -> list[tuple]:
    """The timeline's counts as the plain definition says them: a filter and a groupby per bucket.

    A row "van–tot" holds what was posted in (van, tot], as Nu's and CoPI's windows do.
    """
    step = pd.Timedelta(T.FREQS[freq])
    public = frame[~frame[S.IS_OFFICIAL]].sort_values(S.CREATED_AT, kind="stable")
    out = []
    first = (public[S.CREATED_AT].min() - pd.Timedelta(microseconds=1)).floor(step)
    for lo in pd.date_range(first, until, freq=step, inclusive="left"):
        hi = min(lo + step, until)
        part = public[(public[S.CREATED_AT] > lo) & (public[S.CREATED_AT] <= hi)]
        themed = part[~part[S.THEME].isin([S.NO_THEME, 0]) & (part[S.THEME_LABEL] != "")]
        st = themed.groupby(S.THEME).agg(n=(S.AUTHOR, "size"), a=(S.AUTHOR, "nunique"),
                                         label=(S.THEME_LABEL, "first"))
        st = st[st["a"] >= k].reset_index().sort_values(["n", S.THEME], ascending=[False, True]).head(top)
        themes = "; ".join(f"{r.label} ({r.n})" for r in st.itertuples())
        long = part[[S.CATEGORIES, S.AUTHOR]].explode(S.CATEGORIES).dropna()
        long = long[long[S.CATEGORIES].isin([c.code for c in S.CATEGORY_LIST if c.block != S.OVERIG])]
        cs = long.groupby(S.CATEGORIES).agg(n=(S.AUTHOR, "size"), a=(S.AUTHOR, "nunique"))
        cs = cs[cs["a"] >= k].reset_index().sort_values(["n", S.CATEGORIES], ascending=[False, True])
        cats = "; ".join(f"{S.category_label(c, 'nl')} {n}" for c, n in zip(cs[S.CATEGORIES], cs["n"],
                                                                              strict=True))
        out.append((len(part), part[S.AUTHOR].nunique(), themes, cats))
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_timeline_counts_equal_the_plain_definition_on_random_incidents(seed):
    import numpy as np

    rng = np.random.default_rng(seed)
    n = 3000
    codes = [c.code for c in S.CATEGORY_LIST]
    minutes = rng.integers(0, 6 * 60, n)
    frame = pd.DataFrame({
        S.CREATED_AT: [ts("09:00") + pd.Timedelta(minutes=int(m), seconds=int(s))
                       for m, s in zip(minutes, rng.integers(0, 60, n), strict=True)],
        S.AUTHOR: [f"p{int(a)}" for a in rng.zipf(1.6, n) % 400],
        S.CATEGORIES: [tuple(sorted(set(rng.choice(codes, int(rng.integers(0, 3))).tolist())))
                       for _ in range(n)],
        S.THEME: rng.choice([S.NO_THEME, 0, 1, 2, 3, 4, 5], n),
        S.IS_OFFICIAL: rng.random(n) < 0.05,
    })
    frame[S.THEME_LABEL] = frame[S.THEME].map({1: "ramen dicht", 2: "stank", 3: "", 4: "rook", 5: "asbest"}
                                              ).fillna("")
    frame = frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)  # any row order
    until = ts("14:40")
    for freq, k in (("30min", 5), ("15min", 3), ("60min", 10)):
        table = T.timeline_table(frame, None, None, None, until=until, freq=freq, min_authors=k)
        got = list(zip(table["berichten"], table["auteurs"], table["themas"], table["categorieen"],
                       strict=True))
        assert got == _reference_cells(frame, until, freq, k), freq


def test_a_timeline_row_counts_what_nu_counts_for_the_same_half_hour():
    """A message posted at 15:30:00 UTC belongs to (15:00, 15:30], one at 16:00:00 to (15:30, 16:00],
    as on Nu (the table shows Amsterdam times: 17:30 and 18:00)."""
    frame = analysed(crowd(3, "15:30", 0, "x", "vraag", "a") + crowd(2, "15:45", 1, "x", "vraag", "b")
                     + crowd(1, "16:00", 0, "x", "vraag", "c"))
    table = T.timeline_table(frame, None, None, None, until=ts("16:00"), freq="30min", min_authors=1)
    assert table[["van", "tot", "berichten"]].values.tolist() == [
        ["11-07 17:00", "17:30", 3], ["11-07 17:30", "18:00", 3]]


def test_timeline_rejects_unknown_freq():
    with pytest.raises(ValueError):
        T.timeline_table(analysed([]), None, None, None, until=ts("13:00"), freq="7min")


def test_markdown_escapes_cells():
    table = pd.DataFrame([["11-07 14:00", "14:30", 5, 5, "[klik](http://x) | <b>", "", "", "", ""]],
                         columns=T.TIMELINE_COLUMNS)
    md = T.timeline_markdown(table, incident="Brand | test", until=ts("12:30"), basis=T.CREATED,
                             min_authors=10, caveat="Let op")
    row = md.strip().splitlines()[-1]
    assert row.count(" | ") == len(T.TIMELINE_COLUMNS) - 1  # the pipe in the cell is escaped
    assert "\\[klik\\]" in row and "<b>" not in row


@pytest.mark.parametrize(("basis", "rule"), [(T.CREATED, "geplaatst uiterlijk om 14:30"),
                                             (T.INGESTED, "binnengekomen uiterlijk om 14:30")])
def test_markdown_states_the_counting_rule_in_words(basis, rule):
    table = pd.DataFrame(columns=T.TIMELINE_COLUMNS)
    md = T.timeline_markdown(table, incident="Brand", until=ts("12:30"), basis=basis,
                             min_authors=10, caveat="Let op")
    assert f"berichten geteld als {rule}" in md  # 12:30 UTC is 14:30 in Amsterdam
    assert "CREATED_AT" not in md and "INGESTED_AT" not in md and "≤ T" not in md


# --- store: the view at T equals a fresh analysis of what had arrived by T -------------------------
def _live_incident(engine):
    from pipeline.ingest.load import ingest_frame
    from pipeline.storage import store

    store.create_incident(engine, name="Live", purpose="test", legal_basis="test",
                          responsible_officer="test", start_at=ts("10:00").to_pydatetime(),
                          keywords=["brand", "rook"])
    raw = pd.read_csv(T.__file__.rsplit("/pipeline/", 1)[0] + "/data/demo_incident.csv", sep=";",
                      nrows=900, dtype=str, encoding="utf-8-sig")
    first, second = raw.iloc[:500], raw.iloc[500:]
    ingest_frame(first, "Live", engine=engine)
    return raw, first, second


def test_view_at_t_equals_fresh_analysis_of_what_had_arrived(engine):
    import time

    from pipeline.analysis.chain import analyze, incident_params, region_category_model
    from pipeline.ingest.load import ingest_frame
    from pipeline.storage import store

    _raw, _first, second = _live_incident(engine)
    incident = store.get_incident(engine, "Live")
    time.sleep(0.05)
    cut = pd.Timestamp.now(tz=UTC)
    time.sleep(0.05)
    ingest_frame(second, "Live", engine=engine)  # arrives after the cut
    everything = store.load_messages(engine, incident["id"])
    arrived = everything[everything[S.INGESTED_AT] <= cut].reset_index(drop=True)
    assert 0 < len(arrived) < len(everything)

    result, basis = T.analysis_at(engine, incident["id"], cut, basis=T.INGESTED)
    assert basis == T.INGESTED
    fresh = analyze(arrived, incident_params(incident), category_model=region_category_model()).frame
    got = result.frame.reset_index(drop=True)
    assert got[S.MESSAGE_ID].tolist() == fresh[S.MESSAGE_ID].tolist()  # exactly what had arrived
    cols = [S.LANGUAGE, S.RELEVANT, S.CATEGORIES, S.ISB, S.SENTIMENT, S.TERMS]
    assert_frame_equal(got[cols], fresh[cols].reset_index(drop=True))
    # themes: the ids each message got on arrival (a filter on stored columns, never a refit)
    from pipeline.analysis.chain import analyze_incident

    now = analyze_incident(engine, incident["id"]).frame.set_index(S.MESSAGE_ID)[S.THEME]
    assert got[S.THEME].tolist() == now.loc[got[S.MESSAGE_ID]].tolist()
    same = analyze_incident(engine, incident["id"], arrived_by=cut).frame
    assert_frame_equal(got, same.reset_index(drop=True))


def test_view_at_t_by_posting_time_for_an_import(engine):
    from pipeline.analysis.chain import analyze, incident_params, region_category_model
    from pipeline.storage import store

    _live_incident(engine)
    incident = store.get_incident(engine, "Live")
    everything = store.load_messages(engine, incident["id"])
    assert T.arrival_basis(everything) == T.CREATED  # 2026 messages imported today
    cut = everything[S.CREATED_AT].iloc[len(everything) // 2]
    result, basis = T.analysis_at(engine, incident["id"], cut)
    assert basis == T.CREATED
    posted = everything[everything[S.CREATED_AT] <= cut].reset_index(drop=True)
    fresh = analyze(posted, incident_params(incident), category_model=region_category_model()).frame
    cols = [S.MESSAGE_ID, S.LANGUAGE, S.RELEVANT, S.CATEGORIES, S.ISB, S.SENTIMENT]
    assert_frame_equal(result.frame[cols].reset_index(drop=True), fresh[cols].reset_index(drop=True))


def test_advice_is_kept_with_history(engine):
    from pipeline.storage import store

    store.create_incident(engine, name="A", purpose="p", legal_basis="l", responsible_officer="o",
                          start_at=ts("10:00").to_pydatetime())
    incident_id = store.get_incident(engine, "A")["id"]
    assert T.latest_advice(engine, incident_id) == ""
    T.save_advice(engine, incident_id, "  Eerste  ", author="ana", at=ts("12:00"))
    T.save_advice(engine, incident_id, "Tweede", author="ana", at=ts("12:10"))
    assert T.latest_advice(engine, incident_id) == "Tweede"
    assert T.load_advice(engine, incident_id, until=ts("12:05"))["text"].tolist() == ["Eerste"]
    assert store.load_audit(engine)["action"].iloc[0] == "copi.advice"


def test_snapshots_up_to_t(engine):
    from sqlalchemy import insert

    from pipeline.storage import store

    store.create_incident(engine, name="S", purpose="p", legal_basis="l", responsible_officer="o",
                          start_at=ts("10:00").to_pydatetime())
    incident_id = store.get_incident(engine, "S")["id"]
    with engine.begin() as conn:
        for version, made in ((1, "12:00"), (2, "13:00")):
            conn.execute(insert(store.snapshots).values(
                incident_id=incident_id, version=version, picture_at=store.to_db_time(ts(made)),
                window_minutes=60, figures="{}", advice="", author="ana",
                created_at=store.to_db_time(ts(made)), released=True))
    assert T.load_snapshots(engine, incident_id, until=ts("12:30"))["version"].tolist() == [1]
    assert T.load_snapshots(engine, incident_id)["version"].tolist() == [1, 2]


@pytest.mark.parametrize(("lang", "shown"), [("en", "smoke at the campsite (English)"),
                                              ("nl", "smoke at the campsite (Engels)")])
def test_picture_shows_a_themes_language_in_the_interface_language(lang, shown):
    """The stored label keeps its Dutch suffix; CoPI, Nabespreking, Nu and the sidebar show it in `lang`."""
    rows = crowd(12, "12:50", 7, "smoke at the campsite (Engels)", "gerucht", "a")
    pic = T.picture(analysed(rows), pd.DataFrame(), ts("13:00"), min_authors=10, lang=lang)
    assert pic.items["label"].tolist() == [shown]
    assert pic.rising["label"].tolist() == [shown]
    assert pic.rising["reason"].iloc[0].startswith(shown + " (")
    rising = T.rising_themes(analysed(rows), ts("13:00"), min_authors=10, lang=lang)
    assert rising["label"].tolist() == [shown]
