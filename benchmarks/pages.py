"""Page-render benchmark: `python -m benchmarks.pages --n 100000`.

Loads a synthetic incident of N messages (resampled from the demo) into a
temporary store, then renders every page with AppTest: the first run includes
the analysis (cached afterwards), the second run is what a user waits for on
every click. Not collected by pytest (speed goals live in benchmarks).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _synthetic(n: int):
    from benchmarks.stages import synthetic_incident

    return synthetic_incident(n)


def temporary_incident(prefix: str, n: int, make_frame) -> tuple[object, int, object]:
    """Point LUISTERPOST_HOME at a new temporary store; store `make_frame()` as a demo-like incident.

    The incident gets the demo's keywords, description and communication moments (for the
    effect pages). The frame is built after the store is chosen. Returns (engine, incident id,
    the result of `make_frame()`); a tuple result is (messages to store, anything else).
    """
    os.environ["LUISTERPOST_HOME"] = tempfile.mkdtemp(prefix=prefix)
    os.environ.pop("LUISTERPOST_DB_URL", None)
    sys.path.insert(0, str(REPO))
    import pandas as pd

    from pipeline.ingest.demo import demo_metadata
    from pipeline.storage import store

    made = make_frame()
    frame = made[0] if isinstance(made, tuple) else made
    engine = store.get_engine()
    meta = demo_metadata()
    incident_id = store.create_incident(
        engine, name=f"Benchmark {n}", purpose="benchmark", legal_basis="n.v.t.",
        responsible_officer="n.v.t.", start_at=datetime(2026, 7, 11, tzinfo=UTC),
        keywords=meta["keywords"], description=meta["description"], is_demo=True)
    with engine.begin() as conn:
        store.insert_messages(conn, incident_id, frame)
        for moment in meta["moments"]:
            store.add_moment(conn, incident_id, time=pd.Timestamp(moment["time"]).to_pydatetime(),
                             channel=moment["channel"], text=moment["text"])
    return engine, incident_id, made


def main(argv: list[str] | None = None) -> int:
    """Build the store, render each page twice and print the timings."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pages")
    parser.add_argument("--n", type=int, default=100_000, help="messages in the incident")
    parser.add_argument("--pages", nargs="*", help="page files (default: all)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    temporary_incident("lp_bench_pages_", args.n, lambda: _synthetic(args.n))
    print(f"store: {args.n:,} messages in {time.perf_counter() - t0:.1f} s", flush=True)

    from streamlit.testing.v1 import AppTest

    from pages._nav import PAGES

    files = args.pages or [file for _s, file, *_r in PAGES]
    for file in files:
        role = "beheerder" if file == "beheer.py" else "analist"
        at = AppTest.from_file(str(REPO / "pages" / file), default_timeout=600)
        at.session_state["lp_user"] = {"username": "bench", "display_name": "Bench", "role": role,
                                       "active": True, "auth": "demo"}
        t1 = time.perf_counter()
        at.run()
        first = time.perf_counter() - t1
        t2 = time.perf_counter()
        at.run()
        second = time.perf_counter() - t2
        status = "error" if at.exception else "ok"
        print(f"{file:<24} first {first:6.2f} s   rerun {second:6.2f} s   {status}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
