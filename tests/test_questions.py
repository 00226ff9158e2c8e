"""Tests for pipeline/views/questions.py: topics, clusters, coverage."""

from __future__ import annotations

from pathlib import Path

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
    MOMENT_CHANNEL,
    MOMENT_ID,
    MOMENT_TEXT,
    MOMENT_TIME,
    RELEVANT,
    TERMS,
    TEXT,
)
from pipeline.views import questions as Q

T0 = pd.Timestamp("2026-07-11 12:00", tz="UTC")


def frame(rows: list[tuple]) -> pd.DataFrame:
    """Build an analysed frame from (minute, text, author, categories[, official, repost])."""
    recs = []
    for r in rows:
        minute, text, author, cats = r[:4]
        official = r[4] if len(r) > 4 else False
        repost = r[5] if len(r) > 5 else False
        words = tuple(w.strip("?!.,").lower() for w in text.split() if len(w.strip("?!.,")) > 2)
        recs.append({CREATED_AT: T0 + pd.Timedelta(minutes=minute), TEXT: text,
                     CLEAN_TEXT: text.lower(), TERMS: words, AUTHOR: author,
                     IS_OFFICIAL: official, IS_REPOST: repost, CATEGORIES: cats, RELEVANT: True})
    return pd.DataFrame(recs)


def moments(rows: list[tuple]) -> pd.DataFrame:
    """Build moments from (minute, channel, text)."""
    return pd.DataFrame({
        MOMENT_ID: list(range(1, len(rows) + 1)),
        MOMENT_TIME: pd.DatetimeIndex([T0 + pd.Timedelta(minutes=m) for m, _, _ in rows]),
        MOMENT_CHANNEL: [c for _, c, _ in rows],
        MOMENT_TEXT: [t for _, _, t in rows],
    })


@pytest.mark.parametrize(("terms", "topic"), [
    (("moeten", "we", "weg"), "blijven_of_weg"),
    (("binnen", "blijven"), "blijven_of_weg"),
    (("ramen", "dicht"), "ramen_deuren"),
    (("is", "kraanwater", "veilig"), "water"),
    (("kunnen", "kinderen", "zwemmen"), "zwemmen"),
    (("asbestmetingen",), "asbest"),  # compound head
    (("asbest", "weg"), "asbest"),  # the most specific group wins
    (("Asbestos",), "asbest"),  # case, English form
    (("wat", "brandt", "er"), ""),
])
def test_topic_of_terms(terms, topic):
    assert Q.topic_of_terms(terms) == topic


def test_moment_keys_ignore_weg_as_road():
    keys = Q.moment_keys("Vermijd het gebied en houd de weg vrij. Blijf uit de buurt.")
    assert "blijven_of_weg" not in keys
    assert "blijven_of_weg" in Q.moment_keys("Ga naar binnen, houd ramen en deuren dicht.")
    assert {"ramen_deuren", "blijven_of_weg"} <= Q.moment_keys("Ga naar binnen, ramen dicht.")


def test_is_question_leaves_out_official_reposts_and_non_questions():
    df = frame([
        (0, "moeten we weg?", "a", ("vraag",)),  # kept
        (1, "moeten we weg?", "b", ("vraag",), False, True),  # repost
        (2, "Bent u in dit gebied?", "c", ("vraag", "officieel")),  # citizen repost of ours
        (3, "Bent u in dit gebied?", "VR", ("vraag",), True),  # official account
        (4, "rook!", "d", ("waarneming",)),  # not a question
    ])
    assert Q.is_question(df).tolist() == [True, False, False, False, False]


def _demo_like() -> pd.DataFrame:
    rows = []
    for i in range(6):  # 6 authors ask stay-or-leave before 14:05 (minute 125)
        rows.append((10 + i, "moeten we weg of binnen blijven?", f"s{i}", ("vraag",)))
    for i in range(5):  # 5 authors ask about asbestos from minute 160
        rows.append((160 + i, "is er asbest vrijgekomen?", f"a{i}", ("vraag",)))
    for i in range(2):  # only 2 authors ask about the water: below k
        rows.append((200 + i, "is het kraanwater veilig?", f"w{i}", ("vraag",)))
    rows.append((30, "rook!", "x", ("waarneming",)))  # not a question
    return frame(rows)


