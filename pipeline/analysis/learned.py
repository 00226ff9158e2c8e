"""The default category model, learned from real labelled messages, with the rules as features.

Contract:
    `LearnedModel.decide(texts, rules) -> rules'`: for every category the model knows, the decision
    is the model's (calibrated probability >= the category's threshold); the other columns of the
    rule matrix are returned unchanged. `texts` are the distinct lower-cased analysis texts and
    `rules` their rule matrix, exactly as `pipeline.analysis.classify.distinct_rules` builds them.
    `default_model()` loads the shipped model from `data/model/` (cached; None when absent).
    `pipeline.model.train.build_default(root)` rebuilds it from the research data
    (`python -m pipeline train --data`).

Features: word 1-2-grams (punctuation and text start/end as tokens) and 5-character word prefixes (a
cheap stemmer for every language) from a stored vocabulary (document frequency >= 2 in training),
looked up with pyarrow (vectorised, >= 60k distinct texts/s), the rule hits of
`pipeline.analysis.classify.rule_matrix` and a "?" flag. Per category one `LogisticRegression`
(`class_weight="balanced"`), Platt-calibrated on 5-fold out-of-fold scores; the decision threshold
is the one with the best out-of-fold F1 on the category's *target* rows (Dutch rows for vraag and
kritiek). Nothing of the evaluation parts is used for any of this (docs/CLASSIFIER.md, "Learned
model"). Saved as `model.npz` (sparse float32 coefficients, loaded with allow_pickle=False) and
`model.json` (categories, calibration, thresholds, sources, licences).

`SOURCE_MAP` is the ONE table that maps each source label onto our categories; docs/CLASSIFIER.md
repeats it.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from pipeline.analysis.classify import distinct_rules
from pipeline.analysis.normalize import normalize
from pipeline.arrays import unique_ints
from pipeline.config import DATA_DIR
from pipeline.schema import CATEGORY_CODES, LANGUAGE, TEXT

MODEL_DIR = DATA_DIR / "model"
FORMAT = 2
KIND = "LearnedModel"
LEARNED = ("vraag", "kritiek", "handelen", "hulp", "medeleven", "waarneming")
# Categories whose real labels are English only (CrisisLex) plus ~200 own Dutch messages: the model
# cannot have learned Dutch incident wording for them, so a Dutch rule hit is kept and the model
# only adds ("rule OR model"). vraag and kritiek have real Dutch labels: the model decides.
RULES_KEPT = ("handelen", "hulp", "medeleven", "waarneming")

# --- the one source-label -> category table ----------------------------------------------------
# (source, label field, label value) -> category. "judges" says which categories a source can
# speak about: its rows are negatives for those categories when no label maps onto them, and are
# not used at all for the other categories.
SOURCE_MAP: tuple[tuple[str, str, str, str], ...] = (
    ("ct22 (nl, en, ar, bg, tr)", "attention_worthy", "yes_asks_question", "vraag"),
    ("ct22 (nl, en, ar, bg, tr)", "attention_worthy", "yes_blame_authorities", "kritiek"),
    ("crisislex_t26", "information_type", "Caution and advice", "handelen"),
    ("crisislex_t26", "information_type", "Donations and volunteering", "hulp"),
    ("crisislex_t26", "information_type", "Sympathy and support", "medeleven"),
    ("crisislex_t26", "information_source", "Eyewitness", "waarneming"),
    ("gold_nl", "codes", "<own code>", "<same code>"),
)
JUDGES = {
    "ct22": ("vraag", "kritiek"),
    "crisislex_t26": ("handelen", "hulp", "medeleven", "waarneming"),
    "gold_nl": LEARNED,
}
NOT_USED = (
    "ct22 Spanish (task 1A: check-worthiness only, no attention-worthy labels: nothing maps onto a "
    "category); ct22 other attention-worthy classes (harmful, advice, calls for action, cure, "
    "action taken, other) are negatives for vraag/kritiek; CrisisLex 'Not labeled' rows are dropped; "
    "CrisisLex source Government/Media is not learned (officieel comes from the account list)"
)
LICENCES = (
    "Derived from research-licensed data: CheckThat! 2022 task 1 annotations (COVID-19 Disinfo, "
    "Alam et al. 2021) CC BY-NC-SA 4.0 - non-commercial, share-alike; CrisisLexT26 (Olteanu, "
    "Vieweg & Castillo 2015) from the MIT-licensed sajao/CrisisLex repository; the project's own "
    "gold set data/gold_nl.csv (CC0). Tweet text itself falls under the platform's terms and is not "
    "stored in the model: only coefficients and a vocabulary of short word n-grams shared by >= 2 "
    "training texts."
)

T26_EVAL_EVENTS = (
    "2013_Bohol_earthquake",
    "2013_Boston_bombings",
    "2013_Manila_floods",
    "2013_NY_train_crash",
    "2013_Queensland_floods",
    "2013_Singapore_haze",
    "2013_West_Texas_explosion",
)
CT22_LANGS = {"english": "en", "arabic": "ar", "bulgarian": "bg", "turkish": "tr"}

_HANDLE = re.compile(r"@\w+")
_URL = re.compile(r"https?://\S+|www\.\S+")


def scrub(text: str) -> str:
    """Return research text the way the pipeline sees messages: handles and links as placeholders."""
    return _URL.sub("[link]", _HANDLE.sub("[gebruiker]", str(text)))


def _ct22_label(value: str) -> tuple[str, ...]:
    value = str(value).replace("-", "_")
    return tuple(code for _, field, label, code in SOURCE_MAP[:2] if label == value)


def gold_half(ids: pd.Series) -> np.ndarray:
    """Return True for the gold set's evaluation half (odd crc32 of the id; even = training)."""
    return ids.astype(str).map(lambda s: zlib.crc32(s.encode()) % 2 == 1).to_numpy()


