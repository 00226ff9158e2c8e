"""Text normalisation: adds CLEAN_TEXT (analysis text) and TERMS (content terms).

TEXT arrives privacy-scrubbed with placeholders (`[gebruiker]`, `[e-mail]`,
`[telefoon]`, `[link]`). CLEAN_TEXT keeps them as single tokens; TERMS drops
them. Work is done once per distinct text (reposts repeat the same text), with
compiled regexes instead of nltk's slow TweetTokenizer.

Word lists (one word a line, `#` comments) live in `pipeline/resources/`:
`normalize_keep.txt` (crisis words never treated as stop words),
`normalize_stopwords_extra.txt` (informal Dutch stop words),
`normalize_hashtag_words.txt` (parts for splitting lower-case hashtags).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import regex
from stop_words import get_stop_words

from pipeline.arrays import STR, release_arrow_memory
from pipeline.schema import CLEAN_TEXT, TERMS, TEXT

RESOURCES = Path(__file__).resolve().parents[1] / "resources"

PLACEHOLDERS = ("[gebruiker]", "[e-mail]", "[telefoon]", "[link]")

# Languages whose stop-word lists (package `stop-words`) are merged. Persian is
# left out: its list holds many content words.
STOPWORD_LANGUAGES = (
    "dutch", "english", "german", "french", "spanish", "italian", "portuguese",
    "polish", "turkish", "arabic", "russian", "ukrainian", "bulgarian",
)

SNOWBALL_LANGUAGES = {"nl": "dutch", "en": "english", "de": "german", "fr": "french",
                      "es": "spanish", "it": "italian", "pt": "portuguese", "ro": "romanian",
                      "ru": "russian", "ar": "arabic"}


@dataclass(frozen=True)
class NormalizeParams:
    """Settings for `normalize`.

    Attributes:
        max_chars: texts are cut to this many characters before any work.
        split_hashtags: split `#RamenDicht` / `#brandheidewijk` into words.
        extra_words: extra words (e.g. incident place names) for hashtag splitting.
        keep_numbers: keep numbers (times, dates, counts) as terms; `112` is always kept.
        min_term_length: shorter word tokens are dropped (emoji are always kept).

    """

    max_chars: int = 1000
    split_hashtags: bool = True
    extra_words: tuple[str, ...] = ()
    keep_numbers: bool = False
    min_term_length: int = 2


def read_word_list(name: str) -> frozenset[str]:
    """Return the lower-cased words of a resource word list (comments skipped)."""
    words = set()
    for line in (RESOURCES / name).read_text(encoding="utf-8").splitlines():
        line = line.strip().lower()
        if line and not line.startswith("#"):
            words.add(line)
    return frozenset(words)


@lru_cache(maxsize=1)
def keep_words() -> frozenset[str]:
    """Return the crisis words that are never stop words."""
    return read_word_list("normalize_keep.txt")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Return the merged multilingual stop-word set minus the keep-list."""
    words: set[str] = set(read_word_list("normalize_stopwords_extra.txt"))
    for lang in STOPWORD_LANGUAGES:
        words.update(w.lower().replace("’", "'") for w in get_stop_words(lang))
    return frozenset(words - keep_words())


@lru_cache(maxsize=1)
def _hashtag_words() -> frozenset[str]:
    return read_word_list("normalize_hashtag_words.txt")


