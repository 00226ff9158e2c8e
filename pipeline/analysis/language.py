"""Language detection: adds LANGUAGE (ISO 639-1 code, or "und" when undecidable).

How a message is decided (measured choices: see `evaluate_language`):
1. Links, placeholders, handles, hashtag signs, emoji, numbers and punctuation
   are stripped; fewer than `min_letters` letters left -> "und" (no guess).
2. A non-Latin script decides directly (Arabic script -> ar/fa, Ge'ez -> ti,
   Han -> zh, Greek -> el, Hebrew -> he, ...), Cyrillic goes to a detector
   restricted to ru/uk/bg.
3. Latin script goes to py3langid, restricted to the languages spoken in the
   Netherlands (so Dutch cannot become Afrikaans).
4. Short or unsure texts are decided between nl/en/de by a small function-word
   lexicon (`resources/language_short_text.txt`), with a prior towards Dutch
   when nl/de/en stay tied: the product is used in the Netherlands.
Work is done once per distinct detection text; the detector scores all texts in one
vectorised pass (`detector_scores`, the same numbers as py3langid's per-text `rank`).
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import scipy.sparse as sp
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from pipeline.analysis.normalize import DistinctTexts, clean_text, str_column
from pipeline.schema import CLEAN_TEXT, LANGUAGE, TEXT, UNDETERMINED_LANGUAGE

RESOURCES = Path(__file__).resolve().parents[1] / "resources"

# Latin-script languages the detector chooses from (ISO 639-1).
LATIN_LANGUAGES = ("nl", "en", "de", "fr", "es", "it", "pt", "pl", "tr", "ro", "so")
CYRILLIC_LANGUAGES = ("ru", "uk", "bg")
SHORT_TEXT_LANGUAGES = ("nl", "en", "de", "fr", "es")


@dataclass(frozen=True)
class LanguageParams:
    """Settings for `detect_language`.

    Attributes:
        latin_languages: Latin-script languages the detector may return.
        min_letters: fewer letters than this -> "und".
        short_letters: texts with fewer letters go through the short-text lexicon first.
        min_confidence: below this detector confidence the lexicon/prior decides.
        prior: language preferred when nl/de/en (or af) stay ambiguous.
        prior_confidence: the prior wins only while the detector is less sure than this.

    """

    latin_languages: tuple[str, ...] = LATIN_LANGUAGES
    min_letters: int = 3
    short_letters: int = 20
    min_confidence: float = 0.6
    prior: str = "nl"
    prior_confidence: float = 0.9


# --- detection text ---------------------------------------------------------
_STRIP = re.compile(
    r"https?://\S+|www\.\S+|\[(?:gebruiker|e-mail|telefoon|link)\]|@\w+|\bhttps?\b"
)
# Letters (with combining marks for Arabic/Indic scripts) in words of >= 1 letter.
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0900-\u0903\u093a-\u094f\u200c"
_LETTER_RUN = re.compile(rf"(?:[^\W\d_]|[{_MARKS}])+(?:'(?:[^\W\d_]|[{_MARKS}])+)*")
_NON_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff]")


_ASCII_LETTER_RUN = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*")  # _LETTER_RUN for an ASCII text


def detection_text(clean: str) -> str:
    """Return the letters-only text used for detection (links, emoji, numbers removed)."""
    stripped = _STRIP.sub(" ", clean)
    runs = _ASCII_LETTER_RUN if stripped.isascii() else _LETTER_RUN
    return " ".join(runs.findall(stripped)).lower()


_SCRIPTS = (
    ("arabic", re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")),
    ("cyrillic", re.compile(r"[\u0400-\u04ff]")),
    ("ethiopic", re.compile(r"[\u1200-\u139f\u2d80-\u2ddf]")),
    ("han", re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")),
    ("kana", re.compile(r"[\u3040-\u30ff]")),
    ("hangul", re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")),
    ("greek", re.compile(r"[\u0370-\u03ff]")),
    ("hebrew", re.compile(r"[\u0590-\u05ff]")),
    ("devanagari", re.compile(r"[\u0900-\u097f]")),
    ("thai", re.compile(r"[\u0e00-\u0e7f]")),
)
_SCRIPT_LANGUAGE = {"ethiopic": "ti", "han": "zh", "kana": "ja", "hangul": "ko",
                    "greek": "el", "hebrew": "he", "devanagari": "hi", "thai": "th"}
_PERSIAN_LETTERS = re.compile(r"[پچژگکی]")
_ARABIC_LETTERS = re.compile(r"[ةيكى]")


def _script(text: str) -> str:
    """Return the majority non-Latin script of `text`, or "latin"."""
    n_other = len(_NON_LATIN.findall(text.replace(" ", "")))
    if n_other * 2 < len(text.replace(" ", "")):
        return "latin"
    counts = {name: len(rx.findall(text)) for name, rx in _SCRIPTS}
    name, n = max(counts.items(), key=lambda kv: kv[1])
    if name == "kana" or (name == "han" and counts["kana"]):
        return "kana"
    return name if n else "latin"


# --- detector ---------------------------------------------------------------
# py3langid restricted to our languages: measured best of py3langid, lingua
# (low and high accuracy) and pycld2 on the shared tweets, and as fast as lingua's
# low-accuracy mode (see the module report / `evaluate_language`).
_MODEL_LOCK = threading.Lock()


def _model():
    """Return py3langid's full model, loaded once (its byte DFA is ~40 MB).

    Locked: the warm-up thread after a restart (`chain.warm_up_in_background`) may be loading it
    when the first live update needs it; that update waits for the one load instead of starting a
    second one that competes with it for the GIL (measured: 1,0-1,3 s instead of 0,3 s).
    """
    with _MODEL_LOCK:
        return _load_model()


@lru_cache(maxsize=1)
def _load_model():
    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=False)


def load_model() -> None:
    """Load the detector's model now (about 0,5 s once per process; otherwise on first use)."""
    _model()