def labelled_sources(root: Path, gold: Path = DATA_DIR / "gold_nl.csv") -> pd.DataFrame:
    """Return every labelled message: TEXT, LANGUAGE, codes, judges, source, part ("train"/"eval").

    The evaluation parts, never used for training or for choosing thresholds: ct22_dutch_dev (all
    181), the official CT22 *dev* files of en/ar/bg/tr, seven CrisisLexT26 events (by event, so
    whole crises are unseen) and the odd crc32 half of the gold set.
    """
    root = Path(root)
    parts = []

    def add(texts, lang, codes, judges, source, part, group=None) -> None:
        texts = list(texts)
        parts.append(
            pd.DataFrame(
                {
                    TEXT: [scrub(t) for t in texts],
                    LANGUAGE: lang,
                    "codes": list(codes),
                    "judges": [judges] * len(texts),
                    "source": source,
                    "part": part,
                    "group": source if group is None else list(group),
                }
            )
        )

    read = {"sep": "\t", "dtype": str, "keep_default_na": False}
    train_half = root / "ct22_dutch_train_half" / "ct22_dutch_train_half.tsv"
    if train_half.exists():
        raw = pd.read_csv(train_half, **read)
        add(raw["text"], "nl", raw["attention_worthy"].map(_ct22_label), JUDGES["ct22"],
            "ct22_dutch_train_half", "train")
    dev = root / "ct22_dutch_dev" / "dev_ct22_dutch.tsv"
    if dev.exists():
        raw = pd.read_csv(dev, **read)
        add(raw["text"], "nl", raw["attention_worthy"].map(_ct22_label), JUDGES["ct22"],
            "ct22_dutch_dev", "eval")
    for folder, lang in CT22_LANGS.items():
        for split, part in (("train", "train"), ("dev", "eval")):
            path = root / "ct22_multilingual_dev" / folder / f"CT22_{folder}_1D_attentionworthy_{split}.tsv"
            if path.exists():
                raw = pd.read_csv(path, quoting=3, **read)
                add(raw["tweet_text"], lang, raw["class_label"].map(_ct22_label), JUDGES["ct22"],
                    f"ct22_{lang}_{split}", part)
    t26 = root / "crisislex_t26_dev" / "dev_t26.tsv"
    if t26.exists():
        raw = pd.read_csv(t26, **read)
        raw = raw[raw["information_type"] != "Not labeled"]
        by = {(f, v): c for _, f, v, c in SOURCE_MAP if _.startswith("crisislex")}
        codes = [
            tuple(c for c in (by.get(("information_type", t)), by.get(("information_source", s))) if c)
            for t, s in zip(raw["information_type"], raw["information_source"], strict=True)
        ]
        is_eval = raw["event"].isin(T26_EVAL_EVENTS).to_numpy()
        for flag, part in ((False, "train"), (True, "eval")):
            sel = is_eval == flag
            add(raw["text"][sel], "en", [c for c, s in zip(codes, sel, strict=True) if s],
                JUDGES["crisislex_t26"], "crisislex_t26", part, raw["event"][sel])
    if Path(gold).exists():
        raw = pd.read_csv(gold, dtype=str, keep_default_na=False)
        codes = raw["codes"].map(lambda v: tuple(c for c in v.split(";") if c in LEARNED))
        odd = gold_half(raw["id"])
        parts.append(
            pd.DataFrame(
                {
                    TEXT: raw["text"],
                    LANGUAGE: raw["language"],
                    "codes": codes,
                    "judges": [JUDGES["gold_nl"]] * len(raw),
                    "source": "gold_nl",
                    "part": np.where(odd, "eval", "train"),
                    "group": "gold_nl",
                }
            )
        )
    if not parts:
        raise ValueError(f"{root}: no labelled research data found")
    return pd.concat(parts, ignore_index=True)


