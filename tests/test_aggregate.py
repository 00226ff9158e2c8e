"""Tests for pipeline.views.aggregate: exact values on small inline frames plus invariants."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from pipeline.schema import (
    AUTHOR,
    CATEGORIES,
    CLEAN_TEXT,
    CREATED_AT,
    IS_OFFICIAL,
    IS_REPOST,
    LANGUAGE,
    NO_THEME,
    PLATFORM,
    RELEVANT,
    TEXT,
    THEME,
    THEME_LABEL,
)
from pipeline.views.aggregate import (
    COMMON_PLATFORMS,
    counts_over_time,
    representativeness,
    rising,
    scan_bullets,
    shares,
    theme_part,
    window_compare,
)

T0 = pd.Timestamp("2026-05-01 10:00", tz="UTC")


def frame(rows: list[dict]) -> pd.DataFrame:
    """Build a message frame with defaults for unspecified columns."""
    base = {
        AUTHOR: "a", TEXT: "x", CLEAN_TEXT: "x", LANGUAGE: "nl", PLATFORM: "twitter",
        CATEGORIES: (), THEME: 1, THEME_LABEL: "stank / misselijk", RELEVANT: True,
        IS_OFFICIAL: False, IS_REPOST: False,
    }  # fmt: skip
    out = pd.DataFrame([base | r for r in rows])
    out[CREATED_AT] = pd.to_datetime(out[CREATED_AT], utc=True)
    return out


def at(minutes: float) -> pd.Timestamp:
    """Return T0 + minutes."""
    return T0 + pd.Timedelta(minutes=minutes)


SMALL = frame(
    [
        {CREATED_AT: at(1), LANGUAGE: "nl", CATEGORIES: ("vraag",), THEME: 1},
        {CREATED_AT: at(14.99), LANGUAGE: "nl", CATEGORIES: ("vraag", "gezondheid"), THEME: 1},
        {CREATED_AT: at(15), LANGUAGE: "en", CATEGORIES: ("gezondheid",), THEME: 2},  # edge
        # gap 15:00 -> 46:00; bucket 10:30 stays empty
        {CREATED_AT: at(46), LANGUAGE: "nl", CATEGORIES: (), THEME: -1},  # no category
    ]
)


def test_counts_over_time_exact_with_zero_buckets_and_exploded_categories():
    out = counts_over_time(SMALL, CATEGORIES, freq="15min")
    assert out.columns.tolist() == ["bucket", "group", "count"]
    expected = pd.DataFrame(
        {
            "bucket": pd.to_datetime([T0, T0, at(15), at(15), at(30), at(30), at(45), at(45)]),
            "group": ["gezondheid", "vraag"] * 4,
            "count": np.array([1, 2, 1, 0, 0, 0, 0, 0], dtype="int64"),
        }
    )
    expected["group"] = expected["group"].astype(out["group"].dtype)
    pd.testing.assert_frame_equal(out, expected)


@pytest.mark.parametrize("by", [None, LANGUAGE, THEME, PLATFORM])
def test_counts_over_time_single_label_sums_to_messages(by):
    out = counts_over_time(SMALL, by, freq="5min")
    assert out["count"].sum() == len(SMALL)
    # every group has every bucket
    sizes = out.groupby("group").size()
    assert (sizes == sizes.iloc[0]).all()


def test_counts_over_time_start_end_window_and_alignment():
    out = counts_over_time(SMALL, None, freq="15min", start=at(-30), end=at(30))
    # buckets 09:30, 09:45, 10:00, 10:15 ([start, end)); message at 10:46 falls outside
    assert out["bucket"].tolist() == [at(-30), at(-15), at(0), at(15)]
    assert out["group"].tolist() == ["alle"] * 4
    assert out["count"].tolist() == [0, 0, 2, 1]


def test_counts_over_time_empty_frame():
    out = counts_over_time(SMALL.iloc[:0], THEME)
    assert out.empty and out.columns.tolist() == ["bucket", "group", "count"]


def test_shares_multilabel_and_single():
    out = shares(SMALL, CATEGORIES)
    assert out.to_dict("list") == {
        "group": ["gezondheid", "vraag"], "count": [2, 2], "share": [0.5, 0.5],
    }  # fmt: skip
    lang = shares(SMALL, LANGUAGE)
    assert lang["group"].tolist() == ["nl", "en"]
    assert lang["share"].sum() == pytest.approx(1.0)
    assert shares(SMALL.iloc[:0], LANGUAGE).columns.tolist() == ["group", "count", "share"]


def rising_frame() -> pd.DataFrame:
    """Theme 1: 42 in last 30 min, 17 in the hour before; theme 2: 12 new; theme 3: flat."""
    rows = []
    for i in range(42):  # recent window (10:30, 11:00]
        rows.append({CREATED_AT: at(31 + i * 0.5), THEME: 1, AUTHOR: f"a{i}"})
    for i in range(17):  # baseline (09:30, 10:30]
        rows.append({CREATED_AT: at(-29 + i * 3), THEME: 1, AUTHOR: f"b{i}"})
    for i in range(12):  # new theme, nothing before
        rows.append({CREATED_AT: at(40 + i), THEME: 2, THEME_LABEL: "asbest / dak",
                     AUTHOR: f"c{i}"})  # fmt: skip
    for i in range(10):  # recent 10 vs baseline 20: same rate -> not rising
        rows.append({CREATED_AT: at(35 + i), THEME: 3, THEME_LABEL: "verkeer"})
    for i in range(20):
        rows.append({CREATED_AT: at(-25 + i * 2), THEME: 3, THEME_LABEL: "verkeer"})
    rows.append({CREATED_AT: at(60), THEME: -1, THEME_LABEL: ""})  # now, not a theme
    rows.append({CREATED_AT: at(-31), THEME: 1})  # before the baseline: ignored
    return frame(rows)


def test_window_compare_rates_and_ratio():
    out = window_compare(rising_frame(), THEME, now=at(60))
    row = out.set_index("group").loc[1]
    assert (row["recent"], row["baseline"]) == (42, 17)
    assert row["recent_rate"] == 84.0 and row["baseline_rate"] == 17.0
    assert row["ratio"] == pytest.approx(84 / 17)
    assert out.set_index("group").loc[2, "ratio"] == np.inf
    assert out.set_index("group").loc[3, "ratio"] == pytest.approx(1.0)
    nothing = window_compare(rising_frame(), THEME, now=at(600))  # no messages in either period
    assert nothing.empty and nothing.columns.tolist()[-1] == "ratio"


def test_rising_reasons_nl_and_en():
    df = rising_frame()
    out = rising(df, now=at(60))
    assert out["group"].tolist() == [2, 1]
    assert out["reason"].tolist() == [
        "asbest / dak (nieuw): 12 berichten in 30 min, niets in het uur ervoor",
        "stank / misselijk: 42 berichten in 30 min, 5× het uur ervoor",
    ]
    en = rising(df, now=at(60), lang="en", labels={1: "smell"})
    assert en["reason"].tolist() == [
        "asbest / dak (new): 12 messages in 30 min, none in the hour before",
        "smell: 42 messages in 30 min, 5× the hour before",
    ]
    assert rising(df, now=at(60), min_count=13)["group"].tolist() == [1]
    assert rising(df.iloc[:0], now=at(60)).columns.tolist() == [
        "group", "label", "recent", "baseline", "ratio", "reason",
    ]  # fmt: skip


def bullets_frame() -> pd.DataFrame:
    """30 health complaints (8 in English, 6 authors), 4 rumours from 4 authors (hidden)."""
    rows = []
    for i in range(22):  # health, Dutch, theme 1, 22 authors
        rows.append({CREATED_AT: at(50), AUTHOR: f"nl{i}", CATEGORIES: ("gezondheid",)})
    for i in range(8):  # health, English, 6 distinct authors
        rows.append({CREATED_AT: at(55), AUTHOR: f"en{i % 6}", LANGUAGE: "en",
                     CATEGORIES: ("gezondheid",), THEME: 2, THEME_LABEL: "smell / camping"})  # fmt: skip
    for i in range(4):  # rumour from only 4 authors: below min_authors, never shown
        rows.append({CREATED_AT: at(50), AUTHOR: f"r{i}", CATEGORIES: ("gerucht",)})
    rows.append({CREATED_AT: at(-120), AUTHOR: "old", CATEGORIES: ("vraag",)})  # outside window
    rows.append({CREATED_AT: at(50), AUTHOR: "gemeente", IS_OFFICIAL: True,
                 CATEGORIES: ("officieel",)})  # official: ignored  # fmt: skip
    return frame(rows)


def test_scan_bullets_exact():
    out = scan_bullets(bullets_frame(), now=at(60), window=timedelta(minutes=30))
    assert out == [
        "Diverse mensen melden gezondheidsklachten (28 auteurs, 30 berichten), vooral over: "
        "stank / misselijk; smell / camping; enkele in het Engels"
    ]
    en = scan_bullets(bullets_frame(), now=at(60), window=timedelta(minutes=30), lang="en")
    assert en == ["Several people report health complaints (28 authors, 30 messages), mostly about: "
                  "stank / misselijk; smell / camping; a few in English"]
    assert scan_bullets(bullets_frame(), now=at(60), min_authors=3)[1] == (
        "Enkele mensen delen geruchten (4 auteurs, 4 berichten), vooral over: stank / misselijk"
    )
    assert scan_bullets(bullets_frame().iloc[:0], now=at(60)) == []


def test_a_question_line_without_a_shared_subject_still_reads_as_a_sentence():
    # 6 authors ask, each about something else: no question or theme has k authors
    texts = ["Waar is de opvang?", "Mag de hond naar buiten?", "Is school dicht?",
             "Wie betaalt de schade?", "Rijdt de bus nog?", "Hoe laat is het nieuws?"]
    df = frame([{CREATED_AT: at(50), AUTHOR: f"q{i}", CATEGORIES: ("vraag",), TEXT: text,
                 CLEAN_TEXT: text.lower(), THEME: NO_THEME, THEME_LABEL: ""} for i, text in enumerate(texts)])
    # before: "Enkele mensen vragen (6 auteurs, 6 berichten)", a sentence without an object
    assert scan_bullets(df, now=at(60)) == [
        "Enkele mensen stellen vragen (6 auteurs, 6 berichten) over uiteenlopende onderwerpen"]
    assert scan_bullets(df, now=at(60), lang="en") == [
        "A few people ask questions (6 authors, 6 messages) on various subjects"]


def test_scan_bullets_never_quote_text():
    df = bullets_frame().assign(**{TEXT: "GEHEIM BERICHT", CLEAN_TEXT: "geheim bericht"})
    assert not any("geheim" in b.lower() for b in scan_bullets(df, now=at(60)))


def repr_frame() -> pd.DataFrame:
    """Burst of 5 near-identical texts by 5 authors, a repost, a one-author duplicate, a gap."""
    rows = [
        {CREATED_AT: at(i), AUTHOR: f"b{i}", TEXT: f"Ramen dicht! [link] {'!' * i}",
         CLEAN_TEXT: f"ramen dicht! [link] {'!' * i}", PLATFORM: "x"}  # near-identical
        for i in range(5)
    ]  # fmt: skip
    rows += [
        {CREATED_AT: at(5), AUTHOR: "b0", TEXT: "rook", CLEAN_TEXT: "rook", IS_REPOST: True,
         PLATFORM: "facebook", LANGUAGE: "en"},  # repost; rook by b0 only
        {CREATED_AT: at(6), AUTHOR: "b0", TEXT: "rook", CLEAN_TEXT: "rook",
         PLATFORM: "facebook"},  # same author repeats: not a cross-author duplicate
        {CREATED_AT: at(40), AUTHOR: "c", TEXT: "brand", CLEAN_TEXT: "brand"},  # after 34-min gap
    ]  # fmt: skip
    return frame(rows)


def test_representativeness_figures():
    out = representativeness(repr_frame(), start=at(0), end=at(70))
    assert out["n_messages"] == 8
    assert out["n_authors"] == 6
    assert out["messages_per_author"] == pytest.approx(8 / 6)
    assert out["top10_share"] == 1.0
    assert out["repost_share"] == pytest.approx(1 / 8)
    assert out["duplicate_share"] == 0.0  # exact texts differ in '!'; rook only by b0
    assert len(out["near_duplicate_bursts"]) == 1
    burst = out["near_duplicate_bursts"][0]
    assert (burst["start"], burst["end"], burst["n_messages"], burst["n_authors"]) == (
        at(0), at(4), 5, 5,
    )  # fmt: skip
    assert out["platforms"] == {"facebook": 2, "twitter": 6}  # "x" counted as twitter
    assert out["platforms_absent"] == [p for p in COMMON_PLATFORMS if p not in ("facebook", "twitter")]
    assert out["languages"] == {"en": 1 / 8, "nl": 7 / 8}
    assert out["gaps"] == [(at(6), at(40)), (at(40), at(70))]


def test_representativeness_duplicates_and_empty():
    df = frame(
        [
            {CREATED_AT: at(0), AUTHOR: "a", CLEAN_TEXT: "ramen dicht"},
            {CREATED_AT: at(1), AUTHOR: "b", CLEAN_TEXT: "ramen dicht"},  # same text, other author
            {CREATED_AT: at(2), AUTHOR: "c", CLEAN_TEXT: "iets anders"},
        ]
    )
    assert representativeness(df)["duplicate_share"] == pytest.approx(2 / 3)
    assert representativeness(df)["gaps"] == []
    empty = representativeness(df.iloc[:0], start=at(0), end=at(60))
    assert empty["n_messages"] == 0 and empty["gaps"] == [(at(0), at(60))]


def test_functions_do_not_mutate_input():
    df = rising_frame()
    before = df.copy()
    counts_over_time(df, THEME)
    rising(df, now=at(60))
    scan_bullets(df, now=at(60))
    representativeness(df)
    pd.testing.assert_frame_equal(df, before)


def test_near_keys_drop_retweet_marks_links_and_handles_and_keep_whole_words_in_any_script():
    from pipeline.views.aggregate import near_keys

    keys = near_keys(pd.Series(["RT @jan_k: Brand bij [link] https://x.nl/a?b Café!", "rtl nieuws",
                                 None, " rt: Hoi", "ثلاثة أَيَّام", "ફિલીપાઇન્સમાં ભૂકંપ"], dtype=object))
    assert keys.tolist() == ["brand bij café", "rtl nieuws", "", "hoi", "ثلاثة أَيَّام",
                             "ફિલીપાઇન્સમાં ભૂકંપ"]


@pytest.mark.parametrize("seed", range(5))
def test_theme_part_equals_the_plain_groupby_definition(seed):
    """The scan line's ", vooral over: …" (integer codes) = a pandas groupby over the rows."""
    rng = np.random.default_rng(seed)
    for _ in range(60):
        n = int(rng.integers(0, 80))
        theme = rng.integers(-1, 8, n)
        theme[theme == -1] = NO_THEME
        names = {t: f"label {t}" for t in range(8)} | {3: "thema 3", 5: "", NO_THEME: ""}
        rows = pd.DataFrame({THEME: theme, AUTHOR: [f"a{x}" for x in rng.integers(0, 12, n)],
                             THEME_LABEL: pd.Categorical([names[t] for t in theme])})
        k = int(rng.integers(1, 5))
        themed = rows[(rows[THEME] != NO_THEME) & (rows[THEME] != 0)]
        stats = themed.groupby(THEME).agg(n=(AUTHOR, "size"), a=(AUTHOR, "nunique"),
                                          label=(THEME_LABEL, "first"))
        stats = stats[(stats["a"] >= k) & (stats["label"].astype(str) != "")
                      & ~stats["label"].astype(str).str.match(r"^thema \d+$")]
        stats = stats.reset_index().sort_values(["n", THEME], ascending=[False, True], kind="stable")
        expected = ", vooral over: " + "; ".join(stats["label"].astype(str).head(2)) if len(stats) else ""
        assert theme_part(rows, k, "nl") == expected


