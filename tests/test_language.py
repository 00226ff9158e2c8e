"""Tests for pipeline.analysis.language: LANGUAGE."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.analysis.language import (
    LanguageParams,
    detect_language,
    detect_language_one,
    detect_languages,
    detection_text,
    evaluate_language,
    load_language_eval,
)
from pipeline.analysis.normalize import normalize
from pipeline.schema import CLEAN_TEXT, LANGUAGE, TEXT, UNDETERMINED_LANGUAGE

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

CASES = [
    ("Grote brand bij het bedrijf, houd ramen en deuren gesloten", "nl"),
    ("Huge fire at the chemical plant, everyone stay inside", "en"),
    ("Großer Brand im Hafen, bitte Fenster geschlossen halten", "de"),
    ("Un grand incendie près du port, restez chez vous", "fr"),
    ("Duży pożar w porcie, zamknijcie okna", "pl"),
    ("Limanda büyük yangın var, pencereleri kapatın", "tr"),
    ("حريق كبير في الميناء، أغلقوا النوافذ", "ar"),  # RTL, Arabic script
    ("آتش سوزی بزرگ در بندر، پنجره ها را ببندید", "fa"),  # Persian letters
    ("Большой пожар в порту, закройте окна", "ru"),
    ("Голяма пожар в пристанището, затворете прозорците", "bg"),
    ("Велика пожежа в порту, зачиніть вікна", "uk"),
    ("港口发生大火，请关好窗户", "zh"),
    ("ሓደጋ ሓዊ ኣብ ወደብ", "ti"),
    ("", UNDETERMINED_LANGUAGE),  # empty
    ("😢😢", UNDETERMINED_LANGUAGE),  # emoji only
    ("[link]", UNDETERMINED_LANGUAGE),  # only a link
    ("!!! 112 #1", UNDETERMINED_LANGUAGE),  # punctuation and numbers only
    ("[gebruiker] [gebruiker] ok", UNDETERMINED_LANGUAGE),  # two letters left
]

SHORT_DUTCH = ["Ramen dicht!", "Stinkt hier", "mag ik blijven?", "Gas dicht?", "Alles dicht hier",
               "Stinkt enorm", "Grote brand", "Blijf binnen", "Hoor sirenes", "Help"]


def test_cases():
    df = pd.DataFrame({TEXT: [t for t, _ in CASES]})
    assert detect_language(df)[LANGUAGE].tolist() == [lang for _, lang in CASES]


def test_short_dutch_is_not_german():
    out = detect_language(pd.DataFrame({TEXT: SHORT_DUTCH}))[LANGUAGE]
    assert out.tolist() == ["nl"] * len(SHORT_DUTCH)


def test_short_german_and_english_stay():
    texts = ["Ich bleibe zu Hause", "Wo ist das Feuer?", "Scheiße", "Stay inside", "Is it safe?"]
    assert detect_language(pd.DataFrame({TEXT: texts}))[LANGUAGE].tolist() == ["de", "de", "de", "en", "en"]


def test_mixed_language_and_very_long_text():
    texts = ["Grote brand hier, fire everywhere, echt niet normaal wat hier gebeurt", "woord " * 2000]
    assert detect_language(pd.DataFrame({TEXT: texts}))[LANGUAGE].tolist() == ["nl", "nl"]


def test_short_text_fallback_is_what_makes_short_dutch_dutch():
    df = pd.DataFrame({TEXT: ["Ramen dicht!"]})
    no_fallback = LanguageParams(short_letters=0, min_confidence=0.0)
    assert detect_language(df, no_fallback)[LANGUAGE][0] == "de"  # the bare detector's answer
    assert detect_language(df)[LANGUAGE][0] == "nl"


def test_only_adds_column_and_works_after_normalize():
    raw = pd.DataFrame({TEXT: [t for t, _ in CASES], "n": range(len(CASES))})
    out = detect_language(raw)
    pd.testing.assert_frame_equal(out.drop(columns=[LANGUAGE]), raw)
    normed = normalize(raw)
    out2 = detect_language(normed)
    pd.testing.assert_frame_equal(out2.drop(columns=[LANGUAGE]), normed)
    assert out2[LANGUAGE].tolist() == out[LANGUAGE].tolist()
    assert CLEAN_TEXT not in out  # computed internally, not added


def test_deterministic_and_repeated_texts():
    df = pd.DataFrame({TEXT: ["Ramen dicht!", "Huge fire", "Ramen dicht!"] * 3})
    out = detect_language(df)[LANGUAGE]
    assert out.tolist() == ["nl", "en", "nl"] * 3
    pd.testing.assert_series_equal(out, detect_language(df)[LANGUAGE])


def test_detection_text_strips_noise():
    assert detection_text("kijk [link] [gebruiker] 😢 112 http://x.nl/abc nu!") == "kijk nu"


def test_evaluate_language_on_shared_data():
    if not (DATA / "ct22_dutch_dev").exists():
        pytest.skip(f"research data not found at {DATA}")
    table = evaluate_language(DATA, datasets=("ct22_dutch_dev", "nl_political"))
    dutch = table[table["language"] == "nl"]
    assert len(dutch) == 2 and (dutch["accuracy"] >= 0.99).all()
    assert set(table.columns) == {"dataset", "language", "n", "n_und", "accuracy"}


def test_batched_detector_gives_the_single_text_answers():
    texts = [t for t, _ in CASES] + SHORT_DUTCH + [
        "Ich bleibe zu Hause", "Is it safe?", "https://t.co/abc", "woord " * 400, "ÉCOLE FERMÉE",
        "zzzz qqqq xxxx", "Rook boven Moerdijk, ramen en deuren dicht en ventilatie uit",
    ]
    if (DATA / "ct22_dutch_dev").exists():  # plus real tweets in every language of the shared data
        data = load_language_eval(DATA)
        texts += data.groupby("gold").head(150)[TEXT].tolist()
    det = [detection_text(normalize(pd.DataFrame({TEXT: [t]}))[CLEAN_TEXT][0]) for t in texts]
    assert detect_languages(det) == [detect_language_one(t) for t in det]
    # the raw scores too (same numbers up to float32 rounding), so a changed py3langid shows up here
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    from pipeline.analysis.language import LATIN_LANGUAGES, detector_scores

    latin = [t for t in det if t.strip()][:200]
    ident = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=False)
    ident.set_languages(list(LATIN_LANGUAGES))
    ref = np.array([[dict(ident.rank(t))[lang] for lang in ident.nb_classes] for t in latin])
    got = detector_scores(latin, LATIN_LANGUAGES)
    assert np.allclose(got, ref, rtol=1e-4, atol=0.05)
    assert (got.argmax(axis=1) == ref.argmax(axis=1)).all()


def test_the_longest_texts_walked_one_by_one_score_as_in_lockstep(monkeypatch):
    # detector_scores walks all texts a byte at a time in numpy, the last few (longest) in a Python
    # loop: each way alone must give the same numbers, for Latin and Cyrillic tables
    from pipeline.analysis import language

    texts = ([t for t, _ in CASES] + SHORT_DUTCH + ["woord " * 300, "дым над городом " * 20,
                                                   "Пожежа у промзоні, зачиніть вікна", ""]) * 3
    for codes in (language.LATIN_LANGUAGES, language.CYRILLIC_LANGUAGES):
        results = []
        for tail in (0, 32, 10**9):  # lockstep only, the default, Python only
            monkeypatch.setattr(language, "_TAIL_TEXTS", tail)
            results.append(language.detector_scores(texts, codes))
        assert np.array_equal(results[0], results[1]) and np.array_equal(results[0], results[2])


def test_ascii_detection_text_is_the_full_rule():
    # A non-ASCII word at the end sends a text through the full (Unicode) rule: same letters before it.
    for text in ["kijk [link] nu!! it's o'neil's 2e_keer x-ray 'quote' a''b www.x.nl @piet #Tag 112",
                 "ABC def_GHI j2k l'", "a' 'b 'c' 1'd", ""]:
        assert text.isascii()
        assert detection_text(text + " é") == (detection_text(text) + " é").strip()