# --- features ------------------------------------------------------------------------------------
# Tokens: runs of letters/digits/_ plus the punctuation . , : ? ! and ؟ as tokens of their own, with
# "xxbos"/"xxeos" marking the start and end of a text, so bigrams say where a clause starts
# ("? waarom", "xxbos wanneer") and whether the text ends in a question ("? xxeos"). Features: every
# token, every bigram and every 5-character prefix of a longer word ("~evacu", a cheap stemmer for
# every language), looked up in the vocabulary of the training texts (document frequency >= 2) with
# pyarrow's vectorised hash lookup: no Python loop per text (>= 60k distinct texts/s, see
# docs/CLASSIFIER.md "Speed"). Then the rule hits of `rule_matrix` and a "?" flag.
_PUNCT = r"([?!؟.,:])"
_SPLIT = r"[^\pL\pN_?!؟.,:]+"
PREFIX_CHARS = 5
MAX_FEATURE_CHARS = 40
MIN_DF = 2


def feature_strings(texts) -> tuple[np.ndarray, pa.Array, int]:
    """Return (row of each feature, feature strings, number of texts) for analysis texts."""
    arr = texts if isinstance(texts, pa.Array) else pa.array(["" if t is None else str(t) for t in texts],
                                                             type=pa.string())
    arr = pc.replace_substring_regex(pc.fill_null(arr, ""), _PUNCT, " \\1 ")
    lists = pc.split_pattern_regex(pc.binary_join_element_wise("xxbos", arr, "xxeos", " "), _SPLIT)
    n = len(lists)
    flat = lists.flatten()
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(lists.offsets.to_numpy()))
    keep = pc.greater(pc.utf8_length(flat), 0).to_numpy(zero_copy_only=False)
    flat, rows = flat.filter(pa.array(keep)), rows[keep]
    parts = [(rows, flat)]
    if len(flat) > 1:
        idx = np.flatnonzero(rows[1:] == rows[:-1])
        if len(idx):
            pairs = pc.binary_join_element_wise(flat.take(pa.array(idx)), flat.take(pa.array(idx + 1)), " ")
            parts.append((rows[idx], pairs))
    long = pc.greater(pc.utf8_length(flat), PREFIX_CHARS).to_numpy(zero_copy_only=False)
    if long.any():
        prefixes = pc.utf8_slice_codeunits(flat.filter(pa.array(long)), 0, PREFIX_CHARS)
        parts.append((rows[long], pc.binary_join_element_wise("~", prefixes, "")))
    return (np.concatenate([r for r, _ in parts]),
            pa.concat_arrays([s.cast(pa.string()) for _, s in parts]), n)


def build_vocab(texts: list[str], min_df: int = MIN_DF) -> pa.Array:
    """Return the sorted feature strings that occur in >= min_df texts (and are <= 40 characters)."""
    rows, strings, _ = feature_strings(texts)
    enc = pc.dictionary_encode(strings)
    idx, uniq = enc.indices.to_numpy(), enc.dictionary
    pairs = unique_ints(rows * max(len(uniq), 1) + idx)
    df = np.bincount(pairs % max(len(uniq), 1), minlength=len(uniq))
    ok = (df >= min_df) & (pc.utf8_length(uniq).to_numpy(zero_copy_only=False) <= MAX_FEATURE_CHARS)
    kept = uniq.filter(pa.array(ok))
    return kept.take(pc.sort_indices(kept))


