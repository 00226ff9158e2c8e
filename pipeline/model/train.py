"""Train, cross-validate and persist the learnable per-category linear model (no pickle).

`LinearCategoryModel` is one binary logistic SGD classifier per category on hashed
word 1-2-grams + char 3-5-grams. It is saved as `model.npz` (sparse coefficients,
loaded with allow_pickle=False) + `model.json` (categories, vectorizer settings,
version, training size, measured accuracy). The project ships no trained model.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import KFold

from pipeline.analysis import learned, precise
from pipeline.analysis.learned import MODEL_DIR
from pipeline.config import REPO_ROOT, get_settings
from pipeline.ingest.privacy import make_private, make_private_dirs
from pipeline.model.metrics import category_metrics
from pipeline.schema import CATEGORY_CODES, TEXT

FORMAT_VERSION = 1
DEFAULT_OUT = REPO_ROOT / "var" / "model"
CODES = "codes"  # labels frames: tuple of category codes per message


class LinearCategoryModel:
    """One logistic-loss SGDClassifier per category on hashed word 1-2-grams and char 3-5-grams."""

    def __init__(
        self,
        n_features: int = 2**18,
        alpha: float = 1e-5,
        max_iter: int = 30,
        min_positives: int = 2,
        random_state: int = 0,
    ) -> None:
        self.n_features = n_features
        self.alpha = alpha
        self.max_iter = max_iter
        self.min_positives = min_positives
        self.random_state = random_state

    def _vectorizers(self) -> tuple[HashingVectorizer, HashingVectorizer]:
        common = {"n_features": self.n_features, "alternate_sign": False, "lowercase": True}
        return (
            HashingVectorizer(analyzer="word", ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", **common),
            HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), **common),
        )

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        """Return the hashed feature matrix (word | char blocks) for texts."""
        words, chars = self._vectorizers()
        texts = ["" if t is None else str(t) for t in texts]
        return sp.hstack([words.transform(texts), chars.transform(texts)], format="csr")

    def fit(self, texts: list[str], label_sets: list[tuple[str, ...]] | pd.Series) -> LinearCategoryModel:
        """Fit one classifier per category with at least `min_positives` positives and negatives."""
        label_sets = [tuple(codes) for codes in label_sets]
        x = self.transform(list(texts))
        cats, coefs, intercepts = [], [], []
        for code in CATEGORY_CODES:
            y = np.array([code in codes for codes in label_sets])
            if y.sum() < self.min_positives or (~y).sum() < self.min_positives:
                continue
            clf = SGDClassifier(
                loss="log_loss",
                alpha=self.alpha,
                max_iter=self.max_iter,
                tol=1e-4,
                class_weight="balanced",
                random_state=self.random_state,
            ).fit(x, y)
            cats.append(code)
            coefs.append(sp.csr_matrix(clf.coef_.astype(np.float32)))
            intercepts.append(float(clf.intercept_[0]))
        self.categories_ = tuple(cats)
        self.coef_ = sp.vstack(coefs, format="csr") if coefs else sp.csr_matrix((0, 2 * self.n_features))
        self.intercept_ = np.array(intercepts, dtype=np.float64)
        self.n_train_ = len(label_sets)
        self.version_ = f"linear-{datetime.now(UTC):%Y%m%dT%H%M%S}"
        self.metrics_: dict = {}
        return self

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Return an (n_texts, len(categories_)) array of probabilities."""
        scores = self.transform(list(texts)) @ self.coef_.T
        scores = (
            np.asarray(scores.todense()) + self.intercept_
            if sp.issparse(scores)
            else scores + self.intercept_
        )
        return 1.0 / (1.0 + np.exp(-scores))

    def predict(self, texts: list[str], threshold: float = 0.5) -> list[tuple[str, ...]]:
        """Return the predicted code tuple per text (probability >= threshold)."""
        hits = self.predict_proba(texts) >= threshold
        return [tuple(c for c, h in zip(self.categories_, row, strict=True) if h) for row in hits]


