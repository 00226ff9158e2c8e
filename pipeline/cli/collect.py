"""Command line: `python -m pipeline collect [--incident NAME] [--once] [--tick S]`."""

from __future__ import annotations

import argparse
import logging
import sys

from pipeline.ingest.collect.worker import CollectRefused, run, run_once
from pipeline.storage import store


# --- command line ---------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """`python -m pipeline collect [--incident NAME] [--once] [--tick S]`."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline collect",
        description="Verzamel berichten uit de ingestelde bronnen (inbox, Mastodon, Bluesky, RSS) van "
                    "open incidenten, naast het dashboard. / Collect messages from the configured "
                    "sources of open incidents, next to the dashboard.")
    parser.add_argument("--incident", default=None, help="alleen dit incident / only this incident")
    parser.add_argument("--once", action="store_true",
                        help="één ronde over alle bronnen en stoppen (cron, tests) / one pass, then stop")
    parser.add_argument("--tick", type=float, default=1.0,
                        help="seconden tussen rondes (bronnen hebben hun eigen interval) / seconds "
                             "between passes")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(message)s")
    engine = store.get_engine()
    try:
        if args.once:
            results = run_once(engine, incident=args.incident, force=True)
            for sid, outcome in results.items():
                print(f"bron {sid}: " + (f"{outcome} berichten toegevoegd" if isinstance(outcome, int)
                                         else f"fout / error: {outcome}"))
            return 0 if all(isinstance(v, int) for v in results.values()) else 1
        run(engine, incident=args.incident, tick=args.tick)
    except CollectRefused as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0
