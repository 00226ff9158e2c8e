"""The scrubber holds: a corpus of >= 100 personal-data forms, precision on real Dutch text, safe ids."""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd
import pytest

from pipeline.ingest import privacy
from tests.conftest import REPO, SHARED_DATA
from tests.scrub_corpus import cases, leaked

CT22 = SHARED_DATA / "ct22_dutch_train_half" / "ct22_dutch_train_half.tsv"
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
_PUNCT = ".,;:!?\"'()[]«»“”…"


def _words(text: str) -> Counter:
    """Ordinary words: whitespace tokens that are letters only once edge punctuation is stripped."""
    return Counter(w for w in (tok.strip(_PUNCT) for tok in text.split()) if w and _WORD.fullmatch(w))


def ordinary_words_removed(texts: list[str]) -> tuple[int, int]:
    """Return (ordinary words in the texts, how many of them scrubbing removed)."""
    scrubbed = privacy.scrub_text(pd.Series(texts)).tolist()
    total = removed = 0
    for before, after in zip(texts, scrubbed, strict=True):
        words = _words(before)
        total += sum(words.values())
        removed += sum((words - _words(after)).values())
    return total, removed


def test_corpus_scrubbed_per_kind():
    corpus = cases()
    assert len(corpus) >= 100
    out = privacy.scrub_text(pd.Series([text for _, text, _ in corpus])).tolist()
    total, missed = Counter(), {}
    for (kind, text, secret), scrubbed in zip(corpus, out, strict=True):
        total[kind] += 1
        if leaked(kind, scrubbed, secret):
            missed.setdefault(kind, []).append((text, scrubbed))
    assert set(total) == {"email", "phone", "handle", "url", "ip", "obfuscated"}
    for kind, n in total.items():
        assert (n - len(missed.get(kind, []))) / n >= 0.98, (kind, missed[kind])


def test_the_batch_scrub_skips_only_steps_that_cannot_match():
    """`privacy.rare_flags` (one RE2 pass) lets most texts skip the obfuscated-address, phone and IP
    steps: the batch scrub must equal the one-text scrub, which takes every step."""
    base = [text for _, text, _ in cases()]
    texts = (base + [t.upper() for t in base] + ["\u200b".join(t) for t in base[:40]]
             + [f"zie https://x.nl/a?b=1 en {t}" for t in base]
             + ["bel 06\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668 nu",  # Arabic-Indic digits
                "+31 (0) - 6 12345",  # four characters between two digits of one number
                "jan AT example DOT com", "mail jan@\u200bexample.nl", "gewoon een tekst zonder iets"])
    column = pd.Series(texts, dtype="str")
    assert privacy.scrub_text(column).tolist() == [privacy.scrub_free_text(t) for t in texts]
    assert privacy.scrub_text_and_domains(column)[0].tolist() == [privacy.scrub_free_text(t) for t in texts]
    flags = privacy.rare_flags(column)
    assert 0 < flags.sum() < len(texts)  # some texts do skip the steps


@pytest.mark.parametrize("text", [
    "RT@janjansen", "u/janjansen", "@\u200bjanjansen", "\uff20janjansen", "06.12.34.56.78", "06/12345678",
    "evil.tech/pad", "ftp://files.example/x", "//host.example/p.png", "192.168.1.10/admin",
    "jan.jansen@gmail", "jan(at)example.com"])
def test_the_twelve_forms_that_leaked(text):
    out = privacy.scrub_text(pd.Series([f"zie {text} nu"]))[0]
    assert re.fullmatch(r"zie (RT )?\[(gebruiker|e-mail|telefoon|link)\] nu", out), out


@pytest.mark.parametrize("text", [
    "P 2 BON-01 Dier op hoogte Zwolle 041650 041631",  # P2000 capcodes are not phones
    "om 14:30 op 12.07.2026 en 01/07/2026", "€ 0.50 per stuk, 1.500 mensen",
    "Onwerkelijk 😶\u200d🌫️ #Zandven",  # a joiner inside an emoji stays
    "roepen, kijk op crisis.nl", "en/of 3/4 km/u", "u/w huis", "v1.2.3 update",
])
def test_ordinary_text_survives(text):
    assert privacy.scrub_text(pd.Series([text]))[0] == text


def test_precision_on_demo_texts():
    demo = pd.read_csv(REPO / "data" / "demo_incident.csv", sep=";", encoding="utf-8-sig", dtype=str)
    total, removed = ordinary_words_removed(demo["Bericht"].fillna("").tolist())
    assert total > 50_000
    assert removed / total <= 0.02, (removed, total)


def test_precision_metric_can_fail():
    total, removed = ordinary_words_removed(["mail jan.jansen@gmail.com", "bel 06 12 34 56 78"])
    assert (total, removed) == (2, 0)
    total, removed = ordinary_words_removed(["zie @janjansen"])
    assert (total, removed) == (1, 0)  # the handle is not an ordinary word; "zie" stays


@pytest.mark.skipif(not CT22.exists(), reason=f"real Dutch tweets not available at {CT22}")
def test_precision_on_real_dutch_tweets():
    texts = pd.read_csv(CT22, sep="\t", dtype=str)["text"].fillna("").tolist()
    total, removed = ordinary_words_removed(texts)
    assert total > 10_000
    assert removed / total <= 0.02, (removed, total)


@pytest.mark.parametrize("raw, stored", [
    ("https://x.com/janjansen/status/1234567890", "1234567890"),
    ("x.com/janjansen/status/1234567890?s=20", "1234567890"),
    ("2383892717948995_5045708969992744", "2383892717948995_5045708969992744"),
    ("t3_abc12", "t3_abc12"),
])
def test_source_ids_never_hold_a_permalink(raw, stored):
    assert privacy.safe_source_ids(pd.Series([raw]))[0] == stored


def test_source_id_without_number_is_hashed():
    out = privacy.safe_source_ids(pd.Series(["https://instagram.com/p/jan.jansen/"]))[0]
    assert re.fullmatch(r"h_[0-9a-f]{16}", out)


def test_prepare_messages_stores_no_permalink_id():
    raw = pd.DataFrame({"text": ["rook"], "platform": ["X"], "author_raw": ["@janjansen"],
                        "source_id": ["https://x.com/janjansen/status/1234567890"],
                        "url_raw": ["https://x.com/janjansen/status/1234567890"],
                        "created_at": [pd.Timestamp("2026-07-11 12:00", tz="UTC")]})
    out = privacy.prepare_messages(raw, b"k" * 32, None)
    assert "janjansen" not in " ".join(out.astype(str).to_numpy().ravel())
    assert out["source_id"][0] == "1234567890"