def test_question_clusters_counts_and_privacy():
    df = _demo_like()
    out = Q.question_clusters(df, Q.QuestionParams(min_authors=5, now=T0 + pd.Timedelta(hours=4)))
    by = out.set_index("cluster")
    assert by.loc["t:blijven_of_weg", "n_messages"] == 6
    assert by.loc["t:blijven_of_weg", "n_authors"] == 6
    assert by.loc["t:asbest", "n_authors"] == 5
    assert by.loc["t:water", "n_authors"] == 2
    # below k: not shown, no examples, no terms (terms need >= k authors)
    assert not by.loc["t:water", "shown"]
    assert by.loc["t:water", "examples"] == ()
    assert by.loc["t:water", "terms"] == ()
    assert by.loc["t:asbest", "examples"] == ("is er asbest vrijgekomen?",)
    assert "asbest" in by.loc["t:asbest", "terms"]
    assert by.loc["t:blijven_of_weg", "first_seen"] == T0 + pd.Timedelta(minutes=10)
    # counts over clusters add up to the number of questions
    assert out["n_messages"].sum() == int(Q.is_question(df).sum())
    # sparkline counts add up too
    assert sum(sum(s) for s in out["spark"]) == out["n_messages"].sum()


def test_trend_last_hour_vs_hour_before():
    df = _demo_like()
    now = T0 + pd.Timedelta(minutes=170)
    out = Q.question_clusters(df[df[CREATED_AT] <= now], Q.QuestionParams(now=now)).set_index("cluster")
    assert by_int(out, "t:asbest", "n_last_hour") == 5
    assert by_int(out, "t:asbest", "n_prev_hour") == 0
    assert by_int(out, "t:blijven_of_weg", "n_last_hour") == 0


def by_int(out: pd.DataFrame, cluster: str, col: str) -> int:
    """Return one integer cell."""
    return int(out.loc[cluster, col])


def test_coverage_first_moment_since_the_question():
    df = _demo_like()
    clusters = Q.question_clusters(df, Q.QuestionParams(min_authors=5))
    mom = moments([
        (0, "tweet", "Grote brand. Vermijd het gebied en houd de weg vrij."),  # 'weg' = road
        (125, "tweet", "Ga naar binnen, houd ramen en deuren dicht."),
        (150, "website", "Er is geen asbest vrijgekomen."),  # before the asbestos questions
        (260, "tweet", "Metingen: er is geen asbest vrijgekomen."),
        (300, "tweet", "Het kraanwater is veilig."),
    ])
    out = Q.coverage(clusters, mom).set_index("cluster")
    stay = out.loc["t:blijven_of_weg"]
    assert stay["status"] == "beantwoord"
    assert stay["answered_at"] == T0 + pd.Timedelta(minutes=125)
    assert stay["answered_channel"] == "tweet"
    assert stay["answered_via"] == "blijven_of_weg"
    assert stay["n_since_answer"] == 0
    asb = out.loc["t:asbest"]
    assert asb["answered_at"] == T0 + pd.Timedelta(minutes=260)  # not the 150 one: too early
    assert asb["n_covering"] == 1
    assert out.loc["t:water", "answered_moment"] == 5


def test_coverage_open_without_moments_and_input_columns_kept():
    df = _demo_like()
    clusters = Q.question_clusters(df)
    out = Q.coverage(clusters, moments([]))
    assert set(out["status"]) == {"open"}
    pd.testing.assert_frame_equal(out[list(clusters.columns)], clusters)


def test_cluster_without_topic_needs_two_shared_keys():
    clusters = pd.DataFrame({
        "cluster": ["c:1", "c:2"], "topic": ["", ""],
        "terms": [("plastic", "brandt"), ("plastic", "giftig")],
        "first_seen": [T0, T0], "times": [np.array([T0.value]), np.array([T0.value])],
    })
    mom = moments([(10, "tweet", "Er brandt plastic in de loods. Hemel!")])
    out = Q.coverage(clusters, mom)
    assert out["status"].tolist() == ["beantwoord", "open"]


