"""Measure the classifier against labelled data: precision, recall and F1 per category and language.

Any CSV/TSV with a text and a label column can be mapped onto our category codes;
presets read the research datasets in `../shared/data` (never copied into the
repository). Each preset has a *develop* part (used while writing the rules) and
a *report* part (held out; the figures we publish). Figures, never texts, are
saved to `data/accuracy.json` for the dashboard.

Besides the research presets, the folder mode of the CLI also scores
- `gold_nl`: the project's own hand-written, CC0 incident messages (`data/gold_nl.csv`), frozen
  before the rules `rules-2026.11-2` were written, scored in full;
- `ct22_dutch_dev[all]`: all 181 CT22 Dutch tweets, labelled as partly seen in development;
- `crisislex_t6[relevance]`: off-topic (ruis) as decided by the relevance stage;
- the synthetic demo incident, stored under the separate key "synthetic" (written by us, not an
  accuracy claim; `accuracy_table` never shows it).
Every entry with `vraag` also carries the naive "?" baseline; `accuracy_table` lists it as
category "vraag [?-baseline]".
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.analysis.classify import (
    RULES_VERSION,
    CategoryModel,
    LearnedModel,
    classify,
    question_mark_baseline,
)
from pipeline.analysis.language import detect_language
from pipeline.analysis.learned import T26_EVAL_EVENTS, gold_half
from pipeline.analysis.normalize import normalize
from pipeline.analysis.relevance import CRISISLEX_T6_KEYWORDS, RelevanceParams, score_relevance
from pipeline.config import DATA_DIR
from pipeline.ingest import privacy
from pipeline.ingest.load import read_messages
from pipeline.model.metrics import category_metrics, metrics_from_counts
from pipeline.render import tableformat
from pipeline.schema import CATEGORIES, CATEGORY_CODES, LANGUAGE, RELEVANT, SOURCE_ID, TEXT

ACCURACY_FILE = DATA_DIR / "accuracy.json"
SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
LABELS = "labels"  # evaluation frames: tuple of true codes per message
SPLIT = "split"  # evaluation frames: "develop" or "report"
TABLE_COLUMNS = ["category", "dataset", "language", "n", "precision", "recall", "f1", "f1_low", "f1_high"]
GOLD_FILE = DATA_DIR / "gold_nl.csv"
BASELINE_SUFFIX = " [?-baseline]"  # accuracy_table category of the "?" rule next to vraag
GOLD_CATEGORIES = tuple(c for c in CATEGORY_CODES if c not in ("officieel", "ruis"))


BLAME_LEXICON = (
    # The naive kritiek baseline: 20 blame/outrage words (nl + en), no syntax, no target.
    "schande", "schandalig", "belachelijk", "incompetent", "onverantwoord", "wanbeleid", "falen",
    "faalt", "gefaald", "te laat", "schuld", "amateuristisch", "blunder", "prutsers", "nalatig",
    "leugen", "aftreden", "shame", "disgrace", "incompetence",
)


def blame_lexicon_baseline(texts: pd.Series) -> pd.Series:
    """Return True where a text contains a word of the 20-word blame lexicon (the kritiek baseline)."""
    pattern = r"(?<!\w)(?:" + "|".join(BLAME_LEXICON) + r")"
    return texts.fillna("").astype(str).str.lower().str.contains(pattern, regex=True)


def score_frame(
    frame: pd.DataFrame,
    categories: tuple[str, ...],
    model: CategoryModel | None = None,
    n_boot: int = 2000,
    seed: int = 0,
    base_model: LearnedModel | None = None,
) -> dict:
    """Return {"n", "language", "categories": {code: metrics}, "baselines"} for TEXT, LABELS, LANGUAGE.

    Texts are normalised first, as in the pipeline. With `base_model` (the learned default model)
    the rules alone are also scored, as baseline "rules"; vraag gets the "?" rule and kritiek the
    20-word blame lexicon as naive baselines.
    """
    inputs = normalize(frame[[c for c in (TEXT, LANGUAGE) if c in frame.columns]])
    predicted = classify(inputs, model=model, base_model=base_model)[CATEGORIES]
    rules_only = classify(inputs)[CATEGORIES] if base_model is not None else None
    langs = sorted(frame[LANGUAGE].dropna().unique()) if LANGUAGE in frame.columns else []
    result = {
        "language": langs[0] if len(langs) == 1 else ("mixed" if langs else "und"),
        "n": len(frame),
        "categories": {},
        "baselines": {},
    }
    truth_of = {
        code: frame[LABELS].map(lambda codes, c=code: c in codes).to_numpy(dtype=bool) for code in categories
    }
    for code in categories:
        pred = predicted.map(lambda codes, c=code: c in codes).to_numpy(dtype=bool)
        result["categories"][code] = category_metrics(truth_of[code], pred, n_boot, seed)
        if rules_only is not None:
            rp = rules_only.map(lambda codes, c=code: c in codes).to_numpy(dtype=bool)
            result["baselines"].setdefault("rules", {})[code] = category_metrics(
                truth_of[code], rp, n_boot, seed
            )
    if "vraag" in categories:
        baseline = question_mark_baseline(frame[TEXT]).to_numpy(dtype=bool)
        result["baselines"]["question_mark"] = {
            "vraag": category_metrics(truth_of["vraag"], baseline, n_boot, seed)
        }
    if "kritiek" in categories:
        baseline = blame_lexicon_baseline(frame[TEXT]).to_numpy(dtype=bool)
        result["baselines"]["blame_lexicon"] = {
            "kritiek": category_metrics(truth_of["kritiek"], baseline, n_boot, seed)
        }
    return result


# --- datasets ----------------------------------------------------------------------
def _half(ids: pd.Series) -> pd.Series:
    """Return a stable develop/report split (crc32 of the id), independent of row order."""
    return ids.astype(str).map(lambda s: "report" if zlib.crc32(s.encode()) % 2 else "develop")


def read_labelled(
    path: Path,
    text_col: str,
    label_col: str,
    mapping: dict[str, str] | None = None,
    lang_col: str | None = None,
    sep: str = ";",
) -> pd.DataFrame:
    """Return a frame with TEXT, LABELS (tuple of codes) and LANGUAGE from any CSV/TSV with a label column."""
    raw = pd.read_csv(path, sep=None, engine="python", dtype=str, keep_default_na=False)
    for col in (text_col, label_col, lang_col):
        if col and col not in raw.columns:
            raise ValueError(f"{path}: no column {col!r}; columns are {list(raw.columns)}")

    def to_codes(value: str) -> tuple[str, ...]:
        parts = [v.strip() for v in str(value).split(sep) if v.strip()]
        codes = [mapping.get(v, "") for v in parts] if mapping else parts
        return tuple(dict.fromkeys(c for c in codes if c in CATEGORY_CODES))

    return pd.DataFrame(
        {
            TEXT: raw[text_col].astype(str),
            LABELS: raw[label_col].map(to_codes),
            LANGUAGE: raw[lang_col] if lang_col else "und",
            SPLIT: "report",
        }
    )


def _ct22_dutch(root: Path) -> pd.DataFrame:
    raw = pd.read_csv(
        root / "ct22_dutch_dev" / "dev_ct22_dutch.tsv", sep="\t", dtype=str, keep_default_na=False
    )
    return pd.DataFrame(
        {
            TEXT: raw["text"],
            LABELS: raw["attention_worthy"].map(_ct22_codes),
            LANGUAGE: "nl",
            # All 181 are held out from the learned model (it trains on ct22_dutch_train_half); the
            # rules were partly written looking at the crc32-even half (docs/CLASSIFIER.md).
            SPLIT: "report",
        }
    )


def _ct22_codes(label: str) -> tuple[str, ...]:
    label = label.replace("-", "_")
    return {"yes_asks_question": ("vraag",), "yes_blame_authorities": ("kritiek",)}.get(label, ())


def _ct22_multilingual(root: Path) -> pd.DataFrame:
    parts = []
    langs = {
        "english": "en",
        "arabic": "ar",
        "bulgarian": "bg",
        "turkish": "tr",
    }  # Spanish (1A) has no 1D labels
    for folder, lang in langs.items():
        for split, part in (("train", "develop"), ("dev", "report")):
            path = root / "ct22_multilingual_dev" / folder / f"CT22_{folder}_1D_attentionworthy_{split}.tsv"
            raw = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, quoting=3)
            parts.append(
                pd.DataFrame(
                    {
                        TEXT: raw["tweet_text"],
                        LABELS: raw["class_label"].map(_ct22_codes),
                        LANGUAGE: lang,
                        SPLIT: part,
                    }
                )
            )
    return pd.concat(parts, ignore_index=True)


T26_TYPES = {
    "Caution and advice": "handelen",
    "Sympathy and support": "medeleven",
    "Donations and volunteering": "hulp",
}
T26_SOURCES = {"Government": "officieel", "Media": "officieel", "Eyewitness": "waarneming"}
T26_REPORT_EVENTS = T26_EVAL_EVENTS  # measured on the events the shipped model never saw (one list)


def _crisislex_t26(root: Path) -> pd.DataFrame:
    raw = pd.read_csv(root / "crisislex_t26_dev" / "dev_t26.tsv", sep="\t", dtype=str, keep_default_na=False)
    raw = raw[raw["information_type"] != "Not labeled"]
    labels = [
        tuple(c for c in (T26_TYPES.get(t), T26_SOURCES.get(s)) if c)
        for t, s in zip(raw["information_type"], raw["information_source"], strict=True)
    ]
    return pd.DataFrame(
        {
            TEXT: raw["text"].to_numpy(),
            LABELS: labels,
            LANGUAGE: "en",
            SPLIT: np.where(raw["event"].isin(T26_REPORT_EVENTS), "report", "develop"),
        }
    )


T6_REPORT_EVENTS = ("2013_Boston_Bombings", "2013_West_Texas_Explosion", "2013_Oklahoma_Tornado")


def _crisislex_t6(root: Path) -> pd.DataFrame:
    raw = pd.read_csv(
        root / "crisislex_t6" / "crisislex_t6_all_with_time.tsv", sep="\t", dtype=str, keep_default_na=False
    )
    return pd.DataFrame(
        {
            TEXT: raw["text"],
            LABELS: raw["label"].map(lambda v: ("ruis",) if v == "off-topic" else ()),
            LANGUAGE: "en",
            SPLIT: np.where(raw["event"].isin(T6_REPORT_EVENTS), "report", "develop"),
        }
    )


@dataclass(frozen=True)
class Preset:
    """A built-in labelled dataset: its folder, reader and the categories its labels can judge."""

    folder: str
    reader: Callable[[Path], pd.DataFrame]
    categories: tuple[str, ...]


PRESETS = {
    "ct22_dutch_dev": Preset("ct22_dutch_dev", _ct22_dutch, ("vraag", "kritiek")),
    "ct22_multilingual_dev": Preset("ct22_multilingual_dev", _ct22_multilingual, ("vraag", "kritiek")),
    "crisislex_t26_dev": Preset(
        # officieel is not scored from text any more: it comes from the account list only.
        "crisislex_t26_dev", _crisislex_t26, ("handelen", "medeleven", "hulp", "waarneming")
    ),
    "crisislex_t6": Preset("crisislex_t6", _crisislex_t6, ("ruis",)),
}


def load_preset(name: str, root: Path = SHARED_DATA) -> pd.DataFrame:
    """Return the labelled frame (TEXT, LABELS, LANGUAGE, SPLIT) of a preset dataset under `root`."""
    return PRESETS[name].reader(Path(root))


def evaluate_preset(
    name: str,
    root: Path = SHARED_DATA,
    split: str = "report",
    model: CategoryModel | None = None,
    n_boot: int = 2000,
    base_model: LearnedModel | None = None,
) -> dict[str, dict]:
    """Return dataset entries for a preset: overall and, for mixed-language sets, one per language."""
    frame = load_preset(name, root)
    if split != "all":
        frame = frame[frame[SPLIT] == split]
    cats = PRESETS[name].categories
    entries = {name: score_frame(frame, cats, model, n_boot, base_model=base_model)}
    entries[name]["split"] = split
    if len(frame) and (frame[LANGUAGE] != frame[LANGUAGE].iloc[0]).any():
        for lang, part in frame.groupby(LANGUAGE, sort=True):
            entries[f"{name}/{lang}"] = score_frame(part, cats, model, n_boot, base_model=base_model) | {
                "split": split
            }
    return entries


def load_gold(path: Path = GOLD_FILE) -> pd.DataFrame:
    """Return the project's hand-written gold set (TEXT, LABELS, LANGUAGE, SPLIT="report")."""
    return read_labelled(Path(path), "text", "codes", None, "language")