@lru_cache(maxsize=8)
def _identifier(codes: tuple[str, ...]):
    base = _model()
    ptc, pc, classes = base._full_model
    # Restricted views share the full model's arrays: no second copy of the DFA per language set.
    ident = LanguageIdentifier(ptc, pc, classes, base.tk_nextmove, base.tk_output, norm_probs=False,
                               tk_row=base.tk_row)
    ident.set_languages(list(codes))
    return ident


def _ranked(text: str, codes: tuple[str, ...]) -> tuple[str, float, str, float]:
    """Return (best, confidence, second, confidence) from the restricted detector."""
    ranked = _identifier(codes).rank(text)
    (best, s1), (second, s2) = ranked[0], ranked[1] if len(ranked) > 1 else ranked[0]
    conf = 1.0 / (1.0 + math.exp(max(min(s2 - s1, 50.0), -50.0)))
    return best, conf, second, 1.0 - conf



@lru_cache(maxsize=1)
def _dfa() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return py3langid's byte DFA as numpy views (next state, row offsets, feature per state)."""
    base = _model()
    nextmove = np.frombuffer(base.tk_nextmove, dtype=np.dtype(base.tk_nextmove.typecode))  # no copy
    rowbase = np.frombuffer(base.tk_row, dtype=np.dtype(base.tk_row.typecode)).astype(np.int64) << 8
    return nextmove, rowbase, np.asarray(base.tk_output, dtype=np.int32)


