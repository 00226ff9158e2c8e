"""Label corrections by analysts: review samples, store corrections, measure agreement, retrain.

Data:
    messages: the analysed frame (MESSAGE_ID, TEXT, CATEGORIES, IS_OFFICIAL, IS_REPOST).
    corrections: `label_corrections` rows (message_id, ';'-joined codes, actor); the latest
        correction of a message counts.

Functions:
    review_sample      a seeded sample of messages to review (per predicted category or all).
    save_correction    store one correction and its audit entry (`label.correct`).
    load_corrections   the latest correction per message of an incident.
    agreement          per category: how often the current classifier agrees with the corrections.
    training_frame / readiness   what a model can be trained on, and whether that is enough.
    train_and_save     train `LinearCategoryModel`, save it, record its version (meta row), audit.
    model_version / remove_model   the active model's version; go back to rules only.

The analysis picks the model up from `get_settings().home / "model"` (see
`pipeline.analysis.chain.region_category_model`). Cached analyses must be keyed on
`model_version(engine)` as well as the data version, else a new model is only
used after the next data change.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from pipeline.model.train import CODES, save_model, train_model
from pipeline.schema import (
    CATEGORIES,
    CATEGORY_CODES,
    IS_OFFICIAL,
    IS_REPOST,
    MESSAGE_ID,
    TEXT,
)
from pipeline.storage import labels as label_rows
from pipeline.storage import store

ALL = "__alle__"  # review_sample: sample from all public messages, whatever their prediction
MODEL_VERSION_KEY = "category_model_version"
MIN_MESSAGES = 20  # corrected messages needed before training
MIN_POSITIVES = 2  # positives (and negatives) a category needs to be learned
AGREEMENT_COLUMNS = ("category", "n", "support", "predicted", "tp", "fp", "fn", "precision",
                     "recall")


def parse_codes(value: str) -> tuple[str, ...]:
    """Return the known category codes of a ';'-joined string, in schema order."""
    given = {c.strip() for c in str(value or "").split(";") if c.strip()}
    return tuple(c for c in CATEGORY_CODES if c in given)


def join_codes(codes) -> str:
    """Return codes as a ';'-joined string in schema order; unknown codes raise ValueError."""
    codes = set(codes)
    unknown = codes - set(CATEGORY_CODES)
    if unknown:
        raise ValueError(f"unknown category codes: {sorted(unknown)}")
    return ";".join(c for c in CATEGORY_CODES if c in codes)


# --- sampling ---------------------------------------------------------------------------
def review_sample(df: pd.DataFrame, category: str, n: int = 10, seed: int = 0,
                  exclude: tuple[int, ...] = ()) -> pd.DataFrame:
    """Return up to n public, non-repost messages predicted as `category` (ALL: any), seeded.

    One message per distinct text (copies add nothing to a review); messages in
    `exclude` (already corrected) are left out. Columns: MESSAGE_ID, TEXT, CATEGORIES.
    """
    if category != ALL and category not in CATEGORY_CODES:
        raise ValueError(f"unknown category {category!r}")
    pool = df[~df[IS_OFFICIAL].astype(bool)]
    if IS_REPOST in pool:
        pool = pool[~pool[IS_REPOST].astype(bool)]
    if category != ALL:
        pool = pool[pool[CATEGORIES].map(lambda c: category in c).astype(bool)]
    if exclude:
        pool = pool[~pool[MESSAGE_ID].isin(exclude)]
    pool = pool.drop_duplicates(TEXT)
    if len(pool) > n:
        pool = pool.sample(n=n, random_state=seed)
    return pool[[MESSAGE_ID, TEXT, CATEGORIES]].reset_index(drop=True)


# --- storage ----------------------------------------------------------------------------
def save_correction(engine: Engine, message_id: int, codes, *, actor: str, role: str = "",
                    incident_id: int | None = None, predicted=()) -> int:
    """Store a correction (the full label set of a message) and audit it; return its id."""
    joined = join_codes(codes)
    with engine.begin() as conn:
        correction_id = label_rows.insert_correction(conn, int(message_id), joined, actor)
        owner = incident_id if incident_id is not None else label_rows.incident_of_message(conn, message_id)
        if owner is not None:  # views that show corrected labels follow the data version
            store.bump_version(conn, int(owner))
        store.write_audit(conn, actor=actor, role=role, action="label.correct",
                          obj=f"message:{int(message_id)}",
                          details={"incident_id": incident_id, "categories": joined,
                                   "predicted": join_codes(predicted),
                                   "changed": set(parse_codes(joined)) != set(predicted)})
    return correction_id


def load_corrections(engine: Engine, incident_id: int) -> pd.DataFrame:
    """Return the latest correction per message of an incident: message_id, codes, actor, at."""
    rows = label_rows.latest_corrections(engine, incident_id)
    out = pd.DataFrame(rows, columns=["message_id", "categories", "actor", "created_at"])
    return pd.DataFrame({
        "message_id": out["message_id"].astype("int64"),
        "codes": pd.Series([parse_codes(c) for c in out["categories"]], dtype=object),
        "actor": out["actor"].astype(object),
        "created_at": pd.to_datetime(out["created_at"]).dt.tz_localize("UTC"),
    })


# --- measuring ------------------------------------------------------------------------------
def agreement(df: pd.DataFrame, corrections: pd.DataFrame) -> pd.DataFrame:
    """Return per category the classifier's precision and recall on the corrected messages.

    n is the number of corrected messages (all categories share it), support the
    corrected positives, predicted the classifier's positives; precision / recall
    are nan when undefined (nothing predicted / no positives).
    """
    merged = corrections.merge(df[[MESSAGE_ID, CATEGORIES]], left_on="message_id",
                               right_on=MESSAGE_ID, how="inner")
    rows = []
    for code in CATEGORY_CODES:
        truth = np.array([code in c for c in merged["codes"]], dtype=bool)
        pred = np.array([code in c for c in merged[CATEGORIES]], dtype=bool)
        tp, fp, fn = int((truth & pred).sum()), int((~truth & pred).sum()), int((truth & ~pred).sum())
        rows.append({"category": code, "n": len(merged), "support": int(truth.sum()),
                     "predicted": int(pred.sum()), "tp": tp, "fp": fp, "fn": fn,
                     "precision": tp / (tp + fp) if tp + fp else np.nan,
                     "recall": tp / (tp + fn) if tp + fn else np.nan})
    return pd.DataFrame(rows, columns=list(AGREEMENT_COLUMNS))


# --- training ---------------------------------------------------------------------------
def training_frame(df: pd.DataFrame, corrections: pd.DataFrame) -> pd.DataFrame:
    """Return text + codes (train.CODES) of the corrected messages still in the frame."""
    merged = corrections.merge(df[[MESSAGE_ID, TEXT]], left_on="message_id", right_on=MESSAGE_ID,
                               how="inner")
    return pd.DataFrame({TEXT: merged[TEXT].astype(str),
                         CODES: pd.Series(list(merged["codes"]), dtype=object)})


@dataclass(frozen=True)
class Readiness:
    """Whether a training frame is enough: learnable categories and what is missing."""

    ok: bool
    n: int
    learnable: tuple[str, ...]
    too_few: tuple[str, ...]


def readiness(train: pd.DataFrame, min_messages: int = MIN_MESSAGES,
              min_positives: int = MIN_POSITIVES) -> Readiness:
    """Return whether `train` has >= min_messages rows and a category with enough examples.

    A category is learnable with >= min_positives positives and as many negatives;
    the others keep using the rules only.
    """
    n = len(train)
    learnable, too_few = [], []
    for code in CATEGORY_CODES:
        pos = sum(code in c for c in train[CODES]) if n else 0
        (learnable if pos >= min_positives and n - pos >= min_positives else too_few).append(code)
    return Readiness(n >= min_messages and bool(learnable), n, tuple(learnable), tuple(too_few))


def train_and_save(engine: Engine, train: pd.DataFrame, path: Path, *, actor: str, role: str = "",
                   incident_id: int | None = None, n_splits: int = 5, random_state: int = 0):
    """Train on `train`, save to `path`, record the version (meta row) and audit; return (model, metrics)."""
    state = readiness(train)
    if not state.ok:
        raise ValueError(f"not enough corrections to train: {state}")
    model, metrics = train_model(train, text_col=TEXT, label_col=CODES,
                                 n_splits=min(n_splits, len(train) // 2),
                                 random_state=random_state)
    save_model(model, path)
    summary = {code: {"f1": round(m["f1"], 3), "support": m["support"]} for code, m in metrics.items()}
    with engine.begin() as conn:
        label_rows.write_meta(conn, MODEL_VERSION_KEY, model.version_)
        store.write_audit(conn, actor=actor, role=role, action="model.train",
                          obj=f"model:{model.version_}",
                          details={"incident_id": incident_id, "n_train": len(train),
                                   "categories": list(model.categories_), "cv": summary})
    return model, metrics


def model_version(engine: Engine) -> str:
    """Return the version of the active trained model ("" = rules only)."""
    return label_rows.read_meta(engine, MODEL_VERSION_KEY) or ""


def model_info(path: Path) -> dict:
    """Return the saved model's metadata (model.json), or {} when there is none."""
    meta = Path(path) / "model.json"
    if not meta.exists():
        return {}
    try:
        return json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def remove_model(engine: Engine, path: Path, *, actor: str, role: str = "") -> bool:
    """Delete the trained model (the analysis goes back to rules only); return whether one existed."""
    path = Path(path)
    existed = (path / "model.json").exists()
    if path.exists():
        shutil.rmtree(path)
    with engine.begin() as conn:
        label_rows.write_meta(conn, MODEL_VERSION_KEY, "")
        store.write_audit(conn, actor=actor, role=role, action="model.remove", obj=str(path.name),
                          details={"existed": existed})
    return existed
