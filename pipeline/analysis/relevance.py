"""Relevance: adds RELEVANCE (0..1) and RELEVANT (bool), whether a message is about THE incident.

Deterministic, needs no training data. Per distinct cleaned text, evidence is
counted and combined with a logistic function:

- incident keywords (word-boundary match; keywords of >= 4 letters also match as
  the start or end of a word, so `brand` finds `brandweer` and `industriebrand`);
- multilingual crisis words (`resources/relevance_crisis_terms.txt`);
- content words of the incident description;
- negative contexts (`resources/relevance_negative.txt`): brand-as-merk,
  rookworst, heartburn, smoking, fireworks, football...
- in `mode="incident"` (default): crisis-category evidence from the classifier's
  own rules (`pipeline.analysis.classify.rule_matrix`), because during an incident people
  talk about it without naming it: symptoms ("mijn ogen prikken"), what-to-do
  questions ("mogen de kinderen naar buiten?"), eyewitness perception ("ik zie
  zwarte rook"), criticism of the warning ("waarom pas nu een NL-Alert?").
  One category alone is not enough (z stays below 0): it needs a second piece
  of evidence — a crisis word, a keyword, a description word or a second
  category. This stage still runs *before* classify and only adds RELEVANCE and
  RELEVANT; it merely reuses the rule patterns.

The weights are set by hand and checked on CrisisLexT6 (`evaluate_relevance`);
RELEVANCE is "calibrated-ish": 0.5 means one keyword without other evidence.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.analysis.classify import rule_matrix
from pipeline.analysis.normalize import DistinctTexts, clean_text, terms_of, token_table, tokenize
from pipeline.arrays import unique_ints
from pipeline.schema import CATEGORY_CODES, CLEAN_TEXT, RELEVANCE, RELEVANCE_KNOWN, RELEVANT, TEXT

_PHRASE_BLOCK = 50_000  # texts turned into Python strings at once for the keyword-phrase search

# Crisis categories whose rule hits count as incident evidence, and how much (mode="incident").
STRONG_CATEGORIES = ("gezondheid", "waarneming", "handelen", "kritiek")
WEAK_CATEGORIES = ("vraag", "gerucht", "hulp", "emotie", "medeleven")

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
_BLOCK = 50_000  # distinct texts turned into Python strings at a time (bounds the peak memory)


@dataclass(frozen=True)
class RelevanceParams:
    """Settings for `score_relevance`.

    Attributes:
        keywords: incident keywords (words, phrases or hashtags; places welcome).
        description: free-text incident description; its content words count weakly.
        threshold: RELEVANT is RELEVANCE >= threshold.
        bias / keyword_weight / crisis_weight / description_weight: logistic weights.
        max_hits: each kind of evidence counts at most this many distinct words.
        mode: "incident" (default) also counts crisis-category evidence from the classifier rules
            (for an incident in progress, where people rarely repeat its name); "keywords" is the
            word-evidence-only behaviour (for a general stream or a retrospective keyword search).
        category_weight: weight per strong category hit (gezondheid, waarneming, handelen, kritiek).
        weak_category_weight: weight per weak category hit (vraag, gerucht, hulp, emotie).
        max_category_evidence: cap on the summed category evidence.
        prior: expected share of on-topic messages in the stream, added as logit(prior) to every text
            with at least one word or category of evidence (texts with none stay irrelevant). 0.5 adds
            nothing; see docs/CLASSIFIER.md ("Relevance") for measured settings.

    """

    keywords: tuple[str, ...] = ()
    description: str = ""
    threshold: float = 0.5
    bias: float = -1.5
    keyword_weight: float = 1.5
    crisis_weight: float = 1.0
    description_weight: float = 0.5
    max_hits: int = 3
    mode: str = "incident"
    category_weight: float = 1.0
    weak_category_weight: float = 0.5
    max_category_evidence: float = 2.0
    prior: float = 0.5


# --- word lists -------------------------------------------------------------
def _lines(name: str) -> list[str]:
    out = []
    for line in (RESOURCES / name).read_text(encoding="utf-8").splitlines():
        line = line.strip().lower()
        if line and not line.startswith("#"):
            out.append(line)
    return out


@lru_cache(maxsize=1)
def crisis_terms() -> tuple[frozenset[str], tuple[str, ...]]:
    """Return the crisis lexicon as (exact words, word prefixes)."""
    exact, prefixes = set(), []
    for term in _lines("relevance_crisis_terms.txt"):
        if term.endswith("*"):
            prefixes.append(term[:-1])
        else:
            exact.add(term)
    return frozenset(exact), tuple(prefixes)


def _phrase_regex(phrase: str) -> str:
    words = phrase.split()
    parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
    return r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)"


@lru_cache(maxsize=1)
def negative_contexts() -> tuple[tuple[re.Pattern, float], ...]:
    """Return (regex, weight) per negative-context weight class."""
    by_weight: dict[float, list[str]] = {}
    for line in _lines("relevance_negative.txt"):
        weight, phrase = line.split(" ", 1)
        by_weight.setdefault(float(weight), []).append(_phrase_regex(phrase))
    return tuple((re.compile("|".join(rx)), w) for w, rx in sorted(by_weight.items()))


def _phrase_re2(phrase: str) -> str:
    """Return the phrase as an RE2 pattern (pyarrow has no look-around: word boundaries)."""
    words = phrase.split()
    parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
    body = r"\s+".join(parts)
    head = r"\b" if re.match(r"\w", phrase) else ""
    tail = r"\b" if re.search(r"\w\*?$", phrase) else ""
    return head + body + tail


@lru_cache(maxsize=1)
def negative_contexts_re2() -> tuple[tuple[str, float], ...]:
    """Return (RE2 pattern, weight) per negative-context weight class (vectorised path)."""
    by_weight: dict[float, list[str]] = {}
    for line in _lines("relevance_negative.txt"):
        weight, phrase = line.split(" ", 1)
        by_weight.setdefault(float(weight), []).append(_phrase_re2(phrase))
    return tuple(("|".join(rx), w) for w, rx in sorted(by_weight.items()))


def negative_scores(cleaned: list[str] | pa.Array) -> np.ndarray:
    """Return the summed negative-context weight per cleaned text, all texts at once (RE2)."""
    arr = cleaned if isinstance(cleaned, pa.Array) else pa.array(cleaned, type=pa.string())
    total = np.zeros(len(cleaned))
    for pattern, weight in negative_contexts_re2():
        total += weight * pc.count_substring_regex(arr, pattern).to_numpy(zero_copy_only=False)
    return total


@lru_cache(maxsize=1)
def _negative_first_words() -> tuple[str, ...]:
    # Cheap pre-check: the regexes only run when a token starts like a phrase's first word.
    return tuple({line.split(" ", 2)[1].rstrip("*") for line in _lines("relevance_negative.txt")})


# --- scoring ----------------------------------------------------------------
@dataclass(frozen=True)
class _Query:
    single: frozenset[str]  # one-word keywords
    affix: tuple[str, ...]  # one-word keywords long enough for prefix/suffix matching
    phrases: re.Pattern | None  # multi-word keywords
    description: frozenset[str]
    literals: tuple[str, ...] = ()  # per phrase its longest plain word: a text without any has no phrase
    kinds: dict[str, int] = field(default_factory=dict, compare=False, hash=False)  # `_z`'s token cache


@lru_cache(maxsize=32)
def _query(keywords: tuple[str, ...], description: str) -> _Query:
    single, phrases, literals = set(), [], []
    for kw in keywords:
        words = tokenize(clean_text(kw.replace("#", " #")))
        words = [w for w in words if not w.startswith("[")]
        if len(words) == 1:
            single.add(words[0])
        elif words:
            phrases.append(_phrase_regex(" ".join(words)))
            literals.append(max((w.rstrip("*") for w in words), key=len))
    affix = tuple(w for w in single if len(w) >= 4)
    desc = frozenset(terms_of(clean_text(description))) - single
    return _Query(
        frozenset(single), affix, re.compile("|".join(phrases)) if phrases else None, desc,
        literals=tuple(literals),
    )


def _may_hold(text: str, literals: tuple[str, ...]) -> bool:
    """Return False when `text` cannot hold any keyword phrase (none of their words occurs in it)."""
    return any(word in text for word in literals)


def _keyword_hit(tok: str, q: _Query) -> bool:
    return tok in q.single or (
        len(tok) > 4 and (tok.startswith(q.affix) or tok.endswith(q.affix))
    )


def relevance_of(clean: str, params: RelevanceParams = RelevanceParams()) -> float:
    """Return the relevance (0..1) of one cleaned text for the incident in `params`."""
    z = _z(clean, _query(tuple(params.keywords), params.description), params)
    if z is None:
        return 0.0
    z += float(category_evidence([clean], params)[0])
    z = float(_with_prior(np.array([z]), [clean], None, params)[0])
    return 1.0 / (1.0 + math.exp(-z))


def _with_prior(z: np.ndarray, cleaned: list[str], q: _Query, p: RelevanceParams) -> np.ndarray:
    """Return z plus logit(prior) where a text has any evidence (z above the bare bias)."""
    if p.prior == 0.5 or not len(z):
        return z
    if not 0.0 < p.prior < 1.0:
        raise ValueError(f"prior must be in (0, 1), got {p.prior}")
    return np.where(z > p.bias + 1e-9, z + math.log(p.prior / (1.0 - p.prior)), z)


def category_evidence(cleaned: list[str] | pa.Array, p: RelevanceParams, rule_cache=None,
                      where: np.ndarray | None = None) -> np.ndarray:
    """Return the crisis-category evidence (added to z) per cleaned text; zeros in mode "keywords".

    With a `pipeline.analysis.classify.RuleCache` the rule hits are kept there for classify;
    `where`: each text's row in that cache, when the caller knows it (no hash lookup of the texts).
    """
    if p.mode != "incident" or not len(cleaned):
        return np.zeros(len(cleaned))
    if p.mode not in ("incident", "keywords"):
        raise ValueError(f"unknown relevance mode {p.mode!r}")
    texts = cleaned if isinstance(cleaned, pa.Array) else pa.array(cleaned, type=pa.string())
    hits = rule_cache.all_languages(texts, where) if rule_cache is not None else rule_matrix(texts)
    strong = hits[:, [CATEGORY_CODES.index(c) for c in STRONG_CATEGORIES]].sum(axis=1)
    weak = hits[:, [CATEGORY_CODES.index(c) for c in WEAK_CATEGORIES]].sum(axis=1)
    evidence = p.category_weight * strong + p.weak_category_weight * weak
    return np.minimum(evidence, p.max_category_evidence)


def _token_kind(tok: str, q: _Query) -> int:
    """Return a token's evidence: -1 placeholder, 0 nothing, 1 keyword, 2 crisis word, 3 description."""
    if tok.startswith("["):
        return -1
    if _keyword_hit(tok, q):
        return 1
    exact, prefixes = crisis_terms()
    if tok in exact or (prefixes and tok.startswith(prefixes)):
        return 2
    return 3 if tok in q.description else 0