def evaluate_gold(
    path: Path = GOLD_FILE,
    model: CategoryModel | None = None,
    n_boot: int = 2000,
    base_model: LearnedModel | None = None,
) -> dict[str, dict]:
    """Return entries for the gold set, and one per language with >= 20 messages.

    With `base_model` only the gold set's evaluation half (odd crc32 of the id; the learned model
    trains on the even half) is scored; rules only score all messages.
    """
    frame = load_gold(path)
    split = "all"
    if base_model is not None:
        pass

        ids = pd.read_csv(path, dtype=str, keep_default_na=False)["id"]
        frame = frame[gold_half(ids)]
        split = "eval half"
    note = "handgeschreven door het project (CC0), bevroren vóór rules-2026.11-2; door de regelschrijver zelf"
    entries = {
        "gold_nl": score_frame(frame, GOLD_CATEGORIES, model, n_boot, base_model=base_model)
        | {"split": split, "note": note}
    }
    for lang, part in frame.groupby(LANGUAGE, sort=True):
        if len(part) >= 20:
            entries[f"gold_nl/{lang}"] = score_frame(
                part, GOLD_CATEGORIES, model, n_boot, base_model=base_model
            ) | {"split": split, "note": note}
    return entries


def evaluate_dutch_pooled(
    root: Path, base_model: LearnedModel, dev_entry: dict, n_boot: int = 2000
) -> dict[str, dict]:
    """Return the Dutch CT22 figures on every tweet the model did not train on.

    Pools ct22_dutch_dev (all 181, scored now) with the 5-fold out-of-fold predictions on
    ct22_dutch_train_half stored in the model's metadata (each fold trained without that fold).
    Baselines ("?" rule, blame lexicon, rules) are scored on the same 181 + 981 tweets.
    """
    cv = ((base_model.meta_ or {}).get("cross_validated") or {}).get("ct22_dutch_train_half", {})
    half = Path(root) / "ct22_dutch_train_half" / "ct22_dutch_train_half.tsv"
    if not cv or not half.exists():
        return {}
    raw = pd.read_csv(half, sep="\t", dtype=str, keep_default_na=False)
    frame = pd.DataFrame(
        {TEXT: raw["text"], LABELS: raw["attention_worthy"].map(_ct22_codes), LANGUAGE: "nl"}
    )
    on_half = score_frame(frame, ("vraag", "kritiek"), None, 10)  # rules only, plus naive baselines
    on_half["baselines"]["rules"] = on_half["categories"]
    n = len(frame) + dev_entry["n"]
    entry = {"language": "nl", "n": n, "split": "held out + out-of-fold", "categories": {}, "baselines": {},
             "note": "ct22_dutch_dev (181, nooit getraind) + 5-voudige out-of-fold voorspellingen op "
             "ct22_dutch_train_half (981) / dev set plus cross-validated train half"}
    for code in ("vraag", "kritiek"):
        tp, fp, fn = cv[code]["tp_fp_fn"]
        d = dev_entry["categories"][code]
        dtp = round(d["recall"] * d["support"])
        dfp, dfn = d["predicted"] - dtp, d["support"] - dtp
        entry["categories"][code] = metrics_from_counts(tp + dtp, fp + dfp, fn + dfn, n, n_boot)
    for kind, by in dev_entry["baselines"].items():
        for code, d in by.items():
            h = on_half["baselines"][kind][code]
            tp = round(d["recall"] * d["support"]) + round(h["recall"] * h["support"])
            pred = d["predicted"] + h["predicted"]
            supp = d["support"] + h["support"]
            entry["baselines"].setdefault(kind, {})[code] = metrics_from_counts(
                tp, pred - tp, supp - tp, n, n_boot
            )
    return {"ct22_dutch (dev + train-half cv)": entry}


