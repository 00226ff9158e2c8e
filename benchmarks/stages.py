"""Benchmark: `python -m benchmarks.stages --n 1000000`.

Builds a large synthetic incident by resampling the demo incident's messages
(new ids, authors and jittered times; the text mix stays realistic), then
times every analysis stage and prints messages/s and the peak memory (RSS).
Speed goals live here, never in tests.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

import numpy as np
import pandas as pd

from pipeline import schema as S


def synthetic_incident(n: int, seed: int = 0, distinct: float = 0.0) -> pd.DataFrame:
    """Return `n` stored-schema messages resampled from the demo incident.

    Resampling repeats the demo's ~7,600 texts, which the pipeline deduplicates;
    `distinct` (0..1) makes that share of messages unique (a number appended,
    which the analysis ignores), to measure the cost on texts never seen before.
    """
    from pipeline.config import DATA_DIR
    from pipeline.ingest import privacy
    from pipeline.ingest.load import read_messages

    raw = read_messages(DATA_DIR / "demo_incident.csv")
    officials = privacy.load_official_accounts(DATA_DIR / "official_accounts.csv")
    base = privacy.prepare_messages(raw, b"0" * 32, officials)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(base), size=n)
    out = base.iloc[idx].reset_index(drop=True)
    jitter = pd.to_timedelta(rng.integers(-300, 300, size=n), unit="s")
    n_authors = max(n // 3, 1)
    if distinct:
        unique = rng.random(n) < distinct
        out = out.assign(**{S.TEXT: out[S.TEXT].where(
            ~unique, out[S.TEXT] + " " + pd.Series(np.arange(n) + 100_000, index=out.index).astype(str))})
    return out.assign(**{
        S.SOURCE_ID: [f"b{i}" for i in range(n)],
        S.CREATED_AT: out[S.CREATED_AT] + jitter,
        S.AUTHOR: pd.Series(rng.zipf(1.6, size=n) % n_authors).map(lambda a: f"p_{a:016x}"),
    }).sort_values(S.CREATED_AT, kind="stable").reset_index(drop=True)


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MB."""
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


def run(n: int, seed: int = 0, distinct: float = 0.0) -> pd.DataFrame:
    """Time each stage on `n` messages; return one row per stage."""
    from pipeline.analysis.classify import classify
    from pipeline.analysis.language import detect_language
    from pipeline.analysis.normalize import normalize
    from pipeline.analysis.relevance import RelevanceParams, score_relevance
    from pipeline.analysis.themes import assign_themes
    from pipeline.ingest.demo import demo_metadata

    meta = demo_metadata()
    df = synthetic_incident(n, seed, distinct)
    print(f"{n:,} messages, {df[S.TEXT].nunique():,} distinct texts", flush=True)
    rows = []

    def timed(name, func, frame, count=None):
        t0 = time.perf_counter()
        result = func(frame)
        dt = time.perf_counter() - t0
        count = count or len(frame)
        rows.append({"stage": name, "messages": count, "seconds": round(dt, 3),
                     "msgs_per_s": round(count / dt) if dt else float("inf"),
                     "peak_rss_mb": round(peak_rss_mb())})
        print(f"{name:<22} {count:>9,} msgs {dt:8.2f} s {count / dt:>12,.0f} msgs/s "
              f"peak RSS {peak_rss_mb():,.0f} MB", flush=True)
        return result

    params = RelevanceParams(keywords=tuple(meta["keywords"]), description=meta["description"])
    t_all = time.perf_counter()
    df = timed("normalize", normalize, df)
    df = timed("language", detect_language, df)
    df = timed("relevance", lambda f: score_relevance(f, params), df)
    from pipeline.analysis.learned import default_model

    base = default_model()  # as in analysis.enrich: rules + the shipped learned model
    timed("classify (rules only)", classify, df)
    df = timed("classify", lambda f: classify(f, base_model=base), df)
    head, tail = df.iloc[:-1000], df.iloc[-1000:]
    themed, model = timed("themes (fit)", lambda f: assign_themes(f), head)
    timed("themes (+1000 incr.)", lambda f: assign_themes(f, model=model), tail, count=1000)
    total = time.perf_counter() - t_all
    rows.append({"stage": "total", "messages": n, "seconds": round(total, 3),
                 "msgs_per_s": round(n / total), "peak_rss_mb": round(peak_rss_mb())})
    print(f"{'total':<22} {n:>9,} msgs {total:8.2f} s {n / total:>12,.0f} msgs/s "
          f"peak RSS {peak_rss_mb():,.0f} MB")
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark from the command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stages",
                                     description="Time every analysis stage on a large incident.")
    parser.add_argument("--n", type=int, default=100_000, help="number of messages")
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    parser.add_argument("--distinct", type=float, default=0.0,
                        help="share of messages made unique (0..1); default 0: the demo's texts repeat")
    parser.add_argument("--compare-themes", action="store_true",
                        help="also compare our themes with TF-IDF+KMeans on CrisisLexT26")
    args = parser.parse_args(argv)
    run(args.n, args.seed, args.distinct)
    if args.compare_themes:
        from benchmarks.themes_bench import compare_with_kmeans

        print({k: v for k, v in compare_with_kmeans().items() if k != "labels"})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