def _z(clean: str, q: _Query, p: RelevanceParams, negative: float | None = None) -> float | None:
    kinds = q.kinds  # token -> kind, decided once per distinct token (vocabularies are Zipfian)
    if len(kinds) > 500_000:
        kinds.clear()
    found: tuple[set, set, set, set] = (set(), set(), set(), set())  # by kind; [0] unused
    any_token = False
    for tok in tokenize(clean):
        kind = kinds.get(tok)
        if kind is None:
            kind = kinds[tok] = _token_kind(tok, q)
        if kind >= 0:
            any_token = True
            if kind:
                found[kind].add(tok)
    if not any_token:
        return None
    keyword, crisis, desc = found[1], found[2], found[3]
    n_phrases = len(set(q.phrases.findall(clean))) if q.phrases is not None else 0
    if negative is None:  # one text: Python regexes (the frame path computes all at once)
        negative = 0.0
        first_words = _negative_first_words()
        if any(tok.startswith(first_words) for tok in tokenize(clean) if not tok.startswith("[")):
            negative = sum(w * len(rx.findall(clean)) for rx, w in negative_contexts())
    z = (
        p.bias
        + p.keyword_weight * min(len(keyword) + n_phrases, p.max_hits)
        + p.crisis_weight * min(len(crisis), p.max_hits)
        + p.description_weight * min(len(desc), p.max_hits)
        - negative
    )
    return z


