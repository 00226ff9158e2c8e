"""Tests for pipeline.evaluate: metrics, labelled files, accuracy file and CLI."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.evaluate import (
    BASELINE_SUFFIX,
    GOLD_CATEGORIES,
    GOLD_FILE,
    SHARED_DATA,
    TABLE_COLUMNS,
    accuracy_report,
    accuracy_table,
    category_metrics,
    cli,
    evaluate_gold,
    evaluate_preset,
    load_accuracy,
    load_gold,
    save_accuracy,
)


def test_metrics_exact_values_and_ci() -> None:
    truth = np.array([1, 1, 1, 1, 0, 0, 0, 0], dtype=bool)
    pred = np.array([1, 1, 1, 0, 1, 0, 0, 0], dtype=bool)
    m = category_metrics(truth, pred, n_boot=500, seed=1)
    assert (m["precision"], m["recall"], m["f1"], m["support"]) == (0.75, 0.75, 0.75, 4)
    assert m["ci"][0] <= 0.75 <= m["ci"][1]
    assert m == category_metrics(truth, pred, n_boot=500, seed=1)  # seeded


def test_metrics_no_positives_predicted() -> None:
    m = category_metrics(np.array([True, False]), np.array([False, False]), n_boot=100)
    assert (m["precision"], m["recall"], m["f1"]) == (0.0, 0.0, 0.0)


def test_cli_on_labelled_file_writes_accuracy(tmp_path: Path) -> None:
    data = tmp_path / "labels.csv"
    pd.DataFrame(
        {
            "bericht": [
                "Moeten we weg?",
                "Waarom doet niemand iets??",
                "ik zie zwarte rook",
                "mooi weer",
                "",
            ],
            "soort": ["Q", "BLAME", "OTHER", "OTHER", "OTHER"],  # last row: empty text
        }
    ).to_csv(data, index=False)
    out = tmp_path / "acc.json"
    code = cli(
        [
            "--data",
            str(data),
            "--text-col",
            "bericht",
            "--label-col",
            "soort",
            "--map",
            "Q=vraag",
            "--map",
            "BLAME=kritiek",
            "--out",
            str(out),
            "--bootstrap",
            "100",
        ]
    )
    assert code == 0
    report = json.loads(out.read_text())
    cats = report["datasets"]["labels"]["categories"]
    assert set(cats) == {"vraag", "kritiek"}
    assert cats["vraag"]["f1"] == 1.0 and cats["kritiek"]["recall"] == 1.0
    table = accuracy_table(load_accuracy(out))
    assert list(table.columns) == TABLE_COLUMNS and len(table) == 3  # vraag, kritiek + "?" baseline row
    assert set(table["category"]) == {"vraag", "kritiek", "vraag" + BASELINE_SUFFIX}


def test_cli_rejects_bad_map(tmp_path: Path) -> None:
    data = tmp_path / "x.csv"
    pd.DataFrame({"text": ["a"], "label": ["Q"]}).to_csv(data, index=False)
    assert cli(["--data", str(data), "--map", "Q=nonsense"]) == 2


def test_load_accuracy_missing_file(tmp_path: Path) -> None:
    assert load_accuracy(tmp_path / "none.json")["datasets"] == {}
    assert accuracy_table({"datasets": {}}).empty


def test_save_roundtrip(tmp_path: Path) -> None:
    rep = accuracy_report(
        {
            "d": {
                "language": "nl",
                "n": 2,
                "categories": {
                    "vraag": category_metrics(np.array([True, False]), np.array([True, False]), n_boot=10)
                },
            }
        }
    )
    path = save_accuracy(rep, tmp_path / "a.json")
    assert load_accuracy(path) == rep


def test_shipped_accuracy_file_has_no_text() -> None:
    path = Path(__file__).resolve().parents[1] / "data" / "accuracy.json"
    if not path.exists():
        pytest.skip("data/accuracy.json not measured yet")
    table = accuracy_table(load_accuracy(path))
    assert not table.empty and table["f1"].between(0, 1).all()
    assert "text" not in path.read_text()


def test_ct22_dutch_report_half_beats_nothing() -> None:
    if not (SHARED_DATA / "ct22_dutch_dev").is_dir():
        pytest.skip(f"research data not present at {SHARED_DATA}")
    entries = evaluate_preset("ct22_dutch_dev", SHARED_DATA, "report", n_boot=200)
    entry = entries["ct22_dutch_dev"]
    assert entry["language"] == "nl" and 50 < entry["n"] < 181  # held-out half only
    assert "question_mark" in entry["baselines"]


def test_synthetic_entries_never_appear_as_accuracy() -> None:
    m = category_metrics(np.array([True, False]), np.array([True, False]), n_boot=10)
    entry = {"language": "nl", "n": 2, "categories": {"vraag": m}}
    rep = accuracy_report({"real": entry}, synthetic={"demo (synthetic)": entry})
    table = accuracy_table(rep)
    assert table["dataset"].tolist() == ["real"]  # the synthetic demo is kept apart
    assert "synthetic" in rep


def test_gold_set_is_valid_and_scored_with_baseline() -> None:
    gold = load_gold(GOLD_FILE)
    assert len(gold) >= 300 and gold["text"].str.len().gt(0).all()
    assert {"nl", "en", "de", "pl", "tr", "ar"} <= set(gold["language"])  # RTL and non-Latin included
    counts = {c: int(gold["labels"].map(lambda codes, c=c: c in codes).sum()) for c in GOLD_CATEGORIES}
    assert min(counts.values()) >= 10, counts  # every judged category has examples
    entries = evaluate_gold(GOLD_FILE, n_boot=50)
    entry = entries["gold_nl"]
    assert set(entry["categories"]) == set(GOLD_CATEGORIES)
    assert "question_mark" in entry["baselines"] and "gold_nl/nl" in entries


def test_shipped_accuracy_file_shows_baseline_and_gold() -> None:
    path = Path(__file__).resolve().parents[1] / "data" / "accuracy.json"
    if not path.exists():
        pytest.skip("data/accuracy.json not measured yet")
    report = load_accuracy(path)
    table = accuracy_table(report)
    assert ("vraag" + BASELINE_SUFFIX) in set(table["category"])
    assert "gold_nl" in set(table["dataset"])
    assert not any("synthetic" in name for name in table["dataset"])
