"""Live page-rerun benchmark (issue 15): `python -m benchmarks.page_rerun --n 1000000`.

Builds a temporary store of N messages whose texts are real tweets from `../shared/data`
(never copied into the repository; the benchmark stops with a message when the path is
absent), renders each page once with AppTest (the first open: full analysis), then
`--steps` times: inserts 1,000 newer messages and times the page's rerun, which is what
a user waits for on a live refresh. The time spent in `update_incident` (the analysed
frame growing, another helper's concern) is measured apart, so the view part of the rerun
shows on its own. Figures: medians over the steps. Not a test (speed goals live here).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LP_SHARED_DATA", REPO.parent / "shared" / "data"))
PAGES = ("nu.py", "themas.py", "copi.py", "trends.py", "representativiteit.py")


def real_texts() -> list[str]:
    """Return the real tweet texts of the shared data sets (about 95k)."""
    import pandas as pd

    texts: list[str] = []
    for path, column in ((SHARED / "crisislex_t6" / "crisislex_t6_all_with_time.tsv", "text"),
                         (SHARED / "crisislex_t26_dev" / "dev_t26.tsv", "text"),
                         (SHARED / "ct22_dutch_train_half" / "ct22_dutch_train_half.tsv", "text"),
                         (SHARED / "ct22_dutch_dev" / "dev_ct22_dutch.tsv", "text"),
                         (SHARED / "nl_political_tweets" / "raw_tweets_timestamped_example.tsv", "CONTENT")):
        if path.exists():
            frame = pd.read_csv(path, sep="\t", dtype=str, quoting=3, on_bad_lines="skip")
            if column in frame:
                texts += frame[column].dropna().tolist()
    for path in sorted((SHARED / "sentiment_umsab_trainval").glob("*/*_text.txt")):
        texts += path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [t for t in dict.fromkeys(texts) if t.strip()]


def stream(n: int, seed: int = 0):
    """Return n stored-schema messages (demo structure: times, authors, platforms; real texts)."""
    import numpy as np
    import pandas as pd

    from benchmarks.stages import synthetic_incident
    from pipeline import schema as S
    from pipeline.ingest.privacy import scrub_text

    pool = scrub_text(pd.Series(real_texts(), dtype=object))
    rng = np.random.default_rng(seed)
    frame = synthetic_incident(n, seed=seed)
    officials = frame[S.IS_OFFICIAL].to_numpy()
    texts = pool.to_numpy()[rng.integers(0, len(pool), size=n)]
    frame[S.TEXT] = np.where(officials, frame[S.TEXT].to_numpy(), texts)  # official texts stay
    return frame, len(pool)


def main(argv: list[str] | None = None) -> int:
    """Build the store, open each page, add 1,000 messages at a time and time the reruns."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.page_rerun")
    parser.add_argument("--n", type=int, default=100_000, help="messages in the incident before the updates")
    parser.add_argument("--steps", type=int, default=3, help="updates of 1,000 messages per page")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--pages", nargs="*", default=list(PAGES))
    parser.add_argument("--profile", help="directory: cProfile the last rerun of each page into <page>.prof")
    args = parser.parse_args(argv)
    if not SHARED.exists():
        print(f"skipped: {SHARED} is absent (real texts are needed)")
        return 0
    sys.path.insert(0, str(REPO))
    from benchmarks.pages import temporary_incident

    t0 = time.perf_counter()
    extra = args.steps * args.batch * len(args.pages)

    def make_frame():
        frame, n_pool = stream(args.n + extra)
        return frame.iloc[:args.n], (frame.iloc[args.n:], n_pool)

    engine, incident_id, (_base, (later, n_pool)) = temporary_incident("lp_bench_rerun_", args.n,
                                                                        make_frame)


    from pipeline.analysis import chain
    from pipeline.storage import store

    print(f"store: {args.n:,} messages ({n_pool:,} distinct real texts in the pool) "
          f"in {time.perf_counter() - t0:.1f} s", flush=True)

    spent = {"update": 0.0}
    original = chain.update_incident

    def timed_update(*a, **kw):
        t = time.perf_counter()
        try:
            return original(*a, **kw)
        finally:
            spent["update"] += time.perf_counter() - t

    chain.update_incident = timed_update

    from streamlit.testing.v1 import AppTest, local_script_runner

    profiler: dict = {}
    if args.profile:  # the page runs in the script thread: profile that thread
        import cProfile

        Path(args.profile).mkdir(parents=True, exist_ok=True)
        run_thread = local_script_runner.LocalScriptRunner._run_script_thread

        def profiled(self):
            prof = profiler.get("now")
            if prof is not None:
                prof.enable()
            try:
                return run_thread(self)
            finally:
                if prof is not None:
                    prof.disable()

        local_script_runner.LocalScriptRunner._run_script_thread = profiled

    offset = 0
    for file in args.pages:
        at = AppTest.from_file(str(REPO / "pages" / file), default_timeout=900)
        at.session_state["lp_user"] = {"username": "bench", "display_name": "Bench", "role": "analist",
                                       "active": True, "auth": "demo"}
        t1 = time.perf_counter()
        at.run()
        first = time.perf_counter() - t1
        reruns, views = [], []
        for _ in range(args.steps):
            with engine.begin() as conn:
                store.insert_messages(conn, incident_id, later.iloc[offset:offset + args.batch])
            offset += args.batch
            spent["update"] = 0.0
            if args.profile and _ == args.steps - 1:
                profiler["now"] = cProfile.Profile()
            t2 = time.perf_counter()
            at.run()
            total = time.perf_counter() - t2
            if profiler.get("now") is not None:
                profiler.pop("now").dump_stats(str(Path(args.profile) / f"{file}.prof"))
            reruns.append(total)
            views.append(total - spent["update"])
        status = "error: " + str(at.exception[0].message)[:80] if at.exception else "ok"
        print(f"{file:<24} first {first:7.2f} s   rerun after +{args.batch:,}: median "
              f"{statistics.median(reruns):6.2f} s (all {', '.join(f'{r:.2f}' for r in reruns)})   "
              f"without update_incident {statistics.median(views):6.2f} s   {status}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
