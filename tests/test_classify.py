"""Tests for pipeline.analysis.classify: rules per category, question syntax, sentiment, invariants."""

import pandas as pd
import pytest

from pipeline.analysis.classify import classify, question_mark_baseline
from pipeline.schema import CATEGORIES, IS_OFFICIAL, ISB, LANGUAGE, RELEVANT, SENTIMENT, TEXT

CASES = [
    # genuine questions (also without "?", and en/de)
    ("mag ik blijven?", "vraag"),
    ("Moeten we weg?", "vraag"),
    ("is het water veilig?", "vraag"),
    ("what is happening, are we safe?", "vraag"),
    ("weet iemand of de A50 dicht is?", "vraag"),
    ("Müssen wir den Campingplatz verlassen?", "vraag"),
    ("weet iemand of we binnen moeten blijven", "vraag"),
    ("iemand info over de brand", "vraag"),
    ("wat moeten we doen", "vraag"),
    # rhetorical questions are criticism
    ("waarom doet niemand iets??", "kritiek"),
    ("hoe kan dit nou weer?!", "kritiek"),
    ("wie verzint dit?", "kritiek"),
    ("is dit nou normaal??", "kritiek"),
    # eyewitness
    ("ik zie zwarte rook", "waarneming"),
    ("harde knal gehoord", "waarneming"),
    ("hier op de camping regent het as", "waarneming"),
    ("vlammen zichtbaar vanaf de A1", "waarneming"),
    # schadebeperking
    ("ramen en deuren dicht, ventilatie uit", "handelen"),
    ("stay indoors and close your windows", "handelen"),
    ("het stinkt hier en ik ben misselijk", "gezondheid"),
    ("Es stinkt, ich habe Kopfschmerzen", "gezondheid"),
    ("wij hebben plek voor 2 gezinnen", "hulp"),
    ("wie kan ons ophalen?", "hulp"),
    # betekenisgeving
    ("ik ben doodsbang", "emotie"),
    ("😱😢", "emotie"),  # emoji only
    ("niemand vertelt ons iets", "kritiek"),
    ("waarom hoor ik dit via Facebook", "kritiek"),
    ("NL-Alert kwam veel te laat", "kritiek"),
    ("de gemeente laat ons in de steek", "kritiek"),
    ("communicatie is ondermaats", "kritiek"),
    ("het bedrijf had al eerder overtredingen", "kritiek"),
    ("respect voor de brandweer 🙏", "medeleven"),
    ("top gedaan", "medeleven"),
    # rumours
    ("ik hoor dat er asbest in de rook zit", "gerucht"),
    ("er zou asbest vrijkomen", "gerucht"),
    ("volgens mijn buurman is er een dode", "gerucht"),
    ("I heard that the plant exploded", "gerucht"),
    ("angeblich gibt es Tote", "gerucht"),
    ("deel dit!", "gerucht"),
]


@pytest.mark.parametrize(("text", "code"), CASES)
def test_rule_finds_category(text: str, code: str) -> None:
    out = classify(pd.DataFrame({TEXT: [text]}))
    assert code in out[CATEGORIES].iloc[0]


@pytest.mark.parametrize(
    "text",
    [
        "hoe moeilijk kan het zijn??",
        "hoe kan dit nou weer?!",
        "wie verzint dit?",
        "is dit nou normaal??",
        "ik hoor dat er asbest is",
    ],
)
def test_rhetorical_questions_and_hearsay_are_not_questions_or_eyewitness(text: str) -> None:
    codes = classify(pd.DataFrame({TEXT: [text]}))[CATEGORIES].iloc[0]
    assert "vraag" not in codes
    assert "waarneming" not in codes


def test_mixed_message_gets_several_codes_and_priority_block() -> None:
    out = classify(pd.DataFrame({TEXT: ["Waarom hoor ik dit via Facebook?! Moeten we nu binnen blijven?"]}))
    assert {"vraag", "kritiek", "handelen"} <= set(out[CATEGORIES].iloc[0])
    assert out[ISB].iloc[0] == "schadebeperking"