def features(texts, rules: np.ndarray, vocab: pa.Array, words: sp.csr_matrix | None = None) -> sp.csr_matrix:
    """Return the feature matrix: vocabulary features (0/1) | rule hits | "?" flag.

    `words`: `word_features(texts, vocab)` when already computed (a live batch: on the rule worker,
    `classify.RuleCache.prefetch`).
    """
    words = word_features(texts, vocab) if words is None else words
    return sp.hstack([words, sp.csr_matrix(dense_features(texts, rules))], format="csr")


def word_features(texts, vocab: pa.Array) -> sp.csr_matrix:
    """Return the vocabulary part of `features` (0/1 per text and vocabulary string)."""
    rows, strings, n = feature_strings(texts)
    col = pc.index_in(strings, value_set=vocab)
    ok = pc.is_valid(col).to_numpy(zero_copy_only=False)
    col, rows = col.filter(pa.array(ok)).to_numpy(), rows[ok]
    words = sp.csr_matrix((np.ones(len(col), np.float32), (rows, col)), shape=(n, len(vocab)))
    words.data[:] = 1.0
    return words


@dataclass(frozen=True)
class VocabularyFeatures:
    """`word_features` bound to one vocabulary (a `classify.WordFeatures`).

    The rule worker computes a live batch's word features while the language is detected
    (`chain.enrich`).
    """

    vocab: pa.Array

    @property
    def key(self) -> pa.Array:
        """The vocabulary itself: `RuleCache.words` hands the features only to the model that has it."""
        return self.vocab

    def __call__(self, texts) -> sp.csr_matrix:
        """Return `word_features(texts, vocab)`."""
        return word_features(texts, self.vocab)


def dense_features(texts, rules: np.ndarray) -> np.ndarray:
    """Return [rule hits | "?" flag] per text (float32): the dense part of every model's input."""
    n = len(texts)
    qmark = np.zeros((n, 1), dtype=np.float32)
    if n:
        arr = texts if isinstance(texts, pa.Array) else pa.array(["" if t is None else str(t) for t in texts],
                                                                 type=pa.string())
        qmark[:, 0] = pc.match_substring_regex(pc.fill_null(arr, ""), "[?؟]").to_numpy(zero_copy_only=False)
    return np.hstack([np.asarray(rules, dtype=np.float32).reshape(n, -1), qmark])


N_DENSE = len(CATEGORY_CODES) + 1


def rule_inputs(frame: pd.DataFrame) -> tuple[list[str], np.ndarray]:
    """Return (analysis texts, rule matrix) per row of a TEXT/LANGUAGE frame, as classify sees them."""
    codes, u_texts, matrix = distinct_rules(normalize(frame[[TEXT, LANGUAGE]]))
    texts = np.asarray(u_texts.to_pylist(), dtype=object)
    return list(texts[codes]), matrix[codes]


# --- the model -----------------------------------------------------------------------------------
# vraag: the threshold is the best out-of-fold F1 among those that find >= 70 % of the Dutch
# training questions (an OVD-C would rather read a few extra messages than miss questions: the
# issue's target). When no threshold reaches it, the best F1.
MIN_RECALL = {"vraag": 0.70}
THRESHOLD_GRID = np.round(np.arange(0.01, 0.951, 0.01), 3)


@dataclass
class LearnedModel:
    """Per category: coefficients over the vocabulary + dense features, Platt (a, b), threshold."""

    categories_: tuple[str, ...]
    coef_: np.ndarray  # (n_categories, len(vocab_) + N_DENSE) float32
    intercept_: np.ndarray
    platt_: np.ndarray  # (n_categories, 2): p = 1 / (1 + exp(-(a * score + b)))
    thresholds_: np.ndarray
    vocab_: pa.Array
    version_: str = ""
    meta_: dict | None = None

    def predict_proba(self, texts, rules: np.ndarray, words: sp.csr_matrix | None = None) -> np.ndarray:
        """Return calibrated probabilities (n_texts, n_categories); `words` as in `features`."""
        scores = features(texts, rules, self.vocab_, words) @ self.coef_.T + self.intercept_
        return 1.0 / (1.0 + np.exp(-(self.platt_[:, 0] * np.asarray(scores) + self.platt_[:, 1])))

    def decide(self, texts, rules: np.ndarray, words: sp.csr_matrix | None = None) -> np.ndarray:
        """Return the rule matrix with the model's decision in the columns of its categories.

        For `RULES_KEPT` categories a rule hit stays and the model adds; for the others (vraag,
        kritiek) the model, which sees the rule hit as a feature, decides alone.
        """
        out = np.asarray(rules, dtype=bool).copy()
        if not len(texts) or not self.categories_:
            return out
        hit = self.predict_proba(texts, rules, words) >= self.thresholds_
        kept = set((self.meta_ or {}).get("rules_kept", RULES_KEPT))
        for j, code in enumerate(self.categories_):
            k = CATEGORY_CODES.index(code)
            out[:, k] = hit[:, j] | (out[:, k] if code in kept else False)
        return out


