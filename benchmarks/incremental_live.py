"""Live-incident benchmark for issue 15: stored analysed columns, updates, restart, "as of T".

Grows a SQLite store with real text from ../shared/data (never copied into the repository) to
each size in --sizes, then measures:
  * update_incident after +1,000 new messages (p50/p95 over --updates rounds),
  * first open after a restart (analyze_incident on a fresh process-level state: stored columns),
  * "as of T" at three replay times (a filter on the stored analysed frame),
and, at the first size only, a peer: the old restart path (re-analyse every message, `chain.analyze`),
interleaved with the new restart in the same process.

    python -m benchmarks.incremental_live --sizes 100000 1000000 --db /tmp/lp_incr_bench.db
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"


def real_texts() -> list[str]:
    """Real tweet texts (CrisisLexT6 + T26 + Dutch CT22), read from the shared path."""
    texts: list[str] = []
    for path, col in ((DATA / "crisislex_t6" / "crisislex_t6_all_with_time.tsv", "text"),
                      (DATA / "crisislex_t26_dev" / "dev_t26.tsv", "text"),
                      (DATA / "ct22_dutch_train_half" / "ct22_dutch_train_half.tsv", "tweet_text")):
        if path.exists():
            frame = pd.read_csv(path, sep="\t", dtype=str, quoting=3, on_bad_lines="skip")
            column = col if col in frame.columns else next(c for c in frame.columns if "text" in c)
            texts += frame[column].dropna().astype(str).tolist()
    if not texts:
        sys.exit(f"no real text under {DATA}: this benchmark needs ../shared/data")
    return texts


def stream(texts: list[str], start: int, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """N raw rows: half distinct texts (two real texts' halves joined), half retweet copies."""
    pool = np.asarray(texts, dtype=object)
    a = rng.integers(0, len(pool), n)
    b = rng.integers(0, len(pool), n)
    joined = [f"{x[: len(x) // 2]} {y[len(y) // 2:]}" for x, y in zip(pool[a], pool[b], strict=True)]
    copy = rng.random(n) < 0.5
    text = np.where(copy, pool[a], np.asarray(joined, dtype=object))
    base = pd.Timestamp("2026-07-11 10:00", tz="UTC")
    times = base + pd.to_timedelta(start + np.arange(n), unit="s") / 10
    return pd.DataFrame({
        "id": [f"b{start + i}" for i in range(n)],
        "text": text,
        "created_at": times.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "author": [f"user{v}" for v in rng.zipf(1.4, n) % 200_000],
        "platform": "twitter",
    })


def timed(fn):
    """Return (seconds, result) of fn()."""
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main() -> int:
    """Run the benchmark and print JSON figures per size."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--updates", type=int, default=20)
    parser.add_argument("--db", default="/tmp/lp_incr_bench.db")
    parser.add_argument("--peer", action="store_true",
                        help="run the old full re-analysis peer at the first size")
    args = parser.parse_args()
    for suffix in ("", "-wal", "-shm"):
        Path(args.db + suffix).unlink(missing_ok=True)
    home = Path(args.db).with_suffix(".home")
    home.mkdir(exist_ok=True)
    os.environ["LUISTERPOST_HOME"] = str(home)
    os.environ["LUISTERPOST_DB_URL"] = f"sqlite:///{args.db}"

    from pipeline.analysis import chain
    from pipeline.ingest.load import ingest_frame
    from pipeline.storage import store
    from pipeline.views import timeline

    engine = store.get_engine(f"sqlite:///{args.db}")
    store.create_incident(engine, name="Bench", purpose="bench", legal_basis="bench",
                          responsible_officer="bench",
                          start_at=pd.Timestamp("2026-07-11 09:00", tz="UTC").to_pydatetime(),
                          keywords=["flood", "fire", "storm", "hurricane", "brand", "rook"])
    incident_id = store.get_incident(engine, "Bench")["id"]
    texts = real_texts()
    enrich_time = [0.0]
    real_enrich = chain.enrich

    def timed_enrich(*a, **kw):  # the per-text analysis (issue 15 "speed" work) is timed apart
        t = time.perf_counter()
        out = real_enrich(*a, **kw)
        enrich_time[0] += time.perf_counter() - t
        return out

    chain.enrich = timed_enrich
    rng = np.random.default_rng(0)
    stored, result, report = 0, None, {}
    for k, size in enumerate(args.sizes):
        t_grow = time.perf_counter()
        while stored < size:  # grow in chunks; each chunk is analysed once and stored
            n = min(50_000, size - stored)
            ingest_frame(stream(texts, stored, n, rng), "Bench", engine=engine)
            stored += n
            result = (chain.analyze_incident(engine, incident_id) if result is None
                      else chain.update_incident(engine, incident_id, result))
            print(f"grown to {stored} ({time.perf_counter() - t_grow:.0f} s)", flush=True)
        updates, beyond = [], []
        for _ in range(args.updates):
            ingest_frame(stream(texts, stored, 1000, rng), "Bench", engine=engine)
            stored += 1000
            enrich_time[0] = 0.0
            dt, result = timed(lambda r=result: chain.update_incident(engine, incident_id, r))
            updates.append(dt)
            beyond.append(dt - enrich_time[0])
        restarts, peers = [], []
        for _ in range(3):
            gc.collect()
            dt, fresh = timed(lambda: chain.analyze_incident(engine, incident_id))
            restarts.append(dt)
            assert len(fresh.frame) == len(result.frame)
            del fresh
            if args.peer and k == 0:  # the old restart: every stored message analysed again
                msgs = store.load_messages(engine, incident_id)
                params = chain.incident_params(store.get_incident(engine, incident_id))
                dt, _ = timed(lambda m=msgs, p=params: chain.analyze(m, p))
                peers.append(dt)
                del msgs
        frame = result.frame
        basis = timeline.arrival_basis(frame)
        times = frame[chain.S.INGESTED_AT if basis == chain.INGESTED else chain.S.CREATED_AT]
        asof = {}
        for q in (0.25, 0.5, 0.9):
            at = times.quantile(q)
            runs = [timed(lambda a=at, b=basis, r=result: timeline.analysis_at(
                engine, incident_id, a, basis=b, base=r))[0] for _ in range(3)]
            asof[f"q{int(q * 100)}"] = statistics.median(runs)
        report[size] = {
            "messages": len(result.frame),
            "update_p50_s": float(np.percentile(updates, 50)),
            "update_p95_s": float(np.percentile(updates, 95)),
            "update_without_per_text_analysis_p50_s": float(np.percentile(beyond, 50)),
            "update_without_per_text_analysis_p95_s": float(np.percentile(beyond, 95)),
            "restart_median_s": statistics.median(restarts),
            "restart_runs_s": restarts,
            "peer_full_reanalysis_median_s": statistics.median(peers) if peers else None,
            "as_of_median_s": asof,
        }
        print(json.dumps({size: report[size]}, indent=1), flush=True)
    sizes = list(report)
    if len(sizes) > 1:
        a, b = report[sizes[0]], report[sizes[-1]]
        print("growth", {m: round(b[m] / a[m], 2) for m in (
            "update_p50_s", "update_p95_s", "update_without_per_text_analysis_p95_s", "restart_median_s")})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
