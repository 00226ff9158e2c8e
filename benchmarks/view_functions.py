"""View functions at a live refresh: `python -m benchmarks.view_functions --n 1000000`.

The whole-incident views after each +1,000 messages, computed two ways in the same
process, interleaved: from scratch on the analysed frame (the peer: `aggregate` /
`themes` functions, what every refresh did before issue 15) and from the incident's
growing codes (`pipeline/views/live.py`). Both must give equal results (checked on every
step); the figures are medians over the steps and the ratio peer / coded. Real texts from
`../shared/data` (see page_rerun.py); the frame is analysed once by the real chain.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    """Analyse N + steps × 1,000 real-text messages, then time both ways per step."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.view_functions")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=3)
    args = parser.parse_args(argv)
    os.environ.setdefault("LUISTERPOST_HOME", tempfile.mkdtemp(prefix="lp_bench_views_"))
    sys.path.insert(0, str(REPO))
    sys.path.insert(0, str(REPO / "benchmarks"))

    import numpy as np
    import pandas as pd
    from page_rerun import SHARED, stream

    from pipeline import schema as S
    from pipeline.analysis import themes as TH
    from pipeline.analysis.chain import AnalysisParams, analyze
    from pipeline.ingest.demo import demo_metadata
    from pipeline.views import aggregate as A
    from pipeline.views import live as L

    if not SHARED.exists():
        print(f"skipped: {SHARED} is absent (real texts are needed)")
        return 0
    total = args.n + args.steps * 1000
    messages, n_pool = stream(total)
    messages.insert(0, S.MESSAGE_ID, np.arange(1, total + 1))
    meta = demo_metadata()
    t0 = time.perf_counter()
    frame = analyze(messages, AnalysisParams(keywords=tuple(meta["keywords"]),
                                             description=meta["description"])).frame
    print(f"analysed {total:,} messages ({n_pool:,} distinct real texts) in {time.perf_counter() - t0:.0f} s")

    def peer(df):
        public = df[~df[S.IS_OFFICIAL]]
        return {
            "representativeness": lambda: A.representativeness(public),
            "counts_over_time": lambda: A.counts_over_time(public, S.CATEGORIES, "15min"),
            "term_counts theme": lambda: TH.term_counts(df, 5, S.THEME),
            "term_counts categories": lambda: TH.term_counts(df, 5, S.CATEGORIES),
            "theme_summary": lambda: TH.theme_summary(df, 5),
        }

    def coded(codes, df):
        public, rows = codes.mask(public=True), codes.mask()
        return {
            "representativeness": lambda: codes.representativeness(public),
            "counts_over_time": lambda: L.counts_over_time(codes, public, S.CATEGORIES, "15min"),
            "term_counts theme": lambda: L.term_counts(codes, rows, 5, S.THEME),
            "term_counts categories": lambda: L.term_counts(codes, rows, 5, S.CATEGORIES),
            "theme_summary": lambda: L.theme_summary(codes, rows, df, 5),
        }

    codes = L.IncidentCodes()
    t0 = time.perf_counter()
    codes.sync(frame.iloc[:args.n])
    for fn in coded(codes, frame.iloc[:args.n]).values():  # the kept tables, as on the first open
        fn()
    print(f"first open (codes + kept tables): {time.perf_counter() - t0:.1f} s")
    times: dict[str, dict[str, list[float]]] = {"peer": {}, "coded": {}, "sync": {"sync": []}}
    for step in range(1, args.steps + 1):
        df = frame.iloc[:args.n + step * 1000]
        t = time.perf_counter()
        codes.sync(df)
        times["sync"]["sync"].append(time.perf_counter() - t)
        ours, theirs = coded(codes, df), peer(df)
        for name in ours:
            t = time.perf_counter()
            got = ours[name]()
            times["coded"].setdefault(name, []).append(time.perf_counter() - t)
            t = time.perf_counter()
            expected = theirs[name]()
            times["peer"].setdefault(name, []).append(time.perf_counter() - t)
            if isinstance(expected, pd.DataFrame):
                pd.testing.assert_frame_equal(got, expected)
            else:
                assert got == expected, name
    print(f"sync +1,000: median {statistics.median(times['sync']['sync']) * 1000:.0f} ms")
    print(f"{'view':<24} {'peer (scratch)':>15} {'coded':>10} {'ratio':>7}")
    total_peer = total_coded = 0.0
    for name in times["coded"]:
        p, c = statistics.median(times["peer"][name]), statistics.median(times["coded"][name])
        total_peer, total_coded = total_peer + p, total_coded + c
        print(f"{name:<24} {p:13.3f} s {c:8.3f} s {p / c:6.1f}×")
    print(f"{'all five':<24} {total_peer:13.3f} s {total_coded:8.3f} s {total_peer / total_coded:6.1f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