EDGE = pd.DataFrame(
    {
        TEXT: [
            "",  # empty text
            "[link]",  # only a link placeholder
            "x" * 5000 + " ik zie zwarte rook",  # very long text (cut at max_chars: the tail is not seen)
            "هل الماء آمن؟",  # RTL (Arabic): "is the water safe?"
            "Moeten we weg? stay safe everyone",  # mixed language
            "Moeten we weg?",  # duplicate of a relevant text, but not relevant
            "Dit is een gewoon bericht",  # relevant, no category
        ],
        IS_OFFICIAL: [False, False, False, False, False, False, True],
        LANGUAGE: ["und", "und", "nl", "ar", "nl", "nl", "nl"],
        RELEVANT: [True, True, True, True, True, False, True],
    }
)


def test_edge_cases() -> None:
    out = classify(EDGE)
    cats = out[CATEGORIES].tolist()
    assert cats[0] == () and out[ISB].iloc[0] == "overig"
    assert cats[1] == ()
    assert "waarneming" not in cats[2]
    assert "vraag" in cats[3]
    assert {"vraag", "handelen", "medeleven"} <= set(cats[4])
    assert cats[5] == ("ruis",)
    assert cats[6] == ("officieel",)
    assert out[SENTIMENT].between(-1, 1).all()


def test_only_adds_columns_and_is_deterministic() -> None:
    inp = EDGE.copy()
    out = classify(EDGE)
    pd.testing.assert_frame_equal(out.drop(columns=[CATEGORIES, ISB, SENTIMENT]), inp)
    pd.testing.assert_frame_equal(EDGE, inp)  # input not mutated
    pd.testing.assert_frame_equal(classify(EDGE), out)


def test_language_restricts_lexicons() -> None:
    # "peur" is a French emotion word; with language=en only the English lexicon applies
    frame = pd.DataFrame({TEXT: ["j'ai peur", "j'ai peur"], LANGUAGE: ["fr", "en"]})
    cats = classify(frame)[CATEGORIES].tolist()
    assert "emotie" in cats[0] and "emotie" not in cats[1]


def test_empty_frame() -> None:
    out = classify(pd.DataFrame({TEXT: pd.Series([], dtype="str")}))
    assert len(out) == 0 and {CATEGORIES, ISB, SENTIMENT} <= set(out.columns)


def test_sentiment_polarity_and_negation() -> None:
    texts = [
        "Goed gedaan, dank aan de brandweer",
        "Dit is verschrikkelijk, ik ben bang",
        "Dit is niet goed",
        "De brand is uit",
    ]
    s = classify(pd.DataFrame({TEXT: texts}))[SENTIMENT].tolist()
    assert s[0] > 0 and s[1] < 0 and s[2] < 0 and s[3] == 0


class _AlwaysHulp:
    categories_ = ("hulp", "emotie")

    def predict_proba(self, texts: list[str]):
        import numpy as np

        return np.tile([0.9, 0.0], (len(texts), 1))


def test_model_adds_and_vetoes() -> None:
    out = classify(pd.DataFrame({TEXT: ["ik ben bang", "rustig hier"]}), model=_AlwaysHulp())
    assert out[CATEGORIES].tolist() == [("hulp",), ("hulp",)]  # emotie vetoed (p=0), hulp added (p=0.9)


def test_question_mark_baseline() -> None:
    assert question_mark_baseline(pd.Series(["a?", "b", None, "؟"])).tolist() == [True, False, False, True]


