"""Tests for pipeline.classify: rules per category, question syntax, sentiment, invariants."""

import pandas as pd
import pytest

from pipeline.classify import classify, question_mark_baseline
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
    # official style
    ("UPDATE: brand onder controle", "officieel"),
    ("Veiligheidsregio Midden- en West-Brabant meldt dat de brand meester is", "officieel"),
]


@pytest.mark.parametrize(("text", "code"), CASES)
def test_rule_finds_category(text: str, code: str) -> None:
    out = classify(pd.DataFrame({TEXT: [text]}))
    assert code in out[CATEGORIES].iloc[0]


@pytest.mark.parametrize(
    "text",
    [
        "waarom doet niemand iets??",
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