def evaluate_relevance_t6(
    root: Path = SHARED_DATA, split: str = "report", n_boot: int = 2000
) -> dict[str, dict]:
    """Return an entry scoring `ruis` as decided by the relevance stage (not relevant) on CrisisLexT6."""
    frame = load_preset("crisislex_t6", root)
    raw = pd.read_csv(
        Path(root) / "crisislex_t6" / "crisislex_t6_all_with_time.tsv",
        sep="\t",
        dtype=str,
        keep_default_na=False,
    )
    frame["event"] = raw["event"].to_numpy()
    if split != "all":
        frame = frame[frame[SPLIT] == split]
    truth, pred = [], []
    for event, part in frame.groupby("event", sort=True):
        text = (
            part[TEXT]
            .str.replace(r"https?://\S+", "[link]", regex=True)
            .str.replace(r"@\w+", "[gebruiker]", regex=True)
        )
        params = RelevanceParams(keywords=CRISISLEX_T6_KEYWORDS.get(event, ()))
        rel = score_relevance(pd.DataFrame({TEXT: text}), params)[RELEVANT].to_numpy()
        truth.append(part[LABELS].map(lambda c: "ruis" in c).to_numpy(dtype=bool))
        pred.append(~rel)
    metrics = category_metrics(np.concatenate(truth), np.concatenate(pred), n_boot)
    return {
        "crisislex_t6[relevance]": {
            "language": "en",
            "n": int(metrics["n"]),
            "split": split,
            "note": "ruis = niet relevant volgens de relevance-stap (trefwoorden per crisis)",
            "categories": {"ruis": metrics},
        }
    }