def _z_many(cleaned: pa.Array, token_ids: np.ndarray, token_offsets: np.ndarray, vocab: list[str],
            q: _Query, p: RelevanceParams, negatives: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (`_z` per distinct cleaned text, True where `_z` is None), from the texts' token ids.

    The same sums as `_z` in the same order: distinct keyword, crisis and description tokens are
    counted per text with integer keys instead of Python sets (`_BLOCK` texts at a time: memory).
    """
    n = len(cleaned)
    kinds = q.kinds  # token -> kind, decided once per distinct token (vocabularies are Zipfian)
    if len(kinds) > 500_000:
        kinds.clear()
    found = list(map(kinds.get, vocab))  # one C-level pass; new tokens (None) decided below
    for j in [j for j, kind in enumerate(found) if kind is None]:
        found[j] = kinds[vocab[j]] = _token_kind(vocab[j], q)
    of_vocab = np.asarray(found, dtype=np.int8)
    width = max(len(vocab), 1)
    empty = np.ones(n, dtype=bool)
    keyword, crisis, desc = (np.zeros(n, dtype=np.int64) for _ in range(3))
    for lo in range(0, n, _BLOCK):
        hi = min(lo + _BLOCK, n)
        ids = token_ids[token_offsets[lo]:token_offsets[hi]].astype(np.int64)
        parents = np.repeat(np.arange(hi - lo, dtype=np.int64), np.diff(token_offsets[lo:hi + 1]))
        kind = of_vocab[ids]
        empty[lo + parents[kind >= 0]] = False
        for k, counts in ((1, keyword), (2, crisis), (3, desc)):
            sel = kind == k
            pairs = unique_ints(parents[sel] * width + ids[sel])  # each distinct token once per text
            counts[lo:hi] = np.bincount(pairs // width, minlength=hi - lo)
    if q.phrases is not None:
        rows = np.flatnonzero(~empty)
        for lo in range(0, len(rows), _PHRASE_BLOCK):  # Python strings one block at a time (memory)
            part = rows[lo:lo + _PHRASE_BLOCK]
            texts = cleaned.take(pa.array(part)).to_pylist()
            keyword[part] += np.fromiter((len(set(q.phrases.findall(c))) if _may_hold(c, q.literals) else 0
                                          for c in texts), dtype=np.int64, count=len(part))
    z = (
        p.bias
        + p.keyword_weight * np.minimum(keyword, p.max_hits)
        + p.crisis_weight * np.minimum(crisis, p.max_hits)
        + p.description_weight * np.minimum(desc, p.max_hits)
        - negatives
    )
    z[empty] = 0.0
    return z, empty


def score_relevance(df: pd.DataFrame, params: RelevanceParams = RelevanceParams(), *,
                    rule_cache=None, distinct: DistinctTexts | None = None) -> pd.DataFrame:
    """Add RELEVANCE (0..1), RELEVANT (>= threshold) and RELEVANCE_KNOWN (keywords or description given).

    `rule_cache` (a `pipeline.analysis.classify.RuleCache`) keeps the rule hits for classify;
    `distinct`: the frame's distinct cleaned texts and tokens from `normalize_distinct` (same result).
    """
    if distinct is not None:
        codes, cleaned = distinct.codes, distinct.cleaned.cast(pa.string())
        token_ids, token_offsets, vocab = distinct.token_ids, distinct.token_offsets, distinct.vocab
    else:
        if CLEAN_TEXT in df:
            base = df[CLEAN_TEXT].fillna("").astype(str)
            codes, uniques = pd.factorize(base, use_na_sentinel=False)
            # The distinct texts stay in Arrow; Python strings are made one block at a time (memory).
            cleaned = pa.array(uniques.array).cast(pa.string())
        else:
            raw = df[TEXT].fillna("").astype(str) if TEXT in df else pd.Series("", index=df.index)
            codes, uniques = pd.factorize(raw, use_na_sentinel=False)
            cleaned = pa.array([clean_text(t) for t in uniques], type=pa.string())
        del uniques
        token_ids, token_offsets, vocab = token_table(cleaned)
    if params.mode not in ("incident", "keywords"):
        raise ValueError(f"unknown relevance mode {params.mode!r}")
    q = _query(tuple(params.keywords), params.description)
    negatives = negative_scores(cleaned) if len(cleaned) else np.zeros(0)
    z, empty = _z_many(cleaned, token_ids, token_offsets, vocab, q, params, negatives)
    if len(cleaned) and not empty.all():
        keep = np.flatnonzero(~empty)
        if rule_cache is not None and rule_cache.holds(cleaned):
            # The cache was prefetched with these same distinct texts (chain.enrich): their rows
            # there are their rows here. No hash table of 500k texts to find them and no copy of
            # the texts (~300 MB and ~100 MB at the analysis' peak for 1M messages).
            z[keep] += category_evidence(cleaned, params, rule_cache, np.arange(len(cleaned)))[keep]
        else:
            z[keep] += category_evidence(cleaned.take(pa.array(keep)), params, rule_cache)
    z = _with_prior(z, cleaned, q, params)
    scores = np.where(empty, 0.0, 1.0 / (1.0 + np.exp(-z)))
    rel = scores[codes] if len(codes) else np.asarray([], dtype=float)
    # Without incident keywords or description nobody said what the incident is: relevance is
    # "onbekend" and no message is judged irrelevant, so classify keeps its categories (no erasing
    # into ruis) and themes and views count it. RELEVANCE still holds the crisis-word score.
    known = bool(params.keywords or params.description.strip())
    return df.assign(
        **{
            RELEVANCE: pd.Series(rel, index=df.index, dtype=float),
            RELEVANT: pd.Series(rel >= params.threshold if known else np.ones(len(rel), dtype=bool),
                                index=df.index, dtype=bool),
            RELEVANCE_KNOWN: pd.Series(known, index=df.index, dtype=bool),
        }
    )


# --- evaluation on CrisisLexT6 ------------------------------------------------
# The obvious keywords a crisis team would have used for each event.
CRISISLEX_T6_KEYWORDS = {
    "2012_Sandy_Hurricane": ("sandy", "hurricane", "frankenstorm", "storm"),
    "2013_Alberta_Floods": ("alberta", "flood", "calgary", "abflood", "yycflood"),
    "2013_Boston_Bombings": ("boston", "marathon", "bombing", "bomb", "explosion"),
    "2013_Oklahoma_Tornado": ("oklahoma", "tornado", "moore", "okc"),
    "2013_Queensland_Floods": ("queensland", "flood", "qldflood", "brisbane", "bigwet"),
    "2013_West_Texas_Explosion": ("west texas", "explosion", "fertilizer", "waco", "plant explosion"),
}


def evaluate_relevance(
    data_root: Path,
    params: RelevanceParams = RelevanceParams(),
    events: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Return precision/recall/F1 per CrisisLexT6 crisis (on-topic = positive)."""
    path = Path(data_root) / "crisislex_t6" / "crisislex_t6_all_with_time.tsv"
    cols = ["event", "n", "precision", "recall", "f1"]
    if not path.exists():
        return pd.DataFrame(columns=cols)
    data = pd.read_csv(path, sep="\t", quoting=3, dtype=str, keep_default_na=False)
    data[TEXT] = data["text"].str.replace(r"https?://\S+", "[link]", regex=True).str.replace(
        r"@\w+", "[gebruiker]", regex=True
    )
    rows = []
    for event, keywords in CRISISLEX_T6_KEYWORDS.items():
        if events is not None and event not in events:
            continue
        part = data[data["event"] == event]
        pred = score_relevance(part, RelevanceParams(**{**params.__dict__, "keywords": keywords}))[
            RELEVANT
        ]
        gold = part["label"].eq("on-topic")
        tp = int((pred & gold).sum())
        precision = tp / max(int(pred.sum()), 1)
        recall = tp / max(int(gold.sum()), 1)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append((event, len(part), round(precision, 4), round(recall, 4), round(f1, 4)))
    return pd.DataFrame(rows, columns=cols)
