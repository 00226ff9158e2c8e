"""Tests for pipeline.analysis.relevance: RELEVANCE and RELEVANT."""

from pathlib import Path

import pandas as pd
import pytest

from pipeline.analysis.language import detect_language
from pipeline.analysis.normalize import clean_text, normalize, normalize_distinct
from pipeline.analysis.relevance import (
    RelevanceParams,
    evaluate_relevance,
    relevance_of,
    score_relevance,
)
from pipeline.schema import RELEVANCE, RELEVANCE_KNOWN, RELEVANT, TEXT

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

INCIDENT = RelevanceParams(
    keywords=("brand", "rook", "industrieterrein", "camping", "#BrandMoerdijk", "Moerdijk"),
    description="Grote brand op industrieterrein Moerdijk, rookwolk drijft richting de camping",
)

NOT_RELEVANT = [
    "Lekker rookworst bij de Hema",  # "rook" in rookworst
    "Sterk brand, goede marketing",  # brand as merk
    "Personal brand opbouwen op LinkedIn",  # brand as merk (en)
    "brandend maagzuur vannacht",  # heartburn
    "ik rook al jaren niet meer",  # smoking
    "Ajax scoort weer in de wedstrijd",  # football
    "vuurwerk bij de buren",  # fireworks
    "mooi weer vandaag",  # unrelated chatter
    "",  # empty
    "😢😢",  # emoji only
    "[link]",  # only a link
]
RELEVANT_TEXTS = [
    "zwarte rook boven industrieterrein",
    "stinkt naar plastic hier op de camping",
    "Grote brand in Moerdijk, ramen dicht!",
    "#BrandMoerdijk ramen en deuren dicht",
    "Huge fire and smoke near Moerdijk",  # English
    "Duży pożar i dym w Moerdijk",  # Polish
    "حريق كبير ودخان في Moerdijk",  # RTL
]


def frame(texts):
    return pd.DataFrame({TEXT: texts, "n": range(len(texts))})


def test_dutch_noise_is_not_relevant():
    out = score_relevance(frame(NOT_RELEVANT), INCIDENT)
    assert not out[RELEVANT].any(), out.loc[out[RELEVANT], TEXT].tolist()


def test_incident_messages_are_relevant():
    out = score_relevance(frame(RELEVANT_TEXTS), INCIDENT)
    assert out[RELEVANT].all(), out.loc[~out[RELEVANT], TEXT].tolist()


def test_keywords_matter():
    text = frame(["stinkt naar plastic hier op de camping"])
    without = score_relevance(text, RelevanceParams())[RELEVANCE][0]
    with_kw = score_relevance(text, INCIDENT)[RELEVANCE][0]
    assert with_kw > without


def test_negative_context_lowers_score():
    out = score_relevance(frame(["de brand is groot", "het brand is groot, sterk merk"]), INCIDENT)
    assert out[RELEVANCE][0] > out[RELEVANCE][1]


def test_range_threshold_and_invariants():
    texts = NOT_RELEVANT + RELEVANT_TEXTS + ["brand " * 500]  # very long text
    inp = frame(texts)
    out = score_relevance(inp, INCIDENT)
    pd.testing.assert_frame_equal(out.drop(columns=[RELEVANCE, RELEVANT, RELEVANCE_KNOWN]), inp)
    assert out[RELEVANCE].between(0, 1).all()
    assert (out[RELEVANT] == (out[RELEVANCE] >= INCIDENT.threshold)).all()
    pd.testing.assert_frame_equal(out, score_relevance(inp, INCIDENT))
    strict = score_relevance(inp, RelevanceParams(**{**INCIDENT.__dict__, "threshold": 0.99}))
    assert strict[RELEVANT].sum() < out[RELEVANT].sum()


def test_same_result_after_normalize_and_language():
    inp = frame(NOT_RELEVANT + RELEVANT_TEXTS)
    chained = score_relevance(detect_language(normalize(inp)), INCIDENT)
    direct = score_relevance(inp, INCIDENT)
    pd.testing.assert_series_equal(chained[RELEVANCE], direct[RELEVANCE])


def test_evaluate_relevance_on_crisislex():
    if not (DATA / "crisislex_t6").exists():
        pytest.skip(f"research data not found at {DATA}")
    table = evaluate_relevance(DATA, events=("2013_West_Texas_Explosion",))
    assert len(table) == 1
    assert (table["f1"] >= 0.85).all(), table


# --- incident mode: crisis-category evidence without an incident keyword ----------------------
IMPLICIT = [
    "Het stinkt hier zo dat mijn dochter moest overgeven",  # smell + symptom, no keyword
    "does anyone know if the school is being evacuated?",  # English evacuation question
    "Waarom krijgen we pas na drie uur een waarschuwing?",  # criticism of the warning (lateness)
    "mijn keel is rauw en mijn ogen branden, iemand tips?",  # symptoms + request
    "Zie vanaf het balkon nog steeds vlammen",  # eyewitness perception
]
STILL_NOISE = [
    "Zit al dagen met een kriebelhoestje, denk dat ik verkouden ben",  # one symptom word, nothing else
    "Zonnebrand vergeten, nu lijk ik een kreeft",  # sunscreen ("brand" as a word end)
    "Nieuwe rookmelders in de aanbieding bij ons in de winkel",  # advert, "rook" prefix
    "Welk brand speaker raden jullie aan voor op de camping?",  # brand-as-merk with a place keyword
    "Wie gaat er vanavond mee naar het concert?",  # a question alone is no evidence
]