def evaluate_demo(
    model: CategoryModel | None = None, n_boot: int = 2000, base_model: LearnedModel | None = None
) -> dict[str, dict]:
    """Return an entry for the synthetic demo incident (ingest → privacy → normalize → language → classify).

    Synthetic, written by us together with its intended labels: NOT an accuracy claim.
    """
    raw = read_messages(DATA_DIR / "demo_incident.csv")
    officials = privacy.load_official_accounts(DATA_DIR / "official_accounts.csv")
    base = detect_language(normalize(privacy.prepare_messages(raw, b"0" * 32, officials)))
    truth = pd.read_csv(DATA_DIR / "demo_truth.csv", dtype=str, keep_default_na=False)
    truth = truth.rename(columns={"ID": SOURCE_ID})[[SOURCE_ID, "categories"]]
    frame = base.merge(truth, on=SOURCE_ID, how="inner")
    frame[LABELS] = frame["categories"].map(lambda v: tuple(c for c in v.split(";") if c))
    predicted = classify(frame.drop(columns=[LABELS, "categories"]), model=model, base_model=base_model)[
        CATEGORIES
    ]
    entry = {
        "language": "mixed",
        "n": len(frame),
        "split": "all",
        "categories": {},
        "note": "synthetisch, door ons geschreven — geen nauwkeurigheidsclaim "
        "/ synthetic, not an accuracy claim",
    }
    truth_of = {
        c: frame[LABELS].map(lambda codes, c=c: c in codes).to_numpy(dtype=bool) for c in CATEGORY_CODES
    }
    for code in CATEGORY_CODES:
        if code == "ruis":
            continue  # decided by the relevance stage, not scored here
        pred = predicted.map(lambda codes, c=code: c in codes).to_numpy(dtype=bool)
        entry["categories"][code] = category_metrics(truth_of[code], pred, n_boot)
    baseline = question_mark_baseline(frame[TEXT]).to_numpy(dtype=bool)
    entry["baselines"] = {"question_mark": {"vraag": category_metrics(truth_of["vraag"], baseline, n_boot)}}
    return {"demo_incident (synthetic)": entry}


