"""Precision, recall and F1 with bootstrap intervals: the one place the project computes them.

Used by evaluation (held-out figures), training (out-of-fold figures) and the learned model's build,
so none of them needs the other to get a number.
"""

from __future__ import annotations

import numpy as np


def category_metrics(y_true: np.ndarray, y_pred: np.ndarray, n_boot: int = 2000, seed: int = 0) -> dict:
    """Return precision, recall, F1, support and 95 % bootstrap intervals for one binary category."""
    y_true, y_pred = np.asarray(y_true, dtype=bool), np.asarray(y_pred, dtype=bool)
    n = len(y_true)
    counts = np.array(
        [
            (y_true & y_pred).sum(),
            (~y_true & y_pred).sum(),
            (y_true & ~y_pred).sum(),
            (~y_true & ~y_pred).sum(),
        ]
    )
    # Resampling n messages with replacement = a multinomial draw over the four outcome cells.
    rng = np.random.default_rng(seed)
    boot = rng.multinomial(n, counts / n, size=n_boot) if n else np.zeros((1, 4), dtype=int)
    p, r, f = _prf(counts[None, :])
    bp, br, bf = _prf(boot)

    def ci(values: np.ndarray) -> list[float]:
        return [round(float(np.quantile(values, 0.025)), 4), round(float(np.quantile(values, 0.975)), 4)]

    return {
        "precision": round(float(p[0]), 4),
        "recall": round(float(r[0]), 4),
        "f1": round(float(f[0]), 4),
        "ci": ci(bf),
        "precision_ci": ci(bp),
        "recall_ci": ci(br),
        "support": int(counts[0] + counts[2]),
        "predicted": int(counts[0] + counts[1]),
        "n": int(n),
    }


def _prf(c: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    tp, fp, fn = c[:, 0].astype(float), c[:, 1].astype(float), c[:, 2].astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
        r = np.where(tp + fn > 0, tp / (tp + fn), 0.0)
        f = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), 0.0)
    return p, r, f


def metrics_from_counts(tp: int, fp: int, fn: int, n: int, n_boot: int = 2000, seed: int = 0) -> dict:
    """Return `category_metrics` for a confusion table given as counts (pooling several sets)."""
    truth = np.r_[np.ones(tp + fn, bool), np.zeros(n - tp - fn, bool)]
    pred = np.r_[np.ones(tp, bool), np.zeros(fn, bool), np.ones(fp, bool), np.zeros(n - tp - fn - fp, bool)]
    return category_metrics(truth, pred, n_boot, seed)