def test_incident_mode_finds_messages_without_keywords():
    out = score_relevance(frame(IMPLICIT), INCIDENT)
    assert out[RELEVANT].all(), out.loc[~out[RELEVANT], TEXT].tolist()


def test_incident_mode_keeps_noise_out():
    out = score_relevance(frame(STILL_NOISE + NOT_RELEVANT), INCIDENT)
    assert not out[RELEVANT].any(), out.loc[out[RELEVANT], TEXT].tolist()


def test_keywords_mode_is_word_evidence_only():
    kw_only = RelevanceParams(**{**INCIDENT.__dict__, "mode": "keywords"})
    incident = score_relevance(frame(IMPLICIT), INCIDENT)[RELEVANCE]
    words = score_relevance(frame(IMPLICIT), kw_only)[RELEVANCE]
    assert (incident >= words).all() and (incident > words).any()


def test_prior_raises_evidence_but_not_empty_texts():
    high = RelevanceParams(**{**INCIDENT.__dict__, "prior": 0.8})
    texts = ["ik ben zo bang", "", "mooi weer vandaag", "😢"]  # emotion only; empty; no evidence; emoji
    base = score_relevance(frame(texts), INCIDENT)[RELEVANCE]
    raised = score_relevance(frame(texts), high)[RELEVANCE]
    assert raised[0] > base[0]
    assert raised[1] == 0.0 and raised[2] == base[2]  # no evidence: the prior does not apply


def test_bad_mode_or_prior_raises():
    with pytest.raises(ValueError):
        score_relevance(frame(["brand"]), RelevanceParams(mode="nope"))
    with pytest.raises(ValueError):
        score_relevance(frame(["brand"]), RelevanceParams(keywords=("brand",), prior=1.0))


def test_crisislex_t6_stays_above_090_on_two_events():
    if not (DATA / "crisislex_t6").exists():
        pytest.skip(f"research data not found at {DATA}")
    table = evaluate_relevance(DATA, events=("2013_Queensland_Floods", "2013_Boston_Bombings"))
    assert (table["f1"] >= 0.9).all(), table


def test_without_incident_keywords_relevance_is_unknown_and_categories_stay() -> None:
    """A plain file without keywords: nothing may be erased into ruis (relevance "onbekend")."""
    from pipeline.analysis.classify import classify
    from pipeline.analysis.normalize import normalize
    from pipeline.schema import CATEGORIES, RELEVANCE_KNOWN

    texts = ["Waarom krijgen we pas na drie uur een bericht?", "Weet iemand of de scholen dicht zijn?"]
    plain = score_relevance(normalize(pd.DataFrame({TEXT: texts})), RelevanceParams())
    assert not plain[RELEVANCE_KNOWN].any()
    cats = classify(plain.assign(**{RELEVANT: False}))[CATEGORIES].tolist()
    assert all("ruis" not in c and c for c in cats)
    # nothing is judged irrelevant either: themes and views count every message, also one without
    # any crisis word (which an incident with keywords leaves out)
    chatter = normalize(pd.DataFrame({TEXT: ["Lekker weer vandaag in het park"]}))
    assert plain[RELEVANT].all() and score_relevance(chatter, RelevanceParams())[RELEVANT].all()
    assert not score_relevance(chatter, RelevanceParams(keywords=("brand",)))[RELEVANT].any()
    incident = score_relevance(normalize(pd.DataFrame({TEXT: texts})), RelevanceParams(keywords=("brand",)))
    assert incident[RELEVANCE_KNOWN].all()
    erased = classify(incident.assign(**{RELEVANT: False}))[CATEGORIES].tolist()
    assert erased == [("ruis",), ("ruis",)]


PHRASES = RelevanceParams(keywords=("west texas", "plant explosion", "brand"),
                          description="Explosie bij de kunstmestfabriek in West, Texas")


@pytest.mark.parametrize("params", [INCIDENT, PHRASES, RelevanceParams(mode="keywords")])
def test_frame_scores_equal_the_one_text_reference(params):
    # The frame path counts distinct tokens per text from token ids; `relevance_of` is the per-text reference.
    texts = NOT_RELEVANT + RELEVANT_TEXTS + [
        "brand brand brand rook rook BRAND",  # repeated keywords count once each
        "plant explosion in West Texas, another plant explosion near west texas",  # phrases, twice
        "Huge explosion at the fertilizer plant in West, Texas #prayforwest",
        "brandweer bij de brandende industriebrand",  # keyword as the start and end of words
        "[gebruiker] [link]",  # placeholders only: no evidence at all
    ]
    out = score_relevance(frame(texts), params)
    assert out[RELEVANCE].tolist() == pytest.approx(
        [relevance_of(clean_text(t or ""), params) for t in texts], rel=1e-12, abs=1e-15)


def test_distinct_texts_from_normalize_give_the_same_scores():
    inp = frame(NOT_RELEVANT + RELEVANT_TEXTS + ["RT [gebruiker]: zwarte rook boven industrieterrein"])
    normalized, distinct = normalize_distinct(inp)
    pd.testing.assert_frame_equal(score_relevance(normalized, INCIDENT, distinct=distinct),
                                  score_relevance(normalized, INCIDENT))