# --- rules-2026.11-2: question syntax, criticism, rumours, perception, actions, reposts ----------
NEW_CASES = [
    # genuine questions without "?" or with the question after a comma / greeting
    ("iemand die weet of de N57 weer open is", "vraag"),  # request phrase, no "?"
    ("ben benieuwd of de school morgen open gaat", "vraag"),  # "benieuwd of", no "?"
    ("Ik moet om 5 uur werken bij de haven, kan dat nog?", "vraag"),  # verb-subject after a comma
    ("Is het kraanwater nog veilig?!", "vraag"),  # "?!" = urgency, still genuine
    ("kinderen ophalen of laten zitten?", "vraag"),  # "X of Y?" alternative question
    # permission / obligation / safety questions are also about what to do
    ("Mogen de kinderen vandaag buiten spelen?", "handelen"),  # deontic modal + subject
    ("Ik moet om 5 uur werken bij de haven, kan dat nog?", "handelen"),  # "kan dat nog?"
    ("Are we safe at the hotel?", "handelen"),  # English safety question
    # rhetorical questions are criticism (no swear words)
    ("Hoe moeilijk kan het zijn om mensen te waarschuwen?", "kritiek"),
    ("Wie controleert die bedrijven eigenlijk?", "kritiek"),  # challenge question
    ("Waarom krijgen we pas na twee uur een NL-Alert?", "kritiek"),  # waarom + lateness
    ("Kunnen ze niet gewoon een sirene laten gaan?", "kritiek"),  # negative polar question
    ("Why is nobody telling us anything?", "kritiek"),
    ("Warum sagt uns eigentlich niemand was??", "kritiek"),  # German, gap before "niemand"
    # criticism phrased without swear words
    ("De provincie had die opslag nooit mogen toestaan", "kritiek"),  # counterfactual blame
    ("Het bericht kwam pas om tien uur 's avonds", "kritiek"),  # lateness
    ("De gemeente verwijst ons door naar het waterschap", "kritiek"),  # passing the buck
    ("Ze zeggen dat het veilig is. Geloof er niks van", "kritiek"),  # distrust of official statements
    ("Die hele evacuatie was één grote chaos", "kritiek"),  # incompetence
    ("Het bedrijf moet aansprakelijk worden gesteld", "kritiek"),  # demand
    ("Nobody from the council has told us anything", "kritiek"),
    ("Das war schlecht organisiert", "kritiek"),
    # hearsay and chain messages
    ("Mijn schoonzus werkt in het ziekenhuis en zegt dat er tien gewonden zijn", "gerucht"),
    ("In de buurtapp staat dat de school dicht gaat", "gerucht"),
    ("Heb gelezen dat de dijk vannacht doorbreekt", "gerucht"),
    ("Het zou om een aanslag gaan hebben", "gerucht"),  # reported "zou"
    ("Apparently the bridge collapsed", "gerucht"),
    ("Im Dorf soll es eine Explosion gegeben haben", "gerucht"),
    ("LET OP!!! WATER NIET DRINKEN IN HEEL DE STAD", "gerucht"),  # shouted chain alarm (original case)
    # first-person perception, vantage points, photo cues
    ("Zie hier vanaf de dijk de vlammen", "waarneming"),
    ("📸 vanaf het viaduct", "waarneming"),
    ("Mijn auto ligt vol met roet", "waarneming"),
    ("Boven ons hangt een grijze wolk", "waarneming"),
    # multilingual questions: pl "czy", tr particle, Arabic without "؟" (RTL)
    ("czy możemy wyjść z domu", "vraag"),
    ("Okullar yarın kapalı mı?", "vraag"),
    ("متى يفتح الطريق", "vraag"),
]


@pytest.mark.parametrize(("text", "code"), NEW_CASES)
def test_new_rule_families(text: str, code: str) -> None:
    out = classify(pd.DataFrame({TEXT: [text]}))
    assert code in out[CATEGORIES].iloc[0], out[CATEGORIES].iloc[0]


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Hoe moeilijk kan het zijn om mensen te waarschuwen?", "vraag"),  # rhetorical, not genuine
        ("Wie controleert die bedrijven eigenlijk?", "vraag"),  # challenge question
        ("waarom ook niet?", "kritiek"),  # idiom "sure, why not": negation but not a reproach
        ("NL-Alert kwam veel te laat", "handelen"),  # mentioning NL-Alert is not an action
        ("Het water in de Maas staat hoog", "handelen"),  # "water" alone is not about what to do
        ("WAAROM HOREN WE NIKS?", "gerucht"),  # shouted question, not a chain alarm
        ("Mijn kinderen zeggen dat hun ogen prikken", "gerucht"),  # reported symptom, not hearsay
        ("Ik hoor niks", "waarneming"),  # negation: nothing perceived
        ("🙂", "vraag"),  # emoji only
        ("", "kritiek"),  # empty
    ],
)
def test_new_rules_do_not_overfire(text: str, absent: str) -> None:
    assert absent not in classify(pd.DataFrame({TEXT: [text]}))[CATEGORIES].iloc[0]


def test_language_specific_questions_rtl_and_fallback() -> None:
    frame = pd.DataFrame(
        {
            TEXT: [
                "لماذا لا يخبرنا أحد؟",  # Arabic "why does nobody tell us?": rhetorical why, RTL
                "الطريق مغلق؟",  # Arabic "the road is closed?": "?" fallback for ar
                "Czy dym jest niebezpieczny?",  # Polish
                "Duman tehlikeli mi?",  # Turkish particle
            ],
            LANGUAGE: ["ar", "ar", "pl", "tr"],
        }
    )
    cats = classify(frame)[CATEGORIES].tolist()
    assert {"kritiek", "vraag"} <= set(cats[0])  # a rhetorical why-question asks and blames
    assert all("vraag" in c for c in cats[1:])


