"""Tests for pipeline.model.evaluate: metrics, labelled files, accuracy file and CLI."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.cli.evaluate import main as cli
from pipeline.model.evaluate import (
    BASELINE_SUFFIX,
    GOLD_CATEGORIES,
    GOLD_FILE,
    SHARED_DATA,
    TABLE_COLUMNS,
    accuracy_report,
    accuracy_table,
    evaluate_gold,
    evaluate_preset,
    load_accuracy,
    load_gold,
    save_accuracy,
)
from pipeline.model.metrics import category_metrics


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
                "Belachelijk dat de gemeente ons niks laat weten!",
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


def test_ct22_dutch_held_out_with_learned_model_beats_naive_baselines() -> None:
    """All 181 CT22 Dutch dev tweets are unseen by the model; pooled with the train-half CV (1,162)."""
    from pipeline.analysis.learned import default_model
    from pipeline.model.evaluate import evaluate_dutch_pooled

    if not (SHARED_DATA / "ct22_dutch_train_half").is_dir():
        pytest.skip(f"research data not present at {SHARED_DATA}")
    base = default_model()
    entry = evaluate_preset("ct22_dutch_dev", SHARED_DATA, "report", n_boot=200, base_model=base)[
        "ct22_dutch_dev"]
    assert entry["language"] == "nl" and entry["n"] == 181
    assert {"question_mark", "blame_lexicon", "rules"} <= set(entry["baselines"])
    pooled = evaluate_dutch_pooled(SHARED_DATA, base, entry, n_boot=200)["ct22_dutch (dev + train-half cv)"]
    assert pooled["n"] == 1162
    vraag, kritiek = pooled["categories"]["vraag"], pooled["categories"]["kritiek"]
    assert vraag["f1"] >= pooled["baselines"]["question_mark"]["vraag"]["f1"] + 0.05
    assert kritiek["f1"] >= pooled["baselines"]["blame_lexicon"]["kritiek"]["f1"] + 0.10


def test_accuracy_words_read_like_an_ovdc_sentence() -> None:
    from pipeline.model.evaluate import accuracy_words

    m = category_metrics(np.array([True] * 10 + [False] * 20), np.array([True] * 6 + [False] * 4 + [True] * 4
                                                                          + [False] * 16), n_boot=10)
    own = category_metrics(np.array([True, True, False]), np.array([True, True, False]), n_boot=10)
    rep = {"datasets": {"ct22_dutch (dev + train-half cv)": {"categories": {"vraag": m}},
                        "gold_nl/nl": {"categories": {"vraag": own}}}}
    lines = accuracy_words("vraag", "nl", rep)
    assert lines[0].startswith("op echte Nederlandse tweets vindt dit ongeveer 6 van de 10 vragen; "
                               "4 van de 10 meldingen zijn onterecht")
    assert "F1 0,60" in lines[0]  # 6 found, 4 wrong: P = R = F1 = 0.6, with a decimal comma
    assert lines[1].startswith("eigen testset")
    assert accuracy_words("vraag", "en", rep)[0].startswith("on real Dutch tweets this finds about 6 in 10")
    assert accuracy_words("gerucht", "nl", rep) == []


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
