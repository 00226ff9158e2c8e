"""Tests for pipeline.analysis.normalize: CLEAN_TEXT and TERMS."""

import pandas as pd
import pytest

from pipeline.analysis import normalize as normalize_module
from pipeline.analysis.normalize import (
    NormalizeParams,
    clean_text,
    normalize,
    normalize_distinct,
    split_hashtag,
    stem,
    terms_of,
    tokenize,
)
from pipeline.schema import CLEAN_TEXT, TERMS, TEXT

EDGE_TEXTS = [
    "RT [gebruiker]: #RamenDicht!!! Het stinkt heeeel erg 😢😢 [link]",  # repost, hashtag, elongation
    "",  # empty text
    "😢🔥",  # emoji only
    "[link]",  # only a link
    "Grote brand bij de haven, fire and smoke everywhere",  # mixed language
    "rook " * 600,  # very long text (capped)
    "حريق كبير في المدينة والدخان في كل مكان",  # RTL text (Arabic)
    None,  # missing text
]


@pytest.fixture
def edge_frame() -> pd.DataFrame:
    return pd.DataFrame({TEXT: EDGE_TEXTS, "other": range(len(EDGE_TEXTS))})


def test_only_adds_columns_and_keeps_input(edge_frame):
    before = edge_frame.copy()
    out = normalize(edge_frame)
    pd.testing.assert_frame_equal(edge_frame, before)  # input not mutated
    pd.testing.assert_frame_equal(out.drop(columns=[CLEAN_TEXT, TERMS]), edge_frame)
    assert len(out) == len(edge_frame)


def test_deterministic(edge_frame):
    pd.testing.assert_frame_equal(normalize(edge_frame), normalize(edge_frame))


def test_edge_cases(edge_frame):
    out = normalize(edge_frame)
    clean, terms = out[CLEAN_TEXT].tolist(), out[TERMS].tolist()
    assert clean[0] == "ramen dicht! het stinkt heel erg 😢😢 [link]"
    assert terms[0] == ("ramen", "dicht", "stinkt", "erg", "😢", "😢")
    assert (clean[1], terms[1]) == ("", ())
    assert terms[2] == ("😢", "🔥")
    assert (clean[3], terms[3]) == ("[link]", ())  # placeholder kept as token, dropped as term
    assert {"brand", "haven", "fire", "smoke"} <= set(terms[4])
    assert len(clean[5]) <= 1000
    assert "حريق" in terms[6] and "في" not in terms[6]  # Arabic stop word removed
    assert (clean[7], terms[7]) == ("", ())
    assert all(isinstance(t, tuple) for t in terms)


def test_hashtags():
    assert split_hashtag("RamenDicht") == "ramen dicht"
    assert split_hashtag("NLAlert") == "nlalert"
    assert split_hashtag("brandheidewijk") == "brand heide wijk"
    assert split_hashtag("prayforboston") == "prayforboston"  # no complete split: left alone
    assert clean_text("#brandsteenwijk", NormalizeParams(extra_words=("steen",))) == "brand steen wijk"


def test_keep_list_beats_stopwords():
    terms = normalize(pd.DataFrame({TEXT: ["Niet naar buiten, blijf thuis! No fire here, help"]}))[TERMS][0]
    for word in ("niet", "buiten", "no", "fire", "help"):
        assert word in terms
    assert "naar" not in terms and "here" not in terms


def test_numbers_and_short_tokens():
    text = "Bel 112 om 17:30 u x"
    assert normalize(pd.DataFrame({TEXT: [text]}))[TERMS][0] == ("bel", "112")
    kept = normalize(pd.DataFrame({TEXT: [text]}), NormalizeParams(keep_numbers=True))[TERMS][0]
    assert "17" in kept


def test_emoji_sequences_stay_whole():
    terms = normalize(pd.DataFrame({TEXT: ["🇳🇱 👍🏽 👨‍👩‍👧"]}))[TERMS][0]
    assert terms == ("🇳🇱", "👍🏽", "👨\u200d👩\u200d👧")


def test_entities_and_apostrophes():
    assert clean_text("Fire &amp; smoke") == "fire & smoke"
    assert clean_text("z’n huis") == "z'n huis"


def test_stem():
    assert stem("branden", "nl") == "brand"
    assert stem("fires", "en") == "fire"
    assert stem("yangın", "tr") == "yangın"  # no Turkish stemmer: unchanged
    assert stem("😢", "nl") == "😢"


def test_ascii_fast_tokenizer_gives_the_full_tokenizer_tokens():
    from pipeline.analysis.normalize import TOKEN_RE, tokenize

    samples = [
        "Rook bij [link] en [gebruiker]: ramen-dicht, 112 gebeld! it's 5x_y O'Neil --x a-b-c 'quoted' A-",
        "[e-mail] [telefoon] [onbekend] #tag @x 3.5 km, 10:30u, co2-meting x-ray ABC DEF",
        "", "   ", "---", "a'b'c d--e f''g",
    ]
    for text in samples:
        assert text.isascii()
        assert tokenize(text) == TOKEN_RE.findall(text), text
    assert tokenize("héél 😱 rook") == TOKEN_RE.findall("héél 😱 rook") == ["héél", "😱", "rook"]


def tokens_of(distinct):
    ids, offsets = distinct.token_ids, distinct.token_offsets
    return [[distinct.vocab[i] for i in ids[a:b]] for a, b in zip(offsets[:-1], offsets[1:], strict=True)]


def test_distinct_texts_describe_the_frame(edge_frame):
    # Rows 0 and 8 differ only in what cleaning removes (case, the RT prefix, elongation); row 9 repeats
    # row 4; the missing text (row 7) cleans to "" as the empty one (row 1).
    more = pd.DataFrame({TEXT: ["#RamenDicht!!! het stinkt heel erg 😢😢 [link]", EDGE_TEXTS[4]],
                         "other": [8, 9]})
    frame = pd.concat([edge_frame, more], ignore_index=True)
    out, distinct = normalize_distinct(frame)
    pd.testing.assert_frame_equal(out, normalize(frame))
    cleaned = distinct.cleaned.to_pylist()
    assert len(set(cleaned)) == len(cleaned) == len(frame) - 3  # each cleaned text once
    assert [cleaned[c] for c in distinct.codes] == out[CLEAN_TEXT].tolist()
    assert tokens_of(distinct) == [tokenize(c) for c in cleaned]


def test_distinct_terms_equal_terms_of_across_blocks(monkeypatch):
    # Blocks of 3 texts, tokens factorised 2 at a time: ids and terms must carry over between them.
    monkeypatch.setattr(normalize_module, "DISTINCT_BLOCK", 3)
    monkeypatch.setattr(normalize_module, "TOKEN_BLOCK", 2)
    texts = ["brand in de haven", "de haven brandt", "Brand! haven 112 rook", "", "rook rook rook", "ik rook"]
    out, distinct = normalize_distinct(pd.DataFrame({TEXT: texts}))
    assert out[TERMS].tolist() == [terms_of(clean_text(t)) for t in texts]
    assert tokens_of(distinct) == [tokenize(c) for c in distinct.cleaned.to_pylist()]