def test_empty_input():
    df = frame([(0, "rook!", "x", ("waarneming",))])
    out = Q.question_clusters(df)
    assert out.empty
    assert list(out.columns) == list(Q.CLUSTER_COLUMNS)
    assert Q.coverage(out, moments([])).empty


def test_every_cluster_gets_a_subject_in_question_form_never_a_dash():
    rows = []
    for i in range(6):  # no synonym topic: a ThemeModel cluster
        rows.append((10 + i, f"Gaat de markt in Oosterzand morgen door? groet {i}", f"m{i}", ("vraag",)))
    for i in range(5):
        rows.append((40 + i, f"mag de hond morgen weer uit in het bos {i}?", f"h{i}", ("vraag",)))
    rows += [(60 + i, f"vraagje {w}?", f"x{i}", ("vraag",)) for i, w in enumerate(("a", "b"))]
    df = frame(rows)
    out = Q.question_clusters(df, Q.QuestionParams(min_authors=5,
                                                   now=T0 + pd.Timedelta(hours=2)))
    assert not out.empty
    assert all(isinstance(s, str) and s and s != "–" for s in out["subject"])
    assert "Gaat de markt in oosterzand morgen door?" in set(out["subject"])
    # k = 7: nobody-shared subjects are not named from words fewer than 7 authors wrote
    strict = Q.question_clusters(df, Q.QuestionParams(min_authors=7,
                                                      now=T0 + pd.Timedelta(hours=2)))
    assert not any("markt" in s.lower() for s in strict["subject"])


def test_question_subject_falls_back_to_a_phrase_with_question_mark():
    starts = ("moeten we de", "moet ik de", "kunnen we de", "moeten jullie de", "zullen we de")
    rows = [(i, f"{w} ramen en deuren dicht houden of niet?", f"r{i}", ("vraag",))
            for i, w in enumerate(starts)]
    group = frame(rows)
    subject = Q.question_subject(group, ("ramen", "deuren"), 5)
    assert subject.endswith("?") and "ramen en deuren" in subject.lower()


# --- shared groups: real-text-like questions (issue 9) ----------------------------------------
def _background(n: int = 60, every: int = 2) -> list[tuple]:
    """Other (non-question) messages; every `every`-th one says "corona" (the incident's word)."""
    return [(i, ("corona overal, " if i % every == 0 else "") + f"bericht nummer {i} over de dag",
             f"bg{i}", ("waarneming",)) for i in range(n)]


def _subjects(df: pd.DataFrame, **kw) -> dict[str, int]:
    """Return {subject: n_messages} of the named (non catch-all) groups."""
    out = Q.question_clusters(df, Q.QuestionParams(now=T0 + pd.Timedelta(hours=3), **kw))
    named = out[out["cluster"] != Q.OTHER_CLUSTER]
    return dict(zip(named["subject"], named["n_messages"], strict=True))


def test_questions_without_a_topic_word_get_shared_word_and_clause_groups():
    rows = _background()
    # 7 people ask about the schools; 5 wrote the same clause; "school" and "scholen" share a stem
    schools = ("wanneer gaan de scholen weer open?", "wanneer gaan de scholen weer open?",
               "@jan wanneer gaan de scholen weer open? [link]", "Wanneer gaan de scholen weer open??",
               "wanneer gaan de scholen weer open? zoon verveelt zich", "gaan de scholen maandag open?",
               "blijft de school van mijn zoon dicht?")
    rows += [(100 + i, t, f"s{i}", ("vraag",)) for i, t in enumerate(schools)]
    # 5 people ask the same clause of function words only
    rows += [(110 + i, "waarom doet niemand iets? " + "!" * i, f"n{i}", ("vraag",)) for i in range(5)]
    # 6 people ask about "corona" (the incident's own word: in half of the other messages),
    # otherwise each about something else
    rows += [(120 + i, f"corona en {w}?", f"c{i}", ("vraag",))
             for i, w in enumerate(("vaccin", "werk", "vakantie", "oma", "sport", "kerst"))]
    # 4 people ask about the dog: fewer than k
    rows += [(130 + i, f"mag de hond nog uit {i}?", f"h{i}", ("vraag",)) for i in range(4)]
    subjects = _subjects(frame(rows), min_authors=5)
    assert subjects == {"Wanneer gaan de scholen weer open?": 7, "Waarom doet niemand iets?": 5}
    out = Q.question_clusters(frame(rows), Q.QuestionParams(min_authors=5))
    other = out[out["cluster"] == Q.OTHER_CLUSTER].iloc[0]
    assert other["n_messages"] == 10  # corona (6) and the dog (4): the true tail
    assert out["n_messages"].sum() == 22
    # a clause 3 authors wrote does not name the group: the word does
    fewer = ("wanneer gaan de scholen weer open?",) * 3 + ("gaan de scholen maandag open?",
                                                          "zijn de scholen morgen dicht?")
    rows = _background() + [(100 + i, t, f"s{i}", ("vraag",)) for i, t in enumerate(fewer)]
    assert _subjects(frame(rows), min_authors=5) == {"Vragen over de scholen?": 5}