def choose_threshold(y: np.ndarray, p: np.ndarray, min_recall: float = 0.0) -> float:
    """Return the grid threshold with the best F1 on (y, p), among those with recall >= min_recall."""
    y = np.asarray(y, dtype=bool)
    pred = p[None, :] >= THRESHOLD_GRID[:, None]
    tp = (pred & y).sum(axis=1)
    f1 = 2 * tp / np.maximum(pred.sum(axis=1) + y.sum(), 1)
    recall = tp / max(y.sum(), 1)
    ok = recall >= min_recall
    if min_recall and ok.any():
        f1 = np.where(ok, f1, -1.0)
    return float(THRESHOLD_GRID[int(np.argmax(f1))])


def _fit_one(x: sp.csr_matrix, y: np.ndarray, weight: np.ndarray, c: float, seed: int) -> LogisticRegression:
    return LogisticRegression(
        C=c, class_weight="balanced", solver="liblinear", max_iter=3000, random_state=seed
    ).fit(x, y, sample_weight=weight)


def _folds(frame: pd.DataFrame, rows: np.ndarray, y: np.ndarray, seed: int) -> np.ndarray:
    """Return a fold number 0-4 per row: whole events for CrisisLex, stratified folds otherwise.

    Whole events, so the out-of-fold scores that set calibration and thresholds come from unseen
    crises, as in use.
    """
    fold = np.zeros(len(rows), dtype=int)
    groups = frame["group"].to_numpy()[rows] if "group" in frame.columns else np.array(["*"] * len(rows))
    is_event = (frame["source"].to_numpy()[rows] == "crisislex_t26") if "source" in frame.columns else \
        np.zeros(len(rows), bool)
    events = sorted(set(groups[is_event]))
    if len(events) >= 5:
        fold[is_event] = [events.index(g) % 5 for g in groups[is_event]]
    else:
        is_event[:] = False
    rest = np.flatnonzero(~is_event)
    if len(rest):
        n_splits = int(min(5, max(2, min(y[rest].sum(), (~y[rest]).sum()))))
        splitter = StratifiedKFold(n_splits, shuffle=True, random_state=seed)
        for k, (_, te) in enumerate(splitter.split(rest, y[rest])):
            fold[rest[te]] = k
    return fold


# Regularisation strengths tried by `fit_model`; the one with the best mean out-of-fold F1 over the
# categories (training rows only, each category on its target rows) is kept.
C_GRID = (0.05, 0.1, 0.3, 1.0)


