"""Tests for pipeline.model.train: fitting, probabilities, pickle-free persistence, CV, CLI."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.analysis.classify import classify
from pipeline.cli.train import main as cli
from pipeline.model.train import (
    CODES,
    LinearCategoryModel,
    labels_frame,
    load_model,
    save_model,
    train_model,
)
from pipeline.schema import CATEGORIES, TEXT

# Two disjoint vocabularies: health complaints vs. help offers (+ unlabelled filler).
HEALTH = [
    "stank en hoofdpijn {}",
    "ik ben misselijk van de lucht {}",
    "benauwd en hoesten {}",
    "prikkende ogen {}",
]
HELP = [
    "wij hebben plek voor {} mensen",
    "opvang aangeboden {}",
    "wie kan helpen met vervoer {}",
    "onderdak voor {}",
]
TEXTS = [t.format(i) for i in range(10) for t in HEALTH + HELP] + [
    f"mooi weer vandaag {i}" for i in range(10)
]
LABELS = [
    (
        ("gezondheid",)
        if t.split()[0] in {"stank", "ik", "benauwd", "prikkende"}
        else ("hulp",)
        if not t.startswith("mooi")
        else ()
    )
    for t in TEXTS
]


def test_fit_predict_separates_vocabularies() -> None:
    model = LinearCategoryModel(n_features=2**12, random_state=0).fit(TEXTS, LABELS)
    assert model.categories_ == ("gezondheid", "hulp")
    assert model.predict(["zware stank en hoofdpijn", "wij hebben plek voor twee"]) == [
        ("gezondheid",),
        ("hulp",),
    ]
    proba = model.predict_proba(["x"])
    assert proba.shape == (1, 2) and ((proba >= 0) & (proba <= 1)).all()


def test_save_load_roundtrip_without_pickle(tmp_path: Path) -> None:
    model = LinearCategoryModel(n_features=2**12, random_state=0).fit(TEXTS, LABELS)
    folder = save_model(model, tmp_path / "m")
    assert sorted(p.name for p in folder.iterdir()) == ["model.json", "model.npz"]
    loaded = load_model(folder)
    np.testing.assert_allclose(loaded.predict_proba(TEXTS), model.predict_proba(TEXTS), rtol=1e-6)
    meta = json.loads((folder / "model.json").read_text())
    assert meta["categories"] == ["gezondheid", "hulp"] and meta["n_train"] == len(TEXTS)


def test_load_rejects_foreign_metadata(tmp_path: Path) -> None:
    folder = save_model(LinearCategoryModel(n_features=2**10).fit(TEXTS, LABELS), tmp_path / "m")
    meta = json.loads((folder / "model.json").read_text())
    (folder / "model.json").write_text(json.dumps(meta | {"categories": ["nope", "hulp"]}))
    with pytest.raises(ValueError, match="unknown categories"):
        load_model(folder)


def test_train_model_cross_validates_and_is_deterministic() -> None:
    frame = pd.DataFrame({TEXT: TEXTS, CODES: LABELS})
    model, metrics = train_model(frame, n_splits=3, random_state=0, n_features=2**12)
    assert set(metrics) == {"gezondheid", "hulp"}
    assert metrics["hulp"]["f1"] > 0.8 and metrics["hulp"]["support"] == 40
    _, again = train_model(frame, n_splits=3, random_state=0, n_features=2**12)
    assert again == metrics


def test_model_combines_in_classify() -> None:
    model = LinearCategoryModel(n_features=2**12).fit(TEXTS, LABELS)
    out = classify(pd.DataFrame({TEXT: ["onderdak voor 3"]}), model=model)
    assert "hulp" in out[CATEGORIES].iloc[0]


def test_labels_frame_rejects_unknown_codes() -> None:
    with pytest.raises(ValueError, match="unknown category codes"):
        labels_frame(pd.Series(["a"]), pd.Series(["vraag;onzin"]))
    assert labels_frame(pd.Series(["a", ""]), pd.Series(["vraag; kritiek", ""]))[CODES].tolist() == [
        ("vraag", "kritiek"),
        (),
    ]  # empty text, no codes


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "labels.tsv"
    pd.DataFrame({"text": TEXTS, "codes": [";".join(c) for c in LABELS]}).to_csv(path, sep="\t", index=False)
    assert cli(["--labels", str(path), "--out", str(tmp_path / "out"), "--folds", "3"]) == 0
    assert "hulp" in capsys.readouterr().out
    assert load_model(tmp_path / "out").categories_ == ("gezondheid", "hulp")