def test_shared_word_names_a_group_only_with_k_authors():
    rows = _background()
    rows += [(100 + i, f"kan iemand een oplader brengen {i}?", f"o{i}", ("vraag",)) for i in range(5)]
    # no clause is shared (each ends in its own number): the phrase 5 authors wrote names it
    assert _subjects(frame(rows), min_authors=5) == {"Oplader brengen?": 5}
    assert _subjects(frame(rows), min_authors=6) == {}  # 5 authors < k = 6: no group, no word shown
    # the same author five times is one author
    same = _background() + [(100 + i, f"kan iemand een oplader brengen {i}?", "o", ("vraag",))
                            for i in range(5)]
    assert _subjects(frame(same), min_authors=2) == {}


def test_a_word_that_mixes_two_shared_questions_is_split_by_them():
    rows = _background()
    rows += [(100 + i, "waar moet ik kijken voor informatie?", f"w{i}", ("vraag",)) for i in range(5)]
    rows += [(110 + i, "kan iemand bij mijn oma kijken?", f"o{i}", ("vraag",)) for i in range(5)]
    assert _subjects(frame(rows), min_authors=5) == {"Waar moet ik kijken voor informatie?": 5,
                                                     "Kan iemand bij mijn oma kijken?": 5}


def test_incident_words_count_only_against_other_messages():
    questions = [(100 + i, f"gaat de markt door {i}?", f"m{i}", ("vraag",)) for i in range(6)]
    questions += [(110 + i, f"en de {w}?", f"x{i}", ("vraag",))
                  for i, w in enumerate(("brug", "kerk", "haven", "trein", "bus", "pont"))]
    # "markt" in 4 of 5 other messages, in half of the questions: the incident's own word
    talk = [(i, ("markt " if i % 5 else "") + f"bericht {i}", f"bg{i}", ("waarneming",))
            for i in range(60)]
    assert _subjects(frame(talk + questions), min_authors=5) == {}
    # few other messages (a file of questions): nothing is judged the incident's own word
    assert _subjects(frame(talk[:10] + questions), min_authors=5) == {"Vragen over de markt?": 6}
    # asked about more than 1.5 times as often as talked about: a subject ("rivm" in CT22)
    rare = [(i, ("markt " if i % 4 == 0 else "") + f"bericht {i}", f"bg{i}", ("waarneming",))
            for i in range(60)]
    assert _subjects(frame(rare + questions), min_authors=5) == {"Vragen over de markt?": 6}


def test_subject_of_a_shared_word_prefers_the_question_with_its_statement():
    rows = _background()
    rows += [(100 + i, "mijn dochter heeft astma. wat moeten we doen?", f"a{i}", ("vraag",))
             for i in range(5)]
    assert _subjects(frame(rows), min_authors=5) == {
        "Mijn dochter heeft astma. Wat moeten we doen?": 5}


def test_group_in_another_language_names_it_and_never_shows_handles_or_links():
    rows = _background()
    rows += [(100 + i, f"@user{i} when will the schools reopen? https://t.co/x{i}", f"e{i}", ("vraag",))
             for i in range(5)]
    df = frame(rows)
    df[LANGUAGE] = ["en" if "vraag" in c else "nl" for c in df[CATEGORIES]]
    subjects = _subjects(df, min_authors=5)
    assert subjects == {"When will the schools reopen? (Engels)": 5}