@lru_cache(maxsize=8)
def _tables(codes: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Return the restricted detector's naive-Bayes tables (feature x language, language prior)."""
    ident = _identifier(codes)
    return np.asarray(ident.nb_ptc, dtype=np.float32), np.asarray(ident.nb_pc, dtype=np.float32)


_RAW_FLOOR = float(np.finfo(np.float32).min)  # py3langid's score for a text without features
_BATCH = 20_000  # texts per vectorised pass (bounds the memory of the byte walk)
_DISTINCT_BLOCK = 50_000  # distinct texts per block in `detect_language` (bounds Python strings alive)


def detector_scores(texts: list[str], codes: tuple[str, ...]) -> np.ndarray:
    """Return py3langid's raw naive-Bayes scores (n_texts, n_languages) for many texts at once.

    The same computation as `LanguageIdentifier._decide` (byte n-gram DFA walk, log1p counts times
    the class table plus the class prior), vectorised: the DFA advances all texts one byte per step.
    """
    nextmove, rowbase, output = _dfa()
    ptc, prior = _tables(codes)
    encoded = [unicodedata.normalize("NFC", t.lower() if t.isupper() else t).encode("utf8", "surrogatepass")
               for t in texts]
    n = len(encoded)
    lengths = np.fromiter((len(b) for b in encoded), dtype=np.int64, count=n)
    if not n or not lengths.max():
        return np.full((n, len(prior)), _RAW_FLOOR, dtype=np.float32)
    buf = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    starts = np.zeros(n, dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    order = np.argsort(-lengths, kind="stable")  # longest first: the active texts are a prefix
    s_lengths, s_starts = lengths[order], starts[order]
    active = np.searchsorted(-s_lengths, -np.arange(int(s_lengths[0])), side="left")
    state = np.zeros(n, dtype=np.int64)
    rows, feats = [], []
    for pos, k in enumerate(active.tolist()):
        if k <= _TAIL_TEXTS:  # the few longest texts one by one (a numpy step costs ~30 bytes in Python)
            tail_rows, tail_feats = _walk_tail(encoded, order[:k], state[:k], pos)
            rows.append(tail_rows)
            feats.append(tail_feats)
            break
        st = nextmove[rowbase[state[:k]] + buf[s_starts[:k] + pos]]
        state[:k] = st
        f = output[st]
        hit = np.flatnonzero(f >= 0)
        if len(hit):
            rows.append(hit)
            feats.append(f[hit])
    r = order[np.concatenate(rows)] if rows else np.zeros(0, dtype=np.int64)
    c = np.concatenate(feats) if feats else np.zeros(0, dtype=np.int32)
    counts = sp.csr_matrix((np.ones(len(r), dtype=np.float32), (r, c)), shape=(n, ptc.shape[0]))
    counts.sum_duplicates()
    counts.data = np.log1p(counts.data)
    scores = np.asarray(counts @ ptc, dtype=np.float32) + prior
    scores[np.diff(counts.indptr) == 0] = _RAW_FLOOR
    return scores


_TAIL_TEXTS = 32  # below this many texts still walking, a Python loop per text beats a numpy step


def _walk_tail(encoded: list[bytes], texts: np.ndarray, states: np.ndarray, pos: int
               ) -> tuple[np.ndarray, np.ndarray]:
    """Walk the DFA over bytes `pos:` of the given texts one by one (from their current states).

    Returns (position in the length order, feature) per feature hit, as the lockstep loop of
    `detector_scores` would: the same states, so the same features. Texts that lasted longest are
    few and long (e.g. Cyrillic, two bytes a letter); stepping them in lockstep cost one round of
    numpy calls per byte for a handful of texts.
    """
    base = _model()
    nextmove, rowbase, output = base.tk_nextmove, base.tk_row, base.tk_output
    rows: list[int] = []
    feats: list[int] = []
    for j, (i, state) in enumerate(zip(texts.tolist(), states.tolist(), strict=True)):
        for byte in encoded[i][pos:]:
            state = nextmove[(rowbase[state] << 8) + byte]
            f = output[state]
            if f >= 0:
                rows.append(j)
                feats.append(f)
    return np.asarray(rows, dtype=np.int64), np.asarray(feats, dtype=np.int32)


def _ranked_many(texts: list[str], codes: tuple[str, ...]) -> tuple[list[str], np.ndarray, list[str]]:
    """Return (best, confidence, second) per text: `_ranked` for many texts, vectorised."""
    classes = np.asarray(_identifier(codes).nb_classes, dtype=object)
    best, second, conf = [], [], []
    for lo in range(0, len(texts), _BATCH):
        scores = detector_scores(texts[lo:lo + _BATCH], codes)
        top = np.argsort(-scores, axis=1, kind="stable")[:, :2]  # ties: first class, as rank() does
        rows = np.arange(len(scores))
        s1 = scores[rows, top[:, 0]].astype(np.float64)
        s2 = scores[rows, top[:, -1]].astype(np.float64)
        conf.append(1.0 / (1.0 + np.exp(np.clip(s2 - s1, -50.0, 50.0))))
        best.extend(classes[top[:, 0]].tolist())
        second.extend(classes[top[:, -1]].tolist())
    return best, (np.concatenate(conf) if conf else np.zeros(0)), second


# --- short-text lexicon -----------------------------------------------------
@lru_cache(maxsize=1)
def _lexicon() -> dict[str, str]:
    """Return word -> language for words listed under exactly one language."""
    seen: dict[str, set[str]] = {}
    for line in (RESOURCES / "language_short_text.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        lang, words = line.split(":", 1)
        for word in words.split():
            seen.setdefault(word.lower(), set()).add(lang.strip())
    return {w: next(iter(ls)) for w, ls in seen.items() if len(ls) == 1}


_PATTERNS = {
    "nl": re.compile(r"ij|oe|aa|uu|tje\b"),
    "de": re.compile(r"ß|ä|ö|ü|tz|\w{2}ung\b|ich\b|\bei"),
    "en": re.compile(r"th|wh|\w{2}ing\b|\w{2}ly\b|ou"),
}


def short_text_scores(text: str) -> dict[str, float]:
    """Return nl/en/de/fr/es evidence for a short letters-only text (words + letter patterns)."""
    lex = _lexicon()
    scores = dict.fromkeys(SHORT_TEXT_LANGUAGES, 0.0)
    for word in text.split():
        lang = lex.get(word)
        if lang is not None:
            scores[lang] += 1.0
    for lang, rx in _PATTERNS.items():
        scores[lang] += 0.25 * len(rx.findall(text))
    return scores


def _decide_latin(text: str, params: LanguageParams) -> str:
    best, conf, second, _ = _ranked(text, tuple(params.latin_languages))
    return _decide_ranked(text, best, conf, second, params)


def _decide_ranked(text: str, best: str, conf: float, second: str, params: LanguageParams) -> str:
    """Return the language of a Latin-script text given the detector's two best languages."""
    n_letters = len(text) - text.count(" ")
    short = n_letters < params.short_letters
    if not short and conf >= params.min_confidence:
        return best
    scores = short_text_scores(text)
    top = max(scores.values())
    leaders = [lang for lang, s in scores.items() if s == top]
    if top >= 1.0 and len(leaders) == 1 and leaders[0] in params.latin_languages:
        return leaders[0]
    # nl/de/en stay ambiguous: prefer the prior (nl) unless the lexicon favours the
    # detector's choice; short Dutch is otherwise often called German.
    prior = params.prior
    if (
        best != prior
        and best in ("de", "en", "af")
        and second == prior
        and conf < params.prior_confidence
        and scores.get(prior, 0.0) >= scores.get(best, 0.0)
    ):
        return prior
    return best


def detect_language_one(text: str, params: LanguageParams = LanguageParams()) -> str:
    """Return the language of one letters-only detection text with py3langid's per-text `rank`.

    The reference for `detect_languages`, which decides the same with the vectorised detector.
    """
    if len(text) - text.count(" ") < params.min_letters:
        return UNDETERMINED_LANGUAGE
    script = "latin" if text.isascii() else _script(text)
    if script == "latin":
        return _decide_latin(text, params) if params.latin_languages else UNDETERMINED_LANGUAGE
    if script == "cyrillic":
        return _ranked(text, CYRILLIC_LANGUAGES)[0]
    return detect_languages([text], params)[0]  # script rules: no detector involved


def detect_languages(texts: list[str], params: LanguageParams = LanguageParams()) -> list[str]:
    """Return the language code of each letters-only detection text."""
    out = [UNDETERMINED_LANGUAGE] * len(texts)
    latin_idx, cyr_idx = [], []
    for i, text in enumerate(texts):
        if len(text) - text.count(" ") < params.min_letters:
            continue
        if text.isascii():
            latin_idx.append(i)
            continue
        script = _script(text)
        if script == "latin":
            latin_idx.append(i)
        elif script == "cyrillic":
            cyr_idx.append(i)
        elif script == "arabic":
            fa = len(_PERSIAN_LETTERS.findall(text)) > len(_ARABIC_LETTERS.findall(text))
            out[i] = "fa" if fa else "ar"
        else:
            out[i] = _SCRIPT_LANGUAGE.get(script, UNDETERMINED_LANGUAGE)
    latin = tuple(params.latin_languages)
    if latin and latin_idx:
        # Detector scores for all Latin texts at once; the short-text lexicon only runs where the
        # detector alone does not decide (short or unsure texts).
        best, conf, second = _ranked_many([texts[i] for i in latin_idx], latin)
        for j, i in enumerate(latin_idx):
            text = texts[i]
            if conf[j] >= params.min_confidence and len(text) - text.count(" ") >= params.short_letters:
                out[i] = best[j]
            else:
                out[i] = _decide_ranked(text, best[j], float(conf[j]), second[j], params)
    if cyr_idx:
        out_cyr = _ranked_many([texts[i] for i in cyr_idx], CYRILLIC_LANGUAGES)[0]
        for i, lang in zip(cyr_idx, out_cyr, strict=True):
            out[i] = lang
    return out


def detect_language(df: pd.DataFrame, params: LanguageParams = LanguageParams(), *,
                    distinct: DistinctTexts | None = None) -> pd.DataFrame:
    """Add LANGUAGE: ISO 639-1 code, or "und" when too little text is left to decide.

    `distinct`: the frame's distinct cleaned texts from `normalize_distinct` (the same result,
    without factorising the CLEAN_TEXT column again).
    """
    if distinct is not None:
        codes, uniques = distinct.codes, distinct.cleaned
    elif CLEAN_TEXT in df:
        codes, uniques = pd.factorize(df[CLEAN_TEXT].fillna("").astype(str), use_na_sentinel=False)
    else:
        raw = df[TEXT].fillna("").astype(str) if TEXT in df else pd.Series("", index=df.index)
        codes, uniques = pd.factorize(raw, use_na_sentinel=False)
        base = pd.Series(np.asarray([clean_text(t) for t in uniques], dtype=object)[codes],
                         index=df.index)
        codes, uniques = pd.factorize(base, use_na_sentinel=False)
    # Block by block over the distinct texts (each text's language is decided on its own), so that
    # never all distinct texts are Python strings at once.
    langs = np.empty(len(uniques), dtype=object)
    for lo in range(0, len(uniques), _DISTINCT_BLOCK):
        block = uniques[lo:lo + _DISTINCT_BLOCK]
        block = block.to_pylist() if isinstance(block, pa.Array) else block
        det_codes, det_uniques = pd.factorize(
            pd.Series([detection_text(t) for t in block], dtype=object),
            use_na_sentinel=False,
        )
        langs[lo:lo + len(det_codes)] = np.asarray(detect_languages(list(det_uniques), params),
                                                   dtype=object)[det_codes]
    lang_codes, lang_values = pd.factorize(langs)
    return df.assign(**{LANGUAGE: str_column(list(lang_values), lang_codes[codes] if len(codes) else codes,
                                             df.index)})


# --- evaluation on the shared research data ----------------------------------
_URL_OR_HANDLE = re.compile(r"https?://\S+|@\w+")


def _scrub(text: str) -> str:
    # The product only sees privacy-scrubbed text: mimic it.
    return _URL_OR_HANDLE.sub(lambda m: "[link]" if m.group().startswith("http") else "[gebruiker]", text)


def load_language_eval(data_root: Path) -> pd.DataFrame:
    """Return a frame (dataset, gold, TEXT) of labelled tweets found under `data_root`."""
    data_root = Path(data_root)
    frames = []

    def add(name: str, gold: str, texts) -> None:
        texts = [str(t) for t in texts if isinstance(t, str) and t.strip()]
        frames.append(pd.DataFrame({"dataset": name, "gold": gold, TEXT: [_scrub(t) for t in texts]}))

    def tsv(path: Path) -> pd.DataFrame:
        return pd.read_csv(path, sep="\t", quoting=3, dtype=str, keep_default_na=False)

    p = data_root / "ct22_dutch_dev" / "dev_ct22_dutch.tsv"
    if p.exists():
        add("ct22_dutch_dev", "nl", tsv(p)["text"])
    for folder, gold in (("english", "en"), ("arabic", "ar"), ("bulgarian", "bg"),
                         ("turkish", "tr"), ("spanish", "es")):
        for p in sorted((data_root / "ct22_multilingual_dev" / folder).glob("*.tsv")):
            add("ct22_multilingual", gold, tsv(p)["tweet_text"])
    for folder, gold in (("arabic", "ar"), ("english", "en"), ("french", "fr"), ("german", "de"),
                         ("italian", "it"), ("portuguese", "pt"), ("spanish", "es")):
        # Hindi is left out: its tweets are mostly romanised Hindi-English.
        for p in sorted((data_root / "sentiment_umsab_trainval" / folder).glob("*_text.txt")):
            add("umsab", gold, p.read_text(encoding="utf-8").splitlines())
    p = data_root / "nl_political_tweets" / "gold-polarity.tsv"
    if p.exists():
        add("nl_political", "nl", tsv(p)["content"])
    if not frames:
        return pd.DataFrame({"dataset": [], "gold": [], TEXT: []})
    return pd.concat(frames, ignore_index=True)


def evaluate_language(
    data_root: Path,
    params: LanguageParams = LanguageParams(),
    datasets: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Return accuracy per (dataset, gold language): n, n_und, accuracy (und counts as wrong)."""
    data = load_language_eval(data_root)
    if datasets is not None:
        data = data[data["dataset"].isin(datasets)].reset_index(drop=True)
    if data.empty:
        return pd.DataFrame(columns=["dataset", "language", "n", "n_und", "accuracy"])
    pred = detect_language(data, params)[LANGUAGE]
    return (
        data.assign(correct=pred.eq(data["gold"]), und=pred.eq(UNDETERMINED_LANGUAGE))
        .groupby(["dataset", "gold"], as_index=False)
        .agg(n=("correct", "size"), n_und=("und", "sum"), accuracy=("correct", "mean"))
        .rename(columns={"gold": "language"})
        .assign(accuracy=lambda d: d["accuracy"].round(4))
    )