def fit_model(
    frame: pd.DataFrame,
    texts: list[str],
    rules: np.ndarray,
    c: float | tuple[float, ...] = C_GRID,
    target_weight: float = 3.0,
    seed: int = 0,
    oof_groups: dict[str, np.ndarray] | None = None,
) -> tuple[LearnedModel, dict]:
    """Fit on the rows of `frame` (codes, judges, LANGUAGE, source); return (model, out-of-fold info).

    Dutch rows weigh `target_weight` times more (the team reads Dutch). Calibration and thresholds
    come from 5-fold out-of-fold scores on the same training rows (`fit_columns`). With several
    values of `c`, the one whose out-of-fold F1 (mean over the categories) is best is kept; the
    model's `meta_["c_search"]` lists every value's figure. Nothing outside `frame` is looked at.
    """
    vocab = build_vocab(list(texts))
    x = features(texts, rules, vocab)
    search = {}
    best = None
    for value in (c if isinstance(c, tuple) else (c,)):
        fitted, info = fit_columns(frame, x, LEARNED, c=value, target_weight=target_weight, seed=seed,
                                   oof_groups=oof_groups)
        score = float(np.mean(fitted.oof_f1)) if len(fitted.oof_f1) else 0.0
        per_code = dict(zip(fitted.categories, np.round(fitted.oof_f1, 4).tolist(), strict=True))
        search[str(value)] = {"mean_oof_f1": round(score, 4), "oof_f1": per_code}
        if best is None or score > best[0] + 1e-12:
            best = (score, value, fitted, info)
    _, chosen, fitted, info = best
    # The version names the content (rebuilding on the same data gives the same version): it is
    # part of the stored analyses' version tag (`chain.current_model_version`).
    digest = hashlib.sha256()
    for part in (fitted.coef, fitted.intercept, fitted.platt, fitted.thresholds, _pack(vocab)):
        digest.update(np.ascontiguousarray(part).tobytes())
    model = LearnedModel(
        categories_=fitted.categories,
        coef_=fitted.coef if len(fitted.categories) else np.zeros((0, len(vocab) + N_DENSE), np.float32),
        intercept_=fitted.intercept,
        platt_=fitted.platt,
        thresholds_=fitted.thresholds,
        vocab_=vocab,
        version_=f"learned-{datetime.now(UTC):%Y%m%d}-{digest.hexdigest()[:8]}",
        meta_={"c": chosen, "c_search": search},
    )
    return model, info


@dataclass
class FittedColumns:
    """Per category: linear coefficients over a feature matrix, Platt (a, b) and decision threshold."""

    categories: tuple[str, ...]
    coef: np.ndarray
    intercept: np.ndarray
    platt: np.ndarray
    thresholds: np.ndarray
    oof_f1: np.ndarray  # cross-fitted out-of-fold F1 per category on its target rows (training only)


def fit_columns(
    frame: pd.DataFrame,
    x,
    codes: tuple[str, ...],
    c: float = 1.0,
    target_weight: float = 3.0,
    seed: int = 0,
    oof_groups: dict[str, np.ndarray] | None = None,
) -> tuple[FittedColumns, dict]:
    """Fit one calibrated linear model per category of `codes` on feature matrix `x` (a row per frame row).

    Used by the default model (sparse n-grams) and the precise mode (sentence embeddings). The
    returned info holds, per category, the out-of-fold predictions of the rows in `oof_groups` (a
    name -> row mask); each fold's rows are cut at a threshold chosen on the *other* folds only
    (cross-fitted), so the reported figures do not profit from choosing the threshold on the rows
    they score.
    """
    weight = np.where(frame[LANGUAGE].to_numpy() == "nl", target_weight, 1.0)
    cats, coefs, intercepts, platt, thresholds, oof_f1, info = [], [], [], [], [], [], {}
    for code in codes:
        judged = frame["judges"].map(lambda j, c=code: c in j).to_numpy(dtype=bool)
        y_all = frame["codes"].map(lambda cs, c=code: c in cs).to_numpy(dtype=bool)
        rows = np.flatnonzero(judged)
        y = y_all[rows]
        if y.sum() < 20 or (~y).sum() < 20:
            continue
        oof, fold = np.zeros(len(rows)), _folds(frame, rows, y, seed)
        for k in range(5):
            tr, te = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
            if not len(te):
                continue
            clf = _fit_one(x[rows[tr]], y[tr], weight[rows[tr]], c, seed)
            oof[te] = clf.decision_function(x[rows[te]])
        cal = LogisticRegression(C=1e4).fit(oof[:, None], y)
        a, b = float(cal.coef_[0, 0]), float(cal.intercept_[0])
        prob = 1.0 / (1.0 + np.exp(-(a * oof + b)))
        dutch = frame[LANGUAGE].to_numpy()[rows] == "nl"
        target = dutch if code in ("vraag", "kritiek") and y[dutch].sum() >= 10 else np.ones(len(rows), bool)
        min_recall = MIN_RECALL.get(code, 0.0)
        threshold = choose_threshold(y[target], prob[target], min_recall)
        crossed = np.zeros(len(rows), dtype=bool)
        for k in range(5):
            other = target & (fold != k)
            crossed[fold == k] = prob[fold == k] >= choose_threshold(y[other], prob[other], min_recall)
        full = _fit_one(x[rows], y, weight[rows], c, seed)
        tp = int((crossed & y & target).sum())
        oof_f1.append(2 * tp / max(int((crossed & target).sum()) + int((y & target).sum()), 1))
        cats.append(code)
        coefs.append(full.coef_[0].astype(np.float32))
        intercepts.append(float(full.intercept_[0]))
        platt.append((a, b))
        thresholds.append(threshold)
        info[code] = {}
        for name, mask in (oof_groups or {}).items():
            sel = mask[rows]
            info[code][name] = {"truth": y[sel], "pred": crossed[sel], "prob": prob[sel]}
    fitted = FittedColumns(tuple(cats), np.vstack(coefs) if coefs else np.zeros((0, x.shape[1]), np.float32),
                           np.array(intercepts), np.array(platt).reshape(-1, 2), np.array(thresholds),
                           np.array(oof_f1))
    return fitted, info