# --- regexes ---------------------------------------------------------------
_RT_PREFIX = regex.compile(r"^\s*RT\b\s*(?:\[gebruiker\]\s*:?\s*)?", regex.IGNORECASE)
_HASHTAG = regex.compile(r"#([\p{L}\p{M}\p{Nd}_]+)")
_CAMEL = regex.compile(r"(?<=\p{Ll})(?=\p{Lu})|(?<=\p{L})(?=\p{Nd})|(?<=\p{Nd})(?=\p{L})|_")
# One pass for elongations ("heeeel" -> "heel") and repeated punctuation ("!!!" -> "!").
_SQUEEZE = re.compile(r"([^\W\d_])\1\1+|([!?.,;:])\2+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})

_EMOJI = (
    r"\p{RI}\p{RI}"
    r"|\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier}|\u200D\p{Extended_Pictographic}\uFE0F?)*"
)
_WORD = r"[\p{L}\p{M}\p{Nd}]+(?:['\-][\p{L}\p{M}\p{Nd}]+)*"
TOKEN_RE = regex.compile(
    r"\[(?:gebruiker|e-mail|telefoon|link)\]|" + _EMOJI + "|" + _WORD
)
_EMOJI_RE = regex.compile(_EMOJI)


def is_emoji(token: str) -> bool:
    """Return True if `token` is an emoji (or flag) token."""
    return _EMOJI_RE.fullmatch(token) is not None


WORD_RE = regex.compile(_WORD)


def word_tokens(text: str) -> list[str]:
    """Return the lower-cased word tokens (letters of any script, marks, digits) of a text.

    The one word tokeniser of the project for callers that want words only (no placeholders or
    emoji), e.g. the term uptake of `pipeline.views.effect`: "łąka szkoła" -> ["łąka", "szkoła"].
    """
    return WORD_RE.findall(str(text).lower())


# TOKEN_RE restricted to ASCII (no emoji, letters A-Z, digits 0-9): the same tokens for an ASCII
# text, with the faster standard `re` engine.
_ASCII_TOKEN_RE = re.compile(r"\[(?:gebruiker|e-mail|telefoon|link)\]|[A-Za-z0-9]+(?:['\-][A-Za-z0-9]+)*")


def tokenize(clean_text: str) -> list[str]:
    """Return the tokens of a cleaned text: placeholders, emoji, words, numbers."""
    return (_ASCII_TOKEN_RE if clean_text.isascii() else TOKEN_RE).findall(clean_text)


@lru_cache(maxsize=100_000)
def split_hashtag(tag: str, extra_words: frozenset[str] = frozenset()) -> str:
    """Return a hashtag body as lower-case words (CamelCase, then word-list split)."""
    if any(c.isupper() for c in tag) and any(c.islower() for c in tag):
        parts = [p for p in _CAMEL.split(tag) if p]
        if len(parts) > 1:
            return " ".join(p.lower() for p in parts).replace("_", " ")
    low = tag.lower().replace("_", " ")
    if " " in low:
        return low
    return _segment(low, _hashtag_words() | extra_words)


def _segment(word: str, vocab: frozenset[str]) -> str:
    """Split `word` completely into vocabulary words (>= 3 letters, fewest parts)."""
    if word in vocab or len(word) < 6 or len(word) > 40:
        return word
    n = len(word)
    # best[i] = fewest parts covering word[:i], with the split points.
    best: list[tuple[int, list[int]] | None] = [None] * (n + 1)
    best[0] = (0, [])
    for i in range(3, n + 1):
        for j in range(0, i - 2):
            if best[j] is not None and word[j:i] in vocab:
                cand = (best[j][0] + 1, best[j][1] + [i])
                if best[i] is None or cand[0] < best[i][0]:
                    best[i] = cand
    if best[n] is None or best[n][0] < 2:
        return word
    cuts = [0, *best[n][1]]
    return " ".join(word[a:b] for a, b in zip(cuts, cuts[1:], strict=False))


def clean_text(text: str, params: NormalizeParams = NormalizeParams()) -> str:
    """Return the lower-cased analysis text of one message."""
    return _clean(text, params.max_chars, params.split_hashtags, frozenset(params.extra_words))


def _squeeze(m: re.Match) -> str:
    return m.group(1) * 2 if m.group(1) else m.group(2)


def _clean(text: str, max_chars: int, split_tags: bool, extra: frozenset[str]) -> str:
    text = text[:max_chars]
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    if "&" in text:
        text = html.unescape(text)
    if "RT" in text[:8] or "rt" in text[:8]:
        text = _RT_PREFIX.sub("", text)
    if "#" in text:
        if split_tags:
            text = _HASHTAG.sub(lambda m: split_hashtag(m.group(1), extra), text)
        else:
            text = _HASHTAG.sub(lambda m: m.group(1), text)
    text = _SQUEEZE.sub(_squeeze, text.lower())
    return " ".join(text.split())


def terms_of(clean: str, params: NormalizeParams = NormalizeParams()) -> tuple[str, ...]:
    """Return the content terms of a cleaned text (stop words and placeholders dropped)."""
    decided = _decisions(params.keep_numbers, params.min_term_length)
    if len(decided) > 500_000:
        decided.clear()
    out = []
    for tok in tokenize(clean):
        term = decided.get(tok)
        if term is None:
            term = decided[tok] = tok if _is_term(tok, params.keep_numbers, params.min_term_length) else ""
        if term:
            out.append(term)  # the one shared string object per term: terms of many texts cost little
    return tuple(out)


@lru_cache(maxsize=8)
def _decisions(keep_numbers: bool, min_length: int) -> dict[str, str]:
    # token -> the token itself if it is a term, else ""; vocabularies are Zipfian, so this dict stays small.
    return {}


def _is_term(tok: str, keep_numbers: bool, min_length: int) -> bool:
    first = tok[0]
    if first == "[":
        return False  # placeholder
    if tok in keep_words():
        return True
    if not first.isalnum() and not unicodedata.category(first).startswith("M"):
        return True  # emoji / flag
    if _is_number(tok):
        return keep_numbers and len(tok) > 1
    return len(tok) >= min_length and tok not in stopwords()


def _is_number(tok: str) -> bool:
    return tok[0].isdigit() and not any(c.isalpha() for c in tok)


def str_column(values: list[str] | pa.Array, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """Return the "str" column `values[codes]`, expanded in Arrow (no Python object per row)."""
    values = values if isinstance(values, pa.Array) else pa.array(values, type=pa.large_string())
    arr = values.take(pa.array(np.asarray(codes, dtype=np.int64)))
    return pd.Series(arr.to_pandas(types_mapper={arr.type: STR}.get).array, index=index)


DISTINCT_BLOCK = 50_000  # distinct texts turned into Python strings at a time (bounds the peak memory)


@dataclass(frozen=True)
class DistinctTexts:
    """The distinct cleaned texts of a frame, for the stages after `normalize` (`analysis.chain.enrich`).

    Every later stage decides per distinct cleaned text; with this they neither factorise the
    per-row CLEAN_TEXT column again nor tokenise the texts a second time.

    Attributes:
        codes: per row of the frame, the index of its cleaned text in `cleaned`.
        cleaned: the distinct cleaned texts (Arrow strings, each once).
        token_ids: `tokenize(text)` of every distinct cleaned text, one after the other, as indices
            into `vocab` (int32); text i's tokens are `token_ids[token_offsets[i]:token_offsets[i + 1]]`.
        token_offsets: where each text's tokens start (int64, one more than texts).
        vocab: the distinct tokens.

    """

    codes: np.ndarray
    cleaned: pa.Array
    token_ids: np.ndarray
    token_offsets: np.ndarray
    vocab: list[str]

    def without_tokens(self) -> DistinctTexts:
        """Return the same texts without their tokens (frees them once no stage needs them)."""
        return DistinctTexts(self.codes, self.cleaned, np.zeros(0, dtype=np.int32),
                             np.zeros(len(self.cleaned) + 1, dtype=np.int64), [])


TOKEN_BLOCK = 5_000  # texts whose tokens are factorised together (few Python strings alive at once)


def token_table(cleaned: list[str] | pa.Array) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Return (token ids, offsets, vocabulary) of `tokenize` over the cleaned texts (as `DistinctTexts`)."""
    known: dict[str, int] = {}
    vocab: list[str] = []
    ids: list[int] = []
    offsets = np.zeros(len(cleaned) + 1, dtype=np.int64)
    texts = cleaned.to_pylist() if isinstance(cleaned, pa.Array) else cleaned
    for i, c in enumerate(texts, 1):
        for tok in tokenize(c):
            j = known.get(tok)
            if j is None:
                j = known[tok] = len(vocab)
                vocab.append(tok)
            ids.append(j)
        offsets[i] = len(ids)
    return np.asarray(ids, dtype=np.int32), offsets, vocab


def normalize(df: pd.DataFrame, params: NormalizeParams = NormalizeParams()) -> pd.DataFrame:
    """Add CLEAN_TEXT (lower-cased analysis text) and TERMS (tuple of content terms)."""
    return normalize_distinct(df, params)[0]


def normalize_distinct(df: pd.DataFrame, params: NormalizeParams = NormalizeParams()
                       ) -> tuple[pd.DataFrame, DistinctTexts]:
    """Return `normalize(df, params)` and its distinct cleaned texts with their tokens (`DistinctTexts`)."""
    texts = df[TEXT] if TEXT in df else pd.Series("", index=df.index)
    # Factorise as stored (no string copy of the whole column); missing -> "", other values -> str.
    codes, uniques = pd.factorize(texts, use_na_sentinel=False)
    extra = frozenset(w.lower() for w in params.extra_words)
    blocks = []  # the cleaned texts as Arrow blocks: never all distinct texts as Python strings at once
    for lo in range(0, len(uniques), DISTINCT_BLOCK):
        blocks.append(pa.array([_clean(t if isinstance(t, str) else "" if pd.isna(t) else str(t),
                                       params.max_chars, params.split_hashtags, extra)
                                for t in uniques[lo:lo + DISTINCT_BLOCK]], type=pa.large_string()))
    del uniques
    distinct = pa.concat_arrays(blocks) if blocks else pa.array([], type=pa.large_string())
    del blocks
    # Texts that differ only in what cleaning removes (case, an "RT" prefix, elongations) clean to the
    # same text: each cleaned text is tokenised once, and the later stages see it once. Deduplicated
    # before tokenising (not after, as until 2026-12-07): no token table of the duplicates is made
    # and then compacted, and the tokens and terms are not yet alive while the cleaned texts are
    # encoded (at 1M messages that moment was the analysis' peak memory).
    encoded = pc.dictionary_encode(distinct)
    clean_codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    cleaned = encoded.dictionary
    del distinct, encoded
    # The blocks, their concatenation and the encoding's hash table are free now; the tokens below
    # are Python objects that cannot reuse the pages Arrow's pool keeps: hand them back first.
    release_arrow_memory()
    terms = np.empty(len(cleaned), dtype=object)
    id_of: dict[str, int] = {}  # token -> its index in vocab
    vocab: list[str] = []
    term_of: list[str] = []  # per vocab token: its term (the one shared string object), or ""
    ids = []  # per block: the token ids of its texts, one after the other
    offsets = np.zeros(len(cleaned) + 1, dtype=np.int64)
    for lo in range(0, len(cleaned), DISTINCT_BLOCK):
        block_texts = cleaned.slice(lo, DISTINCT_BLOCK).to_pylist()
        decided = _decisions(params.keep_numbers, params.min_term_length)
        if len(decided) > 500_000:
            decided.clear()
        for sub in range(0, len(block_texts), TOKEN_BLOCK):
            # The tokens of a few thousand texts in one list; each distinct token decided once (as terms_of).
            flat: list[str] = []
            ends = [0]
            for c in block_texts[sub:sub + TOKEN_BLOCK]:
                flat.extend(tokenize(c))
                ends.append(len(flat))
            block_codes, block_vocab = pd.factorize(np.asarray(flat, dtype=object))
            del flat
            global_id = np.empty(len(block_vocab), dtype=np.int64)
            block_terms = np.empty(len(block_vocab), dtype=object)
            for j, tok in enumerate(block_vocab.tolist()):
                g = id_of.get(tok)
                if g is None:
                    term = decided.get(tok)
                    if term is None:
                        is_term = _is_term(tok, params.keep_numbers, params.min_term_length)
                        term = decided[tok] = tok if is_term else ""
                    g = id_of[tok] = len(vocab)
                    vocab.append(tok)
                    term_of.append(term)
                global_id[j] = g
                block_terms[j] = term_of[g]
            ids.append(global_id[block_codes].astype(np.int32))
            flat_terms = block_terms[block_codes].tolist()
            del block_codes, block_vocab, block_terms
            start = lo + sub
            for i in range(len(ends) - 1):  # = terms_of(cleaned text, params)
                terms[start + i] = tuple(filter(None, flat_terms[ends[i]:ends[i + 1]]))
            offsets[start + 1:start + len(ends)] = np.asarray(ends[1:], dtype=np.int64) + offsets[start]
            del flat_terms
        del block_texts
    del id_of, term_of
    ids = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int32)
    row_codes = clean_codes[codes] if len(codes) else np.zeros(0, dtype=np.int64)
    clean_col = str_column(cleaned, row_codes, df.index)
    terms_col = pd.Series(terms[row_codes], index=df.index, dtype=object)
    out = df.assign(**{CLEAN_TEXT: clean_col, TERMS: terms_col})
    return out, DistinctTexts(row_codes, cleaned, ids, offsets, vocab)


@lru_cache(maxsize=200_000)
def stem(term: str, lang: str) -> str:
    """Return the Snowball stem of `term` for ISO 639-1 `lang` (term itself if unsupported)."""
    name = SNOWBALL_LANGUAGES.get(lang)
    if name is None or is_emoji(term):
        return term
    return _stemmer(name).stem(term)


@cache
def _stemmer(name: str):
    from nltk.stem.snowball import SnowballStemmer  # lazy: start-up time

    return SnowballStemmer(name)