def test_max_groups_leaves_the_rest_in_the_catch_all():
    rows = _background()
    for g, word in enumerate(("oplader", "paraplu", "zaklamp")):
        rows += [(100 + 10 * g + i, f"heeft iemand een {word} {i}?", f"{word}{i}", ("vraag",))
                 for i in range(5 + g)]
    assert set(_subjects(frame(rows), min_authors=5)) == {
        "Vragen over zaklamp?", "Vragen over paraplu?", "Vragen over oplader?"}
    # the biggest groups first
    assert set(_subjects(frame(rows), min_authors=5, max_groups=1)) == {"Vragen over zaklamp?"}


@pytest.mark.parametrize(("text", "clauses"), [
    ("[gebruiker] waarom doet niemand iets? echt", [("waarom doet niemand iets?",) * 2]),
    ("ik ben zwanger, is die rook slecht?", [("ik ben zwanger is die rook slecht?",
                                               "ik ben zwanger, is die rook slecht?")]),
    ("iemand anders ook? wat moeten we doen?", []),  # stop and vague words only
    ("hoe dan?", []),  # fewer than 3 words
])
def test_question_clauses(text, clauses):
    assert Q.question_clauses(text) == clauses


def test_question_words_drop_handles_links_and_vague_words():
    assert Q.question_words("@jan [link] weet iemand waar de opvang is? http://x.nl/a mensen") == [
        "opvang"]
    assert Q.question_words("geen vraagteken, wel de scholen") == ["vraagteken", "scholen"]
    assert Q.question_words("hoeveel mensen hebben het?") == []  # question and vague words only


SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.mark.skipif(not (SHARED / "ct22_dutch_train_half").is_dir(),
                    reason="needs ../shared/data (real CT22 Dutch tweets)")
def test_real_dutch_tweets_get_named_groups_without_incident_words():
    from pipeline.analysis.chain import AnalysisParams, analyze_file

    path = SHARED / "ct22_dutch_train_half" / "ct22_dutch_train_half.tsv"
    frame_ = analyze_file(path, AnalysisParams(), notes=[],
                          mapping={"text": "text", "created_at_utc": "created_at", "tweet_id": "id"})
    out = Q.question_clusters(frame_, Q.QuestionParams(min_authors=5))
    named = out[(out["cluster"] != Q.OTHER_CLUSTER) & out["shown"]]
    # before (a ThemeModel on the questions): 57 of 60 in the catch-all, no named group shown
    assert named["n_messages"].sum() >= 10
    for subject in named["subject"]:
        assert not any(w in subject.lower() for w in ("corona", "covid", "gebruiker", "http", "@"))


def test_subjects_read_in_the_interface_language():
    from pipeline.views.questions import NO_SUBJECT, OTHER_SUBJECT, display_subject

    # the people's question stays as written; the words Luisterpost adds follow the interface
    assert display_subject("Was that an explosion? (Engels)", "en") == "Was that an explosion? (English)"
    assert display_subject("Vragen over camping? (Engels)", "en") == "Questions about camping? (English)"
    assert display_subject("Vragen over hond?", "en") == "Questions about hond?"
    assert display_subject("Meine Tochter hustet, ist das gefährlich? (Duits)", "en").endswith("(German)")
    assert display_subject("Wat is dit (echt)?", "en") == "Wat is dit (echt)?"
    assert display_subject(NO_SUBJECT["nl"], "en") == NO_SUBJECT["en"]
    assert display_subject(OTHER_SUBJECT["nl"], "en") == OTHER_SUBJECT["en"]
    for subject in ("Was that an explosion? (Engels)", "Vragen over hond?", NO_SUBJECT["nl"]):
        assert display_subject(subject, "nl") == subject


def test_subject_counts_a_question_written_with_slips_as_the_same_question():
    rows = _background()
    rows += [(100 + i, "Waar kunnen we die metingen dan inzien?", f"m{i}", ("vraag",)) for i in range(3)]
    rows += [(110, "waar kunnn we die metingen dan inzien? 😡", "m3", ("vraag",)),
             (111, "[gebruiker] Waar kunnen we die meingen dan inzien?", "m4", ("vraag",))]
    # three authors wrote it exactly, two with a slip: five ask it (before: "Vragen over inzien?")
    assert _subjects(frame(rows), min_authors=5) == {"Waar kunnen we die metingen dan inzien?": 5}
    assert _subjects(frame(rows), min_authors=6) == {}