def test_citizen_repost_of_official_message_is_official() -> None:
    official = "Brandweer: de brand in de loods is onder controle. Houd ramen en deuren nog gesloten."
    frame = pd.DataFrame(
        {
            TEXT: [
                official,
                "RT [gebruiker]: " + official,  # repost with prefix
                "RT [gebruiker]: Brandweer: de brand in de loods is onder controle. Houd ramen…",  # cut off
                "Eindelijk! " + official,  # quote with a short comment before it
                "De brand is nog lang niet onder controle hier",  # own words: not official
                "Ok",  # short official text below: never matched
                "ok",
            ],
            IS_OFFICIAL: [True, False, False, False, False, True, False],
        }
    )
    cats = classify(frame)[CATEGORIES].tolist()
    assert all("officieel" in c for c in cats[:4])
    assert "officieel" not in cats[4]
    assert "officieel" not in cats[6]


@pytest.mark.parametrize(
    "text",
    [
        "Kijken jullie ook naar de #persconferentie? Ik snap er niks van",
        "UPDATE: brand onder controle",  # news style from an ordinary account
        "Veiligheidsregio Midden- en West-Brabant meldt dat de brand meester is",
    ],
)
def test_officieel_only_from_account_list_not_from_style_or_hashtag(text: str) -> None:
    citizen = classify(pd.DataFrame({TEXT: [text], IS_OFFICIAL: [False]}))[CATEGORIES].iloc[0]
    account = classify(pd.DataFrame({TEXT: [text], IS_OFFICIAL: [True]}))[CATEGORIES].iloc[0]
    assert "officieel" not in citizen
    assert "officieel" in account


def test_question_flags_signature_is_stable() -> None:
    import pyarrow as pa

    from pipeline.analysis.classify import question_flags

    genuine, rhetorical = question_flags(pa.array(["mag ik blijven?", "hoe kan dit nou weer?!", ""]))
    assert genuine.tolist() == [True, False, False]
    assert rhetorical.tolist() == [False, True, False]


@pytest.mark.parametrize(
    "text",
    [
        "Nog steeds geen stroom in onze straat",
        "Al 3 uur wachten op iemand van de netbeheerder",
        "We zitten sinds vanochtend zonder water",
        "Wat een stankoverlast weer vanavond",
        "Belachelijk dat de gemeente niks laat weten",
        "Still waiting for the power company to show up",
        "No power for 6 hours now and nobody answers the phone",
    ],
)
def test_service_and_nuisance_complaints_are_kritiek(text: str) -> None:
    assert "kritiek" in classify(pd.DataFrame({TEXT: [text]}))[CATEGORIES].iloc[0]


@pytest.mark.parametrize(
    "text", ["Wat een onzin alweer", "Dit is echt belachelijk", "achterlijk dit", "Typisch weer eens"]
)
def test_irritation_without_target_is_emotion_not_kritiek(text: str) -> None:
    cats = classify(pd.DataFrame({TEXT: [text]}))[CATEGORIES].iloc[0]
    assert "kritiek" not in cats
    assert "emotie" in cats


@pytest.mark.parametrize(
    "text",
    ["waarom doet niemand iets??", "Waarom krijgen we pas na drie uur een NL-Alert?",
     "Waarom worden de scholen niet gesloten?!", "waarom godsnaam nu pas een sms?"],
)
def test_rhetorical_waarom_question_is_both_vraag_and_kritiek(text: str) -> None:
    # Issue 9 point 2: a rhetorical "waarom" asks (the authority should answer) and blames.
    cats = classify(pd.DataFrame({TEXT: [text]}))[CATEGORIES].iloc[0]
    assert {"vraag", "kritiek"} <= set(cats)


@pytest.mark.parametrize("text", ["waarom ook niet?", "Why not?", "hoe moeilijk kan het zijn?"])
def test_idioms_and_non_waarom_rhetoric_are_not_vraag(text: str) -> None:
    assert "vraag" not in classify(pd.DataFrame({TEXT: [text]}))[CATEGORIES].iloc[0]


