"""Theme benchmarks (moved out of the library): planted synthetic themes and a CrisisLexT26 comparison.

`python -m benchmarks.themes_bench --n 20000` times fit + incremental assignment on synthetic data;
`--compare` compares our themes with TF-IDF + KMeans on `../shared/data/crisislex_t26_dev`.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.analysis.themes import OTHER_THEME, ThemeModel, ThemeParams
from pipeline.schema import AUTHOR, CREATED_AT, IS_OFFICIAL, RELEVANT, TERMS, TEXT, THEME


def synthetic_messages(n: int, n_themes: int = 20, random_state: int = 0) -> pd.DataFrame:
    """Return `n` synthetic messages with planted themes and 25 % reposts (for benchmarks)."""
    rng = np.random.default_rng(random_state)
    theme_vocab = np.array([[f"t{t}w{j}" for j in range(12)] for t in range(n_themes)], dtype=object)
    generic = np.array([f"g{j}" for j in range(30)], dtype=object)
    noise = np.array([f"n{j}" for j in range(50_000)], dtype=object)
    theme = rng.choice(n_themes, size=n, p=_zipf_weights(n_themes))
    # 3-6 theme words (without replacement), 1-2 generic words, 0-2 rare noise words
    perm = rng.random((n, 12)).argsort(axis=1)
    words = np.hstack(
        [
            theme_vocab[theme[:, None], perm],
            generic[rng.integers(0, len(generic), (n, 2))],
            noise[rng.zipf(1.3, (n, 2)) % len(noise)],
        ]
    )
    mask = np.hstack(
        [
            np.arange(12) < rng.integers(3, 7, n)[:, None],
            np.arange(2) < rng.integers(1, 3, n)[:, None],
            np.arange(2) < rng.integers(0, 3, n)[:, None],
        ]
    )
    lengths = mask.sum(axis=1)
    terms = list(map(tuple, np.split(words[mask], np.cumsum(lengths)[:-1])))
    reposts = np.flatnonzero((rng.random(n) < 0.25) & (np.arange(n) > 10))
    sources = (rng.random(len(reposts)) * reposts).astype(np.int64)
    for i, src in zip(reposts.tolist(), sources.tolist(), strict=False):  # sources precede: already final
        terms[i] = terms[src]
    author = rng.zipf(1.5, size=n) % max(n // 4, 1)
    start = pd.Timestamp("2026-05-01 08:00", tz="UTC")
    seconds = np.sort(rng.integers(0, 6 * 3600, size=n))
    return pd.DataFrame(
        {
            CREATED_AT: start + pd.to_timedelta(seconds, unit="s"),
            AUTHOR: pd.Series(author).map("a{}".format).astype(object),
            TERMS: pd.Series(terms, dtype=object),
            TEXT: pd.Series([" ".join(t) for t in terms], dtype=object),
            RELEVANT: rng.random(n) < 0.9,
            IS_OFFICIAL: rng.random(n) < 0.001,
        }
    )


def _zipf_weights(k: int) -> np.ndarray:
    """Return Zipf-like probabilities for k themes."""
    w = 1.0 / np.arange(1, k + 1)
    return w / w.sum()


def benchmark(n: int, params: ThemeParams = ThemeParams()) -> dict[str, float]:  # noqa: B008
    """Return speed figures (seconds, msgs/s) for fit, assign and partial_fit of 1,000 on n msgs."""
    df = synthetic_messages(n + 1000, random_state=params.random_state)
    base, new = df.iloc[:n], df.iloc[n:]
    t0 = time.perf_counter()
    model = ThemeModel.from_params(params).fit(base)
    t1 = time.perf_counter()
    model.assign(base)
    t2 = time.perf_counter()
    model.partial_fit(new)
    t3 = time.perf_counter()
    model.assign(new)
    t4 = time.perf_counter()
    return {
        "n": n,
        "n_themes": len(model.themes_),
        "fit_s": t1 - t0,
        "fit_msgs_per_s": n / (t1 - t0),
        "assign_s": t2 - t1,
        "assign_msgs_per_s": n / (t2 - t1),
        "partial_fit_1000_ms": (t3 - t2) * 1000,
        "assign_1000_ms": (t4 - t3) * 1000,
    }


_CRISISLEX_TYPES = (
    "Caution and advice",
    "Sympathy and support",
    "Affected individuals",
    "Infrastructure and utilities",
    "Donations and volunteering",
    "Other useful information",
)


def simple_terms(text: str, stop: frozenset[str]) -> tuple[str, ...]:
    """Return lower-cased word/hashtag terms without links, mentions, RT or stopwords."""
    import re

    text = re.sub(r"https?://\S+|@\w+|&amp;|&\w+;", " ", text.lower())
    words = re.findall(r"#?[^\W\d_][\w'-]*", text)
    return tuple(w for w in words if w != "rt" and len(w) > 1 and w.lstrip("#") not in stop)


def compare_with_kmeans(
    path: Path | None = None, params: ThemeParams = ThemeParams()  # noqa: B008
) -> dict[str, Any]:
    """Return time and NMI vs CrisisLexT26 information_type: ThemeModel vs TF-IDF + KMeans.

    Reads `/work/shared/data/crisislex_t26_dev/dev_t26.tsv` (research data; never copied).
    Each tweet id stands in for an author (the set has no author field).
    """
    from stop_words import get_stop_words

    path = path or Path(__file__).resolve().parents[2] / "shared" / "data" / (
        "crisislex_t26_dev/dev_t26.tsv"
    )
    raw = pd.read_csv(path, sep="\t", dtype=str)
    raw["type"] = raw["information_type"].str.strip().str.capitalize()
    raw = raw[raw["type"].isin([t.capitalize() for t in _CRISISLEX_TYPES])].reset_index(drop=True)
    # keep "fire", "help", "home" etc.: the English list treats them as stopwords
    stop = frozenset(get_stop_words("en")) - {"fire", "help", "home", "good", "not", "no", "water"}
    frame = pd.DataFrame(
        {
            CREATED_AT: pd.to_datetime(raw["created_at_utc_from_id"], utc=True),
            AUTHOR: raw["tweet_id"].astype(object),
            TERMS: raw["text"].fillna("").map(lambda t: simple_terms(t, stop)).astype(object),
            TEXT: raw["text"].astype(object),
            RELEVANT: True,
            IS_OFFICIAL: False,
        }
    )
    truth = raw["type"].to_numpy()
    result = _compare_once(frame, truth, params)
    # our use case is one model per incident: compare within each event as well
    events = raw["event"].to_numpy()
    per_event = [
        _compare_once(frame[events == e].reset_index(drop=True), truth[events == e], params)
        for e in sorted(set(events))
    ]
    for key in ("ours_nmi", "kmeans_same_k_nmi", "kmeans_6_nmi", "ours_share_overig"):
        result[f"per_event_mean_{key}"] = float(np.mean([r[key] for r in per_event]))
    for key in ("ours_seconds", "kmeans_same_k_seconds", "kmeans_6_seconds"):
        result[f"per_event_total_{key}"] = float(np.sum([r[key] for r in per_event]))
    return result


def _compare_once(frame: pd.DataFrame, truth: np.ndarray, params: ThemeParams) -> dict[str, Any]:
    """Return time and NMI of ThemeModel and TF-IDF + KMeans on one labelled frame."""
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import normalized_mutual_info_score

    t0 = time.perf_counter()
    model = ThemeModel.from_params(params).fit(frame)
    ours = model.assign(frame)[THEME].to_numpy()
    t1 = time.perf_counter()
    k = len(np.unique(ours))
    tfidf = TfidfVectorizer(analyzer=_identity, min_df=2)
    x = tfidf.fit_transform(frame[TERMS])
    base_same_k = KMeans(n_clusters=k, random_state=params.random_state, n_init=1).fit_predict(x)
    t2 = time.perf_counter()
    base_6 = KMeans(n_clusters=6, random_state=params.random_state, n_init=1).fit_predict(x)
    t3 = time.perf_counter()
    assigned = ours != OTHER_THEME
    return {
        "n_messages": len(frame),
        "ours_n_themes": k,
        "ours_seconds": t1 - t0,
        "ours_nmi": normalized_mutual_info_score(truth, ours),
        "ours_share_overig": float(1 - assigned.mean()),
        "ours_nmi_assigned_only": normalized_mutual_info_score(truth[assigned], ours[assigned]),
        "kmeans_same_k_seconds": t2 - t1,
        "kmeans_same_k_nmi": normalized_mutual_info_score(truth, base_same_k),
        "kmeans_6_seconds": t3 - t2,
        "kmeans_6_nmi": normalized_mutual_info_score(truth, base_6),
        "labels": model.labels_,
    }


def _identity(terms: tuple[str, ...]) -> tuple[str, ...]:
    """Return the pre-tokenised terms unchanged (analyzer for scikit-learn vectorizers)."""
    return terms


def main(argv: list[str] | None = None) -> int:
    """Run the theme benchmarks from the command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.themes_bench")
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--compare", action="store_true", help="also compare with KMeans on CrisisLexT26")
    args = parser.parse_args(argv)
    print(benchmark(args.n))
    if args.compare:
        print({k: v for k, v in compare_with_kmeans().items() if k != "labels"})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