def test_display_label_translates_only_the_language_suffix_in_english():
    from pipeline.views.aggregate import display_label

    assert display_label("smoke at the campsite (Engels)", "en") == "smoke at the campsite (English)"
    assert display_label("rauch (Duits)", "en") == "rauch (German)"
    assert display_label("dym (Pools)", "en") == "dym (Polish)"
    assert display_label("duman (Turks)", "en") == "duman (Turkish)"
    assert display_label("smoke at the campsite (Engels)", "nl") == "smoke at the campsite (Engels)"
    assert display_label("rook boven de haven", "en") == "rook boven de haven"
    assert display_label("school (dicht)", "en") == "school (dicht)"  # not a language: left alone
    assert display_label(None, "en") == ""


def test_wrapped_label_shortens_the_phrase_and_keeps_its_language():
    from pipeline.views.aggregate import wrapped_label

    english = "someone at the campsite said there's asbestos in the smoke (Engels)"
    assert wrapped_label(english, 30) == "someone at the campsite said\nthere's asbestos in… (Engels)"
    assert wrapped_label(english, 20) == "someone at the\ncampsite… (Engels)"
    assert wrapped_label(english, 80) == english  # fits: whole, one line
    for width in range(12, 40):  # never longer than the width (but for one long word), suffix kept
        lines = wrapped_label(english, width).split("\n")
        assert len(lines) <= 2 and lines[-1].endswith("(Engels)")
        assert all(len(line) <= width for line in lines), (width, lines)
    dutch = "de rook is grotendeels opgetrokken maar het stinkt nog steeds enorm"
    assert wrapped_label(dutch, 30) == "de rook is grotendeels\nopgetrokken maar het stinkt…"
    assert wrapped_label("kort (Duits)", 20) == "kort (Duits)"
    assert wrapped_label("koffie / 😀 / thee", 20) == "koffie / thee"  # emoji-only terms dropped
    assert wrapped_label("", 20) == ""