def test_why_bang_question_is_both_vraag_and_kritiek() -> None:
    cats = classify(pd.DataFrame({TEXT: ["Waarom is de school vandaag dicht?!"]}))[CATEGORIES].iloc[0]
    assert {"vraag", "kritiek"} <= set(cats)
    plain = classify(pd.DataFrame({TEXT: ["Waarom is de school vandaag dicht?"]}))[CATEGORIES].iloc[0]
    assert "vraag" in plain and "kritiek" not in plain


@pytest.mark.parametrize("per_language_max", [0, 5_000])  # large-batch path, small-batch path
def test_rules_computed_once_give_the_same_matrix_for_every_lexicon(monkeypatch, per_language_max):
    """Relevance's all-language hits (RuleCache) only narrow where classify matches: same answers."""
    import numpy as np

    from pipeline.analysis import classify as classify_module

    monkeypatch.setattr(classify_module, "PER_LANGUAGE_MAX", per_language_max)
    import pyarrow as pa

    from pipeline.analysis import lexicon as lx
    from pipeline.analysis.classify import RuleCache, distinct_rules, rule_matrix
    from pipeline.analysis.normalize import normalize

    texts = [t for t, _ in CASES] + [
        "Pourquoi personne ne nous dit rien?", "Czy mamy zamknąć okna?", "Neden kimse bir şey söylemiyor?",
        "لماذا لا أحد يخبرنا؟", "Защо никой не казва нищо?", "ik zie rook, moeten we weg? echt schandalig!!",
        "", "[link]", "rook", "stay indoors, is it safe?",
    ]
    clean = normalize(pd.DataFrame({TEXT: texts}))["clean_text"].tolist()
    cache = RuleCache()
    half = pa.array(clean[: len(clean) // 2 + 3])  # some texts unknown to the cache: computed in full
    assert cache.all_languages(half).tolist() == rule_matrix(half).tolist()
    # every lexicon set (and none): each text once per language code
    langs = [None, *lx.LANGUAGE_LEXICONS]
    frame = pd.DataFrame({"clean_text": [c for c in clean for _ in langs], LANGUAGE: langs * len(clean)})
    codes, u_texts, expected = distinct_rules(frame)
    codes2, u_texts2, got = distinct_rules(frame, rule_cache=cache)
    assert np.array_equal(got[codes2], expected[codes]) and u_texts2.equals(u_texts)
    assert got.any(axis=0).sum() >= 8  # the sample hits most categories
    # and per message through classify: with and without the cache
    from pipeline.analysis.relevance import RelevanceParams, score_relevance

    df = normalize(pd.DataFrame({TEXT: texts, LANGUAGE: ["nl", "fr", "pl", "tr", "ar", "bg", "en", "de"] * 5
                                 + ["nl"] * (len(texts) - 40)}))
    cache = RuleCache()
    params = RelevanceParams(keywords=("rook",))
    with_cache = classify(score_relevance(df, params, rule_cache=cache), rule_cache=cache)
    without = classify(score_relevance(df, params))
    assert with_cache[CATEGORIES].tolist() == without[CATEGORIES].tolist()
    assert cache.lookup(pa.array(clean)) is not None


def test_small_batch_rules_per_language_equal_the_large_batch_path_on_real_messages(monkeypatch):
    """A live update matches per lexicon language; on real multilingual tweets it must change nothing."""
    from pathlib import Path

    from pipeline.analysis import chain
    from pipeline.analysis import classify as classify_module

    data = Path(__file__).resolve().parents[2] / "shared" / "data"
    files = sorted(data.glob("ct22_multilingual_dev/*/*_dev.tsv")) + sorted(data.glob("ct22_dutch_dev/*.tsv"))
    if not files:
        pytest.skip("../shared/data is not next to this checkout")
    texts = []
    for path in files:
        frame = pd.read_csv(path, sep="\t", quoting=3, dtype=str)
        texts += frame["tweet_text" if "tweet_text" in frame else "text"].dropna().tolist()[:150]
    df = pd.DataFrame({TEXT: texts, "message_id": range(len(texts))})
    params = chain.AnalysisParams(keywords=("corona", "vaccin"), description="coronavirus maatregelen")
    small = chain.enrich(df, params)
    monkeypatch.setattr(classify_module, "PER_LANGUAGE_MAX", 0)
    large = chain.enrich(df, params)
    pd.testing.assert_frame_equal(small, large)
    assert set(small[LANGUAGE]) >= {"nl", "en", "ar", "tr", "bg", "es"}
    assert small[CATEGORIES].map(len).sum() > 100


def test_language_sets_equal_matching_each_lexicon_pattern_on_its_own():
    """The small-batch path's compiled RE2 sets find exactly what each pattern finds alone."""
    from pathlib import Path

    import numpy as np
    import pyarrow as pa

    from pipeline.analysis import classify as C
    from pipeline.analysis.normalize import normalize
    from pipeline.schema import CATEGORY_CODES

    data = Path(__file__).resolve().parents[2] / "shared" / "data"
    texts = [t for t, _ in CASES] + ["", "[link] 🔥🔥", "𝕘𝕒𝕤 lek?", "Czy mamy zamknąć okna?",
                                     "لماذا لا أحد يخبرنا؟"]
    files = sorted(data.glob("ct22_multilingual_dev/*/*_dev.tsv")) + sorted(data.glob("ct22_dutch_dev/*.tsv"))
    if not files:  # a checkout without ../shared/data beside it (the edge texts alone hit 39 patterns)
        pytest.skip("../shared/data is not next to this checkout")
    for path in files:
        frame = pd.read_csv(path, sep="\t", quoting=3, dtype=str)
        texts += frame["tweet_text" if "tweet_text" in frame else "text"].dropna().tolist()[:300]
    clean = pa.array(normalize(pd.DataFrame({TEXT: texts}))["clean_text"].tolist())
    got = C._language_hits(clean)
    hits = 0
    for language in C.lexicon_languages():
        expected = np.zeros((len(clean), len(CATEGORY_CODES)), dtype=bool)
        for code, pattern in C.language_patterns(language).items():
            expected[:, CATEGORY_CODES.index(code)] = C._match(clean, pattern)
        assert np.array_equal(got[language], expected), language
        hits += int(expected.sum())
    assert hits >= 40  # the sample hits many patterns (a set that never matched would fail)


def test_learned_model_in_batches_gives_the_same_categories(monkeypatch):
    from pipeline.analysis import classify as classify_module
    from pipeline.analysis.learned import default_model

    base = default_model()
    if base is None:
        pytest.skip("no shipped learned model")
    df = pd.DataFrame({TEXT: [t for t, _ in CASES] * 2 + ["waarom pas nu een NL-Alert?", "ik hoest"],
                       LANGUAGE: "nl"})
    whole = classify(df, base_model=base)
    monkeypatch.setattr(classify_module, "MODEL_BATCH", 4)
    batched = classify(df, base_model=base)
    assert batched[CATEGORIES].tolist() == whole[CATEGORIES].tolist()
    assert batched[SENTIMENT].tolist() == whole[SENTIMENT].tolist()


def test_a_small_multilingual_batch_runs_the_question_patterns_once(monkeypatch):
    """Live batches hold many languages; ours and the "?"-fallback ones (pl, tr, ar, bg, ...) share one pass.

    Each pass compiles ~30 patterns (the cost of a live update, not the matching); the flags must
    equal those of a pass per language group (the test above compares every lexicon's matrix).
    """
    from pipeline.analysis import classify as classify_module
    from pipeline.analysis.classify import RuleCache
    from pipeline.analysis.normalize import normalize
    from pipeline.analysis.relevance import RelevanceParams, score_relevance

    texts = ["Czy mamy zamknąć okna?", "Neden kimse bir şey söylemiyor?", "لماذا لا أحد يخبرنا؟",
             "Защо никой не казва нищо?", "¿Es seguro salir?", "Pourquoi personne ne dit rien?",
             "moeten we de ramen dichthouden?", "is it safe to go outside?"]
    df = normalize(pd.DataFrame({TEXT: texts, LANGUAGE: ["pl", "tr", "ar", "bg", "es", "fr", "nl", "en"]}))
    expected = classify(score_relevance(df, RelevanceParams(keywords=("rook",))))
    calls = []
    real = classify_module._question_passes
    monkeypatch.setattr(classify_module, "_question_passes", lambda *a: calls.append(a[1]) or real(*a))
    cache = RuleCache()
    scored = score_relevance(df, RelevanceParams(keywords=("rook",)), rule_cache=cache)
    got = classify(scored, rule_cache=cache)
    assert got[CATEGORIES].tolist() == expected[CATEGORIES].tolist()
    assert sum("vraag" in c for c in got[CATEGORIES]) >= 4  # the fallback languages' questions count
    assert calls == [(False, True)], calls  # one pass: all languages and the "?"-fallback together


@pytest.mark.parametrize("per_language_max", [5_000, 0])
def test_the_chain_matches_each_texts_rules_once(monkeypatch, per_language_max):
    """Relevance and classify in `chain.enrich` share one prefetched rule pass.

    Until 2026-12-07 `holds` took the prefetched result and `all_languages` then matched every
    rule again on the main thread (and a live batch's word features a second time): 2x the rule
    cost of every analysis, ~0,1 s of each +1,000 live update.
    """
    from pipeline.analysis import chain, learned
    from pipeline.analysis import classify as classify_module

    texts = [t for t, _ in CASES] + ["Czy mamy zamknąć okna?", "is it safe to go outside?"]
    df = pd.DataFrame({TEXT: texts, "message_id": range(len(texts))})
    params = chain.AnalysisParams(keywords=("rook", "brand"), description="brand in een loods")
    expected = chain.enrich(df, params)
    own_passes, words = [], []
    real_passes, real_words = classify_module._question_passes, learned.word_features
    monkeypatch.setattr(classify_module, "PER_LANGUAGE_MAX", per_language_max)

    def passes(texts, variants):
        if False in variants:  # our own question syntax (the "?"-fallback alone is per language group)
            own_passes.append(variants)
        return real_passes(texts, variants)

    monkeypatch.setattr(classify_module, "_question_passes", passes)
    monkeypatch.setattr(learned, "word_features", lambda *a: words.append(1) or real_words(*a))
    got = chain.enrich(df, params)
    pd.testing.assert_frame_equal(got, expected)
    assert len(own_passes) == 1, own_passes  # all-language question flags: once
    if per_language_max and learned.default_model() is not None:
        assert len(words) == 1  # the live batch's word features: once, on the rule worker


@pytest.mark.parametrize("max_chars", [2000, 12])
def test_distinct_texts_from_normalize_give_the_same_rules_and_columns(max_chars):
    """classify with `normalize_distinct`'s texts equals classify factorising CLEAN_TEXT itself."""
    import numpy as np

    from pipeline.analysis.classify import ClassifyParams, distinct_rules
    from pipeline.analysis.language import detect_language
    from pipeline.analysis.normalize import normalize_distinct

    texts = [t for t, _ in CASES] + [
        "RT [gebruiker]: " + CASES[0][0], CASES[1][0].upper(), "", None, "Czy mamy zamknąć okna?",
        "Pourquoi personne ne nous dit rien?", "stay indoors, is it safe?", CASES[2][0],
    ]
    officials = [i % 7 == 0 for i in range(len(texts))]  # official messages and their repeats
    normalized, distinct = normalize_distinct(pd.DataFrame({TEXT: texts, IS_OFFICIAL: officials}))
    df = detect_language(normalized, distinct=distinct)
    params = ClassifyParams(max_chars=max_chars)  # 12: texts cut, some cut texts become equal
    codes, u_texts, expected = distinct_rules(df, params)
    codes2, u_texts2, got = distinct_rules(df, params, distinct=distinct)
    assert np.array_equal(got[codes2], expected[codes])
    assert [u_texts2[c].as_py() for c in codes2] == [u_texts[c].as_py() for c in codes]
    pd.testing.assert_frame_equal(classify(df, params, distinct=distinct), classify(df, params))


def test_prefetched_rules_serve_the_texts_asked_for_and_pass_on_errors(monkeypatch):
    """`RuleCache.prefetch` matches on worker threads; what it returns equals matching in place."""
    import pyarrow as pa

    from pipeline.analysis import classify as classify_module
    from pipeline.analysis.classify import RuleCache, rule_matrix
    from pipeline.analysis.normalize import normalize

    clean = normalize(pd.DataFrame({TEXT: [t for t, _ in CASES] + ["Czy mamy zamknąć okna?"]}))["clean_text"]
    first, later = pa.array(clean.tolist()[:10]), pa.array(clean.tolist()[5:])
    cache = RuleCache()
    cache.prefetch(first)
    subset = first.take(pa.array([3, 1]))
    assert cache.all_languages(subset).tolist() == rule_matrix(subset).tolist()  # from the prefetch
    cache.prefetch(first)
    assert cache.all_languages(later).tolist() == rule_matrix(later).tolist()  # 5 texts not prefetched
    assert rule_matrix(later).any()

    from pipeline.analysis.learned import VocabularyFeatures, default_model, word_features

    base = default_model()
    if base is not None:  # the learned model's word features come along, for its vocabulary only
        cache.prefetch(first, VocabularyFeatures(base.vocab_))
        got = cache.words(subset, base.vocab_)
        assert (got != word_features(subset, base.vocab_)).nnz == 0 and got.nnz > 0
        assert cache.words(subset, pa.array(["rook"])) is None  # another vocabulary
        assert cache.words(later, base.vocab_) is None  # texts it did not see

    def broken(texts):
        raise RuntimeError("lexicon pattern broke")

    monkeypatch.setattr(classify_module, "_language_hits", broken)
    cache = RuleCache()
    cache.prefetch(first)
    with pytest.raises(RuntimeError, match="lexicon pattern broke"):
        cache.lookup(first)


def test_rule_cache_holds_only_the_same_texts_in_the_same_order() -> None:
    """`holds` lets relevance and classify skip the hash lookup: it must not say yes wrongly."""
    import pyarrow as pa

    from pipeline.analysis.classify import RuleCache

    texts = ["brand in de loods", "is het water veilig?", "ramen dicht"]
    cache = RuleCache()
    cache.prefetch(pa.array(texts, type=pa.string()))
    assert cache.holds(pa.array(texts, type=pa.large_string()))  # the analysis' own array type
    assert not cache.holds(pa.array(list(reversed(texts)), type=pa.string()))
    assert not cache.holds(pa.array(texts[:2], type=pa.string()))
    assert not cache.holds(pa.array(["brand in de loods", "is het water veilig?", "ramen open"]))
    assert not RuleCache().holds(pa.array(texts))


def test_analysis_chain_finds_reposts_of_official_messages_per_distinct_text() -> None:
    """The chain (distinct texts + rule cache) marks reposts of an official message as classify does."""
    from pipeline.analysis.chain import enrich

    official = "Brandweer: de brand in de loods is onder controle. Houd ramen en deuren nog gesloten."
    texts = [official, "RT @brandweer: " + official, "Eindelijk! " + official,
             "De brand is nog lang niet onder controle hier", official]
    frame = pd.DataFrame({TEXT: texts, IS_OFFICIAL: [True, False, False, False, False]})
    cats = enrich(frame)[CATEGORIES].tolist()
    assert ["officieel" in c for c in cats] == [True, True, True, False, True]


def test_shouted_alarm_reads_the_first_2000_characters_of_arrow_text_with_gaps() -> None:
    from pipeline.analysis.classify import shouted_alarm

    alarm = "LET OP!!! WATER NIET DRINKEN IN HEEL DE STAD"
    late = "x" * 2000 + " LET OP!!! WATER NIET DRINKEN IN HEEL DE STAD"  # "!!" only after 2,000 characters
    raw = pd.Series([alarm, None, late, "gewoon een bericht!!", alarm.lower()], dtype="string[pyarrow]")
    assert shouted_alarm(raw).tolist() == [True, False, False, False, False]
    assert shouted_alarm(raw.astype(object)).tolist() == [True, False, False, False, False]


def test_official_repeats_in_blocks_equal_all_at_once(monkeypatch) -> None:
    import numpy as np
    import pyarrow as pa

    from pipeline.analysis import classify as cl

    official = "brandweer: de brand in de loods is onder controle. houd ramen en deuren nog gesloten."
    texts = pa.array([official, "rt [gebruiker]: " + official, "iets anders over de brand vandaag hier",
                      "eindelijk! " + official, official[:50] + "…", "ok"])
    flags = np.array([True, False, False, False, False, True])
    whole = cl._repeats_official(texts, flags, cl.OFFICIAL_MIN_CHARS)
    monkeypatch.setattr(cl, "RULE_BLOCK", 2)
    assert cl._repeats_official(texts, flags, cl.OFFICIAL_MIN_CHARS).tolist() == whole.tolist()
    assert whole.tolist() == [True, True, False, True, True, False]