# --- accuracy file -----------------------------------------------------------------
def accuracy_report(
    datasets: dict[str, dict], version: str = RULES_VERSION, synthetic: dict[str, dict] | None = None
) -> dict:
    """Return the accuracy.json structure (synthetic entries are kept apart, never shown as accuracy)."""
    report = {
        "version": version,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "datasets": datasets,
    }
    if synthetic:
        report["synthetic"] = synthetic
    return report


def save_accuracy(report: dict, path: Path = ACCURACY_FILE) -> Path:
    """Write the accuracy report as JSON and return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load_accuracy(path: Path = ACCURACY_FILE) -> dict:
    """Return the saved accuracy report, or an empty one when none was measured yet."""
    path = Path(path)
    if not path.exists():
        return {"version": None, "measured_at": None, "datasets": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def accuracy_table(report: dict | None = None) -> pd.DataFrame:
    """Return one row per (category, dataset): language, n, precision, recall, f1, f1_low, f1_high."""
    report = load_accuracy() if report is None else report
    rows = []
    for name, entry in report.get("datasets", {}).items():
        measured = list(entry.get("categories", {}).items())
        baseline = entry.get("baselines", {}).get("question_mark", {}).get("vraag")
        if baseline is not None:
            measured.append(("vraag" + BASELINE_SUFFIX, baseline))
        for code, m in measured:
            rows.append(
                {
                    "category": code,
                    "dataset": name,
                    "language": entry.get("language", "und"),
                    "n": entry.get("n", 0),
                    "precision": m["precision"],
                    "recall": m["recall"],
                    "f1": m["f1"],
                    "f1_low": m["ci"][0],
                    "f1_high": m["ci"][1],
                }
            )
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


BASELINE_TAGS = {"question_mark": "?-rule", "blame_lexicon": "lexicon", "rules": "rules"}


def format_table(datasets: dict[str, dict]) -> str:
    """Return a plain-text table of dataset entries, each baseline on the line under its category."""
    lines = [f"{'dataset':36} {'category':20} {'n':>6} {'supp':>5} {'P':>5} {'R':>5} {'F1':>5}  95% CI F1"]
    for name, entry in datasets.items():
        for code, m in entry["categories"].items():
            rows = [(code, m)] + [
                (f"  {code} [{BASELINE_TAGS.get(kind, kind)}]", by[code])
                for kind, by in entry.get("baselines", {}).items()
                if code in by
            ]
            for label, r in rows:
                lines.append(
                    f"{name:36} {label:20} {entry['n']:6d} {r['support']:5d} {r['precision']:5.2f} "
                    f"{r['recall']:5.2f} {r['f1']:5.2f}  [{r['ci'][0]:.2f}, {r['ci'][1]:.2f}]"
                )
    return "\n".join(lines)


def mapping_from_pairs(pairs: list[str]) -> dict[str, str]:
    """Parse `--map SRC=CODE` pairs into a source-label -> category-code mapping (ValueError if bad)."""
    out = {}
    for pair in pairs:
        src, sep, code = pair.rpartition("=")
        if not sep or code not in CATEGORY_CODES:
            raise ValueError(
                f"--map {pair!r}: expected SOURCE_LABEL=CODE with CODE one of {', '.join(CATEGORY_CODES)}"
            )
        out[src] = code
    return out


# --- accuracy in words ------------------------------------------------------------------------------
# Plural nouns for "vindt dit ongeveer 6 van de 10 <noun>".
_NOUNS = {
    "vraag": ("vragen", "questions"),
    "kritiek": ("kritische berichten", "critical messages"),
    "handelen": ("berichten over wat te doen", "messages about what to do"),
    "hulp": ("hulpaanbiedingen en -vragen", "offers and requests for help"),
    "medeleven": ("berichten van medeleven", "messages of sympathy"),
    "waarneming": ("ooggetuigenberichten", "eyewitness messages"),
    "gezondheid": ("gezondheidsklachten", "health complaints"),
    "gerucht": ("geruchten", "rumours"),
    "emotie": ("emotionele berichten", "emotional messages"),
    "ruis": ("berichten die niet over het incident gaan", "off-topic messages"),
    "officieel": ("officiële berichten", "official messages"),
}
# Real-data entry shown first per category, in order of preference (Dutch first).
_REAL_PREFERENCE = (
    "ct22_dutch (dev + train-half cv)", "ct22_dutch_dev", "crisislex_t26_dev", "crisislex_t6[relevance]",
    "ct22_multilingual_dev",
)
_SET_WORDS = {
    "ct22_dutch (dev + train-half cv)": ("echte Nederlandse tweets", "real Dutch tweets"),
    "ct22_dutch_dev": ("echte Nederlandse tweets", "real Dutch tweets"),
    "crisislex_t26_dev": ("echte Engelstalige crisistweets", "real English crisis tweets"),
    "crisislex_t6[relevance]": ("echte Engelstalige crisistweets", "real English crisis tweets"),
    "ct22_multilingual_dev": ("echte tweets in vier talen", "real tweets in four languages"),
}


def _dec(value: float, lang: str) -> str:
    return tableformat.number(value, lang, 2)


def _of_ten(value: float) -> int:
    return int(round(10 * float(value)))


def accuracy_words(code: str, lang: str = "nl", report: dict | None = None) -> list[str]:
    """Return what a category's accuracy means, in words an OVD-C reads; [] when not measured.

    First line: the real-data evaluation ("op echte Nederlandse tweets vindt dit ongeveer 4 van de
    10 vragen; 6 van de 10 meldingen zijn onterecht (F1 0,42; 95 %-interval 0,31–0,52; n=1162)").
    Second line: the project's own test set, marked as optimistic. Recall -> "vindt", 1 - precision
    -> "onterecht", both rounded to tenths.
    """
    report = load_accuracy() if report is None else report
    datasets = report.get("datasets", {})
    nl = lang == "nl"
    noun = _NOUNS.get(code, (code, code))[0 if nl else 1]
    lines = []
    for name in _REAL_PREFERENCE:
        m = datasets.get(name, {}).get("categories", {}).get(code)
        if m and m.get("support"):
            where = _SET_WORDS[name][0 if nl else 1]
            found, wrong = _of_ten(m["recall"]), 10 - _of_ten(m["precision"]) if m["predicted"] else 0
            lo, hi = m["ci"]
            if nl:
                lines.append(
                    f"op {where} vindt dit ongeveer {found} van de 10 {noun}; {wrong} van de 10 meldingen "
                    f"zijn onterecht (F1 {_dec(m['f1'], lang)}; 95%-interval "
                    f"{_dec(lo, lang)}–{_dec(hi, lang)}; n={m['n']})"
                )
            else:
                lines.append(
                    f"on {where} this finds about {found} in 10 {noun}; {wrong} in 10 hits are wrong "
                    f"(F1 {_dec(m['f1'], lang)}; 95% interval {_dec(lo, lang)}–{_dec(hi, lang)}; n={m['n']})"
                )
            break
    own = datasets.get("gold_nl/nl", datasets.get("gold_nl", {})).get("categories", {}).get(code)
    if own and own.get("support"):
        found, wrong = _of_ten(own["recall"]), 10 - _of_ten(own["precision"])
        lines.append(
            f"eigen testset (door ons geschreven, optimistisch): {found} van de 10 gevonden, "
            f"{wrong} van de 10 onterecht" if nl else
            f"own test set (written by us, optimistic): {found} in 10 found, {wrong} in 10 wrong"
        )
    return lines


def accuracy_short(code: str, lang: str = "nl", report: dict | None = None) -> str:
    """Return the accuracy in a few words for the one-page report, or "" when not measured.

    "5/10 gevonden, 7/10 onterecht (echte NL-tweets)"; a category measured only on our own test
    set says so: "7/10 gevonden, 1/10 onterecht (eigen testset, door ons geschreven; optimistisch)".
    """
    report = load_accuracy() if report is None else report
    datasets = report.get("datasets", {})
    short = {"ct22_dutch (dev + train-half cv)": ("echte NL-tweets", "real Dutch tweets"),
             "ct22_dutch_dev": ("echte NL-tweets", "real Dutch tweets"),
             "crisislex_t26_dev": ("echte Engelse crisistweets", "real English crisis tweets"),
             "crisislex_t6[relevance]": ("echte Engelse crisistweets", "real English crisis tweets"),
             "ct22_multilingual_dev": ("echte tweets, 4 talen", "real tweets, 4 languages")}
    for name in _REAL_PREFERENCE:
        m = datasets.get(name, {}).get("categories", {}).get(code)
        if m and m.get("support"):
            where = short[name][0 if lang == "nl" else 1]
            found, wrong = _of_ten(m["recall"]), 10 - _of_ten(m["precision"]) if m["predicted"] else 0
            if lang == "nl":
                return f"{found}/10 gevonden, {wrong}/10 onterecht ({where})"
            return f"{found}/10 found, {wrong}/10 wrong ({where})"
    own = datasets.get("gold_nl/nl", datasets.get("gold_nl", {})).get("categories", {}).get(code)
    if own and own.get("support"):
        found, wrong = _of_ten(own["recall"]), 10 - _of_ten(own["precision"]) if own.get("predicted") else 0
        where = dataset_words("gold_nl", lang)
        if lang == "nl":
            return f"{found}/10 gevonden, {wrong}/10 onterecht ({where}; optimistisch)"
        return f"{found}/10 found, {wrong}/10 wrong ({where}; optimistic)"
    return ""


def dataset_words(name: str, lang: str = "nl") -> str:
    """Return a test set's name in words ("eigen testset, door ons geschreven"), never its code."""
    if name.split("/")[0] == "gold_nl":
        return "eigen testset, door ons geschreven" if lang == "nl" else "own test set, written by us"
    base = name if name in _SET_WORDS else name.split("/")[0]
    if base in _SET_WORDS:
        return _SET_WORDS[base][0 if lang == "nl" else 1]
    return "andere testset" if lang == "nl" else "other test set"