def test_scan_bullets_name_a_themes_language_in_the_interface_language():
    from pipeline.views.aggregate import scan_bullets

    now = pd.Timestamp("2026-07-11 13:00", tz="UTC")
    df = pd.DataFrame({
        CREATED_AT: [now - pd.Timedelta(minutes=5)] * 6,
        AUTHOR: [f"a{i}" for i in range(6)],
        CATEGORIES: [("handelen",)] * 6,
        THEME: [3] * 6,
        THEME_LABEL: ["in the smoke (Engels)"] * 6,
        RELEVANT: True, IS_OFFICIAL: False,
    })
    (english,) = scan_bullets(df, now, min_authors=5, lang="en")
    assert "in the smoke (English)" in english and "Engels" not in english
    (dutch,) = scan_bullets(df, now, min_authors=5, lang="nl")
    assert "in the smoke (Engels)" in dutch


def test_who_hits_equal_a_plain_regex_per_message():
    """The RE2 literal gate before each WHO pattern only skips texts the pattern cannot match."""
    import re

    from pipeline.views.aggregate import WHO_PATTERNS, who_hits

    texts = ["Wij zitten op de CAMPING", "camping's tent", "attentie", "Onze Kinderen slapen", "our house",
             "ons kind is ziek", "my daughter", "kids", "de bewoners", "bewonersavond", "in onze straat",
             "ourhouse", "stacaravan", "tentje", "tenten", "ΚΑΜΡ", "\u212aids", "Bİj ons in de wijk",
             "camping\u00e9", "\u00e9bewoners", "my son", "season", None, ""]
    data = [{TEXT: t, AUTHOR: f"a{i}", CREATED_AT: at(1)} for i, t in enumerate(texts)]
    for column in (TEXT, CLEAN_TEXT):  # the analysed text, else the raw text (lower-cased)
        df = frame(data) if column == TEXT else frame(data).assign(**{CLEAN_TEXT: lambda d: d[TEXT]})
        if column == TEXT:
            df = df.drop(columns=[CLEAN_TEXT])
        got = who_hits(pd.concat([df, df], ignore_index=True))  # repeated texts: matched once
        for j, (_nl, _en, pattern) in enumerate(WHO_PATTERNS):
            plain = [re.search(pattern, str(t).lower()) is not None for t in df[column]] * 2
            assert got[:, j].tolist() == plain, pattern
    assert who_hits(frame(data)).shape == (len(texts), len(WHO_PATTERNS))
    assert who_hits(frame(data).iloc[:0]).shape == (0, len(WHO_PATTERNS))


def test_most_common_value_per_group_breaks_ties_by_first_seen():
    from pipeline.views.aggregate import most_common_per_group

    rng = np.random.default_rng(3)
    for _ in range(30):
        n = int(rng.integers(1, 60))
        df = pd.DataFrame({"g": rng.choice(list("abcde"), n), "v": rng.choice(["nl", "en", "de", "tr"], n)})
        expected = df.groupby("g")["v"].agg(lambda v: v.value_counts().index[0])
        got = most_common_per_group(df["g"], df["v"]).reindex(expected.index)
        assert got.tolist() == expected.tolist()