def _pack(vocab: pa.Array) -> np.ndarray:
    return np.frombuffer("\n".join(vocab.to_pylist()).encode("utf-8"), dtype=np.uint8)


def _unpack(packed: np.ndarray) -> pa.Array:
    text = packed.tobytes().decode("utf-8")
    return pa.array(text.split("\n") if text else [], type=pa.string())


def save(model: LearnedModel, path: Path, meta: dict | None = None) -> Path:
    """Write model.npz + model.json into folder `path` (no pickle) and return the folder.

    The vocabulary is stored as UTF-8 feature strings joined by newlines (a uint8 array): word
    1-2-grams and 5-character prefixes from the training texts that at least two texts share.
    """
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path / "model.npz", coef=np.asarray(model.coef_, dtype=np.float32), vocab=_pack(model.vocab_),
        intercept=model.intercept_, platt=model.platt_, thresholds=model.thresholds_,
    )
    doc = {
        "format": FORMAT,
        "kind": KIND,
        "version": model.version_,
        "categories": list(model.categories_),
        "thresholds": [round(float(t), 3) for t in model.thresholds_],
        "min_recall": MIN_RECALL,
        "rules_kept": list(RULES_KEPT),
        "features": {"tokens": "word 1-2-grams incl. . , : ? ! and text start/end markers",
                     "prefix_chars": PREFIX_CHARS, "min_df": MIN_DF, "vocabulary": len(model.vocab_),
                     "rule_columns": list(CATEGORY_CODES), "question_mark": True},
        "source_map": [list(r) for r in SOURCE_MAP],
        "not_used": NOT_USED,
        "licences": LICENCES,
        "sklearn": sklearn.__version__,
    } | (meta or {})
    (path / "model.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def read_meta(path: Path, kind: str, fmt: int) -> dict:
    """Return a saved model's JSON metadata.

    ValueError when it is of another kind or format or names unknown categories.
    """
    meta = json.loads(Path(path).read_text(encoding="utf-8"))
    if meta.get("format") != fmt or meta.get("kind") != kind:
        raise ValueError(f"{path.parent}: not a {kind} of format {fmt}")
    if set(meta["categories"]) - set(CATEGORY_CODES):
        raise ValueError(f"{path.parent}: unknown categories {meta['categories']}")
    return meta


def load(path: Path = MODEL_DIR) -> LearnedModel:
    """Return the model saved by `save` (allow_pickle=False); ValueError on a foreign folder."""
    path = Path(path)
    meta = read_meta(path / "model.json", KIND, FORMAT)
    with np.load(path / "model.npz", allow_pickle=False) as npz:
        coef = npz["coef"].astype(np.float32)
        vocab = _unpack(npz["vocab"])
        arrays = npz["intercept"], npz["platt"], npz["thresholds"]
    if coef.shape != (len(meta["categories"]), len(vocab) + N_DENSE):
        raise ValueError(f"{path}: coefficient shape {coef.shape} does not match this code")
    return LearnedModel(tuple(meta["categories"]), coef, *arrays, vocab_=vocab, version_=meta["version"],
                        meta_=meta)


@lru_cache(maxsize=1)
def default_model() -> LearnedModel | None:
    """Return the shipped model (data/model), or None when it is absent or unreadable (rules only)."""
    try:
        return load(MODEL_DIR)
    except (OSError, ValueError, KeyError):
        return None