def save_model(model: LinearCategoryModel, path: Path) -> Path:
    """Write model.npz (coefficients) and model.json (metadata) into folder `path`; return the folder."""
    path = Path(path)
    make_private_dirs(path)
    coef = model.coef_.tocsr()
    np.savez_compressed(
        path / "model.npz",
        data=coef.data,
        indices=coef.indices,
        indptr=coef.indptr,
        shape=np.array(coef.shape),
        intercept=model.intercept_,
    )
    meta = {
        "format": FORMAT_VERSION,
        "kind": "LinearCategoryModel",
        "version": model.version_,
        "categories": list(model.categories_),
        "n_train": model.n_train_,
        "metrics": model.metrics_,
        "params": {
            "n_features": model.n_features,
            "alpha": model.alpha,
            "max_iter": model.max_iter,
            "min_positives": model.min_positives,
            "random_state": model.random_state,
        },
        "vectorizers": [
            {"analyzer": "word", "ngram_range": [1, 2]},
            {"analyzer": "char_wb", "ngram_range": [3, 5]},
        ],
        "sklearn": sklearn.__version__,
        "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    (path / "model.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")

    make_private(path)  # like the database: folder 0700, files 0600
    return path


def load_model(path: Path) -> LinearCategoryModel:
    """Return the model saved in folder `path` by `save_model` (no pickle involved)."""
    path = Path(path)
    meta = json.loads((path / "model.json").read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT_VERSION or meta.get("kind") != "LinearCategoryModel":
        raise ValueError(f"{path}: not a LinearCategoryModel of format {FORMAT_VERSION}")
    unknown = set(meta["categories"]) - set(CATEGORY_CODES)
    if unknown:
        raise ValueError(f"{path}: unknown categories {sorted(unknown)}")
    with np.load(path / "model.npz", allow_pickle=False) as npz:
        coef = sp.csr_matrix((npz["data"], npz["indices"], npz["indptr"]), shape=tuple(npz["shape"]))
        intercept = npz["intercept"]
    model = LinearCategoryModel(**meta["params"])
    if coef.shape != (len(meta["categories"]), 2 * model.n_features):
        raise ValueError(f"{path}: coefficient shape {coef.shape} does not match the metadata")
    model.categories_, model.coef_, model.intercept_ = tuple(meta["categories"]), coef, intercept
    model.n_train_, model.version_, model.metrics_ = meta["n_train"], meta["version"], meta.get("metrics", {})
    return model


def read_labels(path: Path, text_col: str = "text", label_col: str = "codes") -> pd.DataFrame:
    """Return TEXT and CODES (tuple) from a CSV/TSV whose label column holds ';'-separated codes."""
    raw = pd.read_csv(path, sep=None, engine="python", dtype=str, keep_default_na=False)
    for col in (text_col, label_col):
        if col not in raw.columns:
            raise ValueError(f"{path}: no column {col!r}; columns are {list(raw.columns)}")
    return labels_frame(raw[text_col], raw[label_col])


def labels_frame(texts: pd.Series, labels: pd.Series) -> pd.DataFrame:
    """Return TEXT and CODES columns; labels are ';'-separated codes (unknown codes raise ValueError)."""
    codes = (
        labels.fillna("")
        .astype(str)
        .map(lambda v: tuple(dict.fromkeys(c.strip() for c in v.split(";") if c.strip())))
    )
    unknown = sorted({c for cs in codes for c in cs} - set(CATEGORY_CODES))
    if unknown:
        raise ValueError(f"unknown category codes {unknown}; valid: {', '.join(CATEGORY_CODES)}")
    return pd.DataFrame({TEXT: texts.fillna("").astype(str).to_numpy(), CODES: codes.to_numpy()})


def train_model(
    frame: pd.DataFrame,
    text_col: str = TEXT,
    label_col: str = CODES,
    n_splits: int = 5,
    random_state: int = 0,
    **model_params: object,
) -> tuple[LinearCategoryModel, dict]:
    """Return (model fitted on all rows, {code: cross-validated metrics}) for texts and code tuples."""
    texts = frame[text_col].fillna("").astype(str).tolist()
    labels = [tuple(c) for c in frame[label_col]]
    if len(texts) < 2 * n_splits:
        raise ValueError(
            f"need at least {2 * n_splits} labelled messages for {n_splits}-fold cross-validation"
        )
    oof: dict[str, np.ndarray] = {}
    for train_idx, test_idx in KFold(n_splits, shuffle=True, random_state=random_state).split(texts):
        fold = LinearCategoryModel(random_state=random_state, **model_params).fit(
            [texts[i] for i in train_idx], [labels[i] for i in train_idx]
        )
        proba = fold.predict_proba([texts[i] for i in test_idx])
        for j, code in enumerate(fold.categories_):
            oof.setdefault(code, np.zeros(len(texts), dtype=bool))[test_idx] = proba[:, j] >= 0.5
    model = LinearCategoryModel(random_state=random_state, **model_params).fit(texts, labels)
    metrics = {}
    for code in model.categories_:
        truth = np.array([code in c for c in labels])
        metrics[code] = category_metrics(
            truth, oof.get(code, np.zeros(len(texts), dtype=bool)), seed=random_state
        )
    model.metrics_ = metrics
    return model, metrics


def build_default(root: Path, out: Path = MODEL_DIR, seed: int = 0) -> tuple[learned.LearnedModel, dict]:
    """Train the default model on the *train* parts of the research data; save it; return it + figures.

    The figures are out-of-fold (5-fold, within the training rows) for ct22_dutch_train_half; the
    held-out evaluation is `python -m pipeline evaluate --data <root>`.
    """
    frame = learned.labelled_sources(root)
    train = frame[frame["part"] == "train"].reset_index(drop=True)
    texts, rules = learned.rule_inputs(train)
    groups = {"ct22_dutch_train_half": (train["source"] == "ct22_dutch_train_half").to_numpy()}
    model, info = learned.fit_model(train, texts, rules, seed=seed, oof_groups=groups)
    cv = _cross_validated(info, seed)
    counts = train.groupby("source").size().to_dict()
    meta = {
        "trained_on": {k: int(v) for k, v in counts.items()},
        "n_train": len(train),
        "cross_validated": cv,
        "regularisation": {k: (model.meta_ or {})[k] for k in ("c", "c_search")},
        "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    learned.save(model, out, meta)
    model.meta_ = json.loads((Path(out) / "model.json").read_text(encoding="utf-8"))
    learned.default_model.cache_clear()
    return model, meta


def _cross_validated(info: dict, seed: int) -> dict:
    """Return {group: {code: metrics + tp_fp_fn}} from `fit_columns`' out-of-fold info."""
    cv: dict = {}
    for code, by in info.items():
        for name, d in by.items():
            if d["truth"].any():
                cv.setdefault(name, {})[code] = category_metrics(d["truth"], d["pred"], seed=seed) | {
                    "tp_fp_fn": [int((d["truth"] & d["pred"]).sum()), int((~d["truth"] & d["pred"]).sum()),
                                 int((d["truth"] & ~d["pred"]).sum())]
                }
    return cv


def embeddings_cache(texts: list[str], path: Path, embed=None) -> np.ndarray:
    """Return a vector per text, embedding only texts not yet in the cache file `path` (npz, keyed by sha256).

    Embedding the ~13k labelled CT22 texts takes ~15-30 minutes here; the cache (vectors and text
    hashes, no text) makes a rebuild cheap. Written with mode 0600 outside the repository.
    """
    embed = embed or precise.embed
    keys = np.array([hashlib.sha256(t.encode("utf-8")).hexdigest()[:32] for t in texts])
    known: dict[str, np.ndarray] = {}
    if path.exists():
        with np.load(path, allow_pickle=False) as npz:
            known = dict(zip(npz["keys"].tolist(), npz["vectors"], strict=True))
    todo = [i for i, k in enumerate(keys) if k not in known]
    for start in range(0, len(todo), 640):
        part = todo[start:start + 640]
        for i, vector in zip(part, embed([texts[i] for i in part]), strict=True):
            known[keys[i]] = vector
        make_private_dirs(path.parent)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(list(known)), vectors=np.vstack(list(known.values())))
        make_private(tmp)
        tmp.replace(path)
    return np.vstack([known[k] for k in keys]) if len(keys) else np.zeros((0, precise.EMBED_DIM), np.float32)


def build_precise(root: Path, out: Path = precise.PRECISE_DIR, seed: int = 0, cache: Path | None = None,
                  embed=None) -> tuple[precise.PreciseModel, dict]:
    """Train the precise-mode head (vraag, kritiek) on the *train* parts that judge them; save it.

    Rows: `precise.TRAIN_SOURCES` (CT22 train in nl, en, ar, bg, tr and the gold set's training
    half, as for the default model); the Dutch figures are 5-fold cross-fitted out-of-fold on
    ct22_dutch_train_half, the held-out ones come from `python -m pipeline evaluate --precise`.
    """
    frame = learned.labelled_sources(root)
    train = frame[(frame["part"] == "train").to_numpy()
                  & frame["source"].isin(precise.TRAIN_SOURCES).to_numpy()].reset_index(drop=True)
    texts, rules = learned.rule_inputs(train)
    cache = cache or get_settings().home / "cache" / "embeddings.npz"
    vectors = embeddings_cache(train[TEXT].astype(str).tolist(), Path(cache), embed)
    groups = {"ct22_dutch_train_half": (train["source"] == "ct22_dutch_train_half").to_numpy()}
    model, info = precise.fit(train, texts, rules, vectors, seed=seed, oof_groups=groups)
    meta = {"trained_on": {k: int(v) for k, v in train.groupby("source").size().items()},
            "n_train": len(train), "cross_validated": _cross_validated(info, seed),
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds")}
    precise.save(model, out, meta)
    model.meta_ = json.loads((Path(out) / "head.json").read_text(encoding="utf-8"))
    precise.precise_model.cache_clear()
    return model, meta