def test_subject_never_shows_a_word_fewer_than_k_authors_wrote():
    rows = _background()
    rows += [(100 + i, "kan de hond naar buiten?", f"h{i}", ("vraag",)) for i in range(3)]
    rows += [(110 + i, "kan de hond naar buiten vandaag?", f"v{i}", ("vraag",)) for i in range(2)]
    # one word more is the same question; the shown form is the one all five wrote, without the
    # word only two of them wrote
    assert _subjects(frame(rows), min_authors=5) == {"Kan de hond naar buiten?": 5}
    # another word in the same place is another question, not a slip: no clause of 5 authors
    other = _background()
    other += [(100 + i, "is het veilig in bremhorst?", f"b{i}", ("vraag",)) for i in range(3)]
    other += [(110 + i, "is het veilig in heidewijk?", f"w{i}", ("vraag",)) for i in range(2)]
    subjects = _subjects(frame(other), min_authors=5)
    assert not any("bremhorst" in s.lower() or "heidewijk" in s.lower() for s in subjects), subjects


def test_a_terse_shared_question_gets_the_statement_before_it():
    rows = _background()
    rows += [(100 + i, "Er valt roet op de auto. Is dat erg?", f"r{i}", ("vraag",)) for i in range(4)]
    rows += [(110, "er valt roet op mijn auto. is dat erg??", "r4", ("vraag",)),
             (111, "Is dat erg?", "r5", ("vraag",))]
    # "is dat erg?" names nothing; five of its six authors wrote what it is about first
    assert _subjects(frame(rows), min_authors=5) == {"Er valt roet op de auto. Is dat erg?": 6}
    # without k authors for the statement the shared question stays as it was asked
    assert _subjects(frame(rows), min_authors=6) == {"Is dat erg?": 6}


def test_a_shared_word_that_is_no_noun_is_named_as_a_word():
    from pipeline.views.questions import display_subject

    rows = _background()
    rows += [(100 + i, f"waar kan ik dat {i} {'allemaal ' * (i % 2)}weggooien?", f"w{i}", ("vraag",))
             for i in range(5)]
    rows += [(110 + i, f"is de camping {i} nog open?", f"c{i}", ("vraag",)) for i in range(5)]
    rows += [(120 + i, f"is het in Bremhorst {i} al veilig?", f"b{i}", ("vraag",)) for i in range(5)]
    subjects = _subjects(frame(rows), min_authors=5)
    # before: "Vragen over weggooien?", "Vragen over camping?", "Vragen over bremhorst?"
    assert set(subjects) == {"Vragen met het woord ‘weggooien’", "Vragen over de camping?",
                             "Vragen over Bremhorst?"}
    assert display_subject("Vragen met het woord ‘weggooien’", "en") == "Questions with the word ‘weggooien’"
    assert display_subject("Vragen over de camping?", "en") == "Questions about camping?"


def test_weak_stay_or_leave_words_count_only_in_the_question_itself():
    rows = _background()
    rows += [(100 + i, "Het stinkt zelfs binnen. Iemand anders ook?", f"s{i}", ("vraag",)) for i in range(5)]
    rows += [(110 + i, f"Moeten we binnen blijven {i}?", f"b{i}", ("vraag",)) for i in range(5)]
    rows += [(120 + i, f"Ik hoor dat er asbest vrijkomt {i}. Klopt dit?", f"a{i}", ("vraag",))
             for i in range(5)]
    df = frame(rows)
    topics = Q.question_topics(df[Q.is_question(df)])
    asked = df.loc[topics.index, TEXT]
    # "binnen" in a statement is where it stinks (was: "Blijven of weggaan?"); in the question it
    # is the subject; a strong word in the statement still names it
    assert set(topics[asked.str.startswith("Het stinkt")]) == {""}
    assert set(topics[asked.str.startswith("Moeten we")]) == {"blijven_of_weg"}
    assert set(topics[asked.str.startswith("Ik hoor")]) == {"asbest"}
