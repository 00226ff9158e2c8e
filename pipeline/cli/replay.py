"""Command line: `python -m pipeline replay FILE --incident NAME --speed 60`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

from pipeline import schema as S
from pipeline.ingest.load import IngestError, read_messages
from pipeline.ingest.replay import replay_frame, shift_to
from pipeline.schema import TIME_ZONE


def main(argv: list[str] | None = None) -> int:
    """`python -m pipeline replay FILE --incident NAME --speed 60`."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline replay",
        description="Speel een opgenomen incident versneld af in de database (oefenen). "
                    "/ Replay a recorded incident into the store in accelerated real time.")
    parser.add_argument("file", type=Path, help="export file (CSV/TSV/JSON/NDJSON/XLSX)")
    parser.add_argument("--incident", required=True, help="name of an open incident")
    parser.add_argument("--speed", type=float, default=60.0,
                        help="acceleration: 60 plays one hour in one minute (default 60)")
    parser.add_argument("--tick", type=float, default=1.0, help="seconds between batches")
    parser.add_argument("--max-seconds", type=float, default=None,
                        help="stop after this many real seconds")
    parser.add_argument("--map", action="append", default=[], metavar="COL=FIELD",
                        help="explicit column mapping, like ingest")
    parser.add_argument("--shift-to-now", action="store_true",
                        help="move the message times so the incident starts now (a live exercise: "
                             "arrival and posting times then line up, like a real feed)")
    args = parser.parse_args(argv)

    mapping = dict(m.split("=", 1) for m in args.map) or None
    try:
        raw = read_messages(args.file, mapping=mapping)
    except IngestError as exc:
        print(str(exc), file=sys.stderr)
        return 2

    if args.shift_to_now:
        raw = shift_to(raw, pd.Timestamp.now(tz="UTC"))
    ordered = pd.to_datetime(raw[S.CREATED_AT], utc=True).sort_values(kind="stable").reset_index(drop=True)
    tty = sys.stderr.isatty()
    last_print = [0.0]

    def report(done: int, total: int) -> None:
        # one line per batch on a terminal (overwritten), at most one every 5 s in a log
        now = time.monotonic()
        if not tty and done < total and now - last_print[0] < 5:
            return
        last_print[0] = now
        at = ordered.iloc[done - 1].tz_convert(TIME_ZONE).strftime("%d-%m %H:%M")
        line = f"{done}/{total} berichten afgespeeld ({done / total:.0%}), incidenttijd {at}"
        print(("\r" if tty else "") + line, end="" if tty else "\n", file=sys.stderr, flush=True)

    print(f"Afspelen: {len(raw)} berichten, {args.speed:g}x versneld "
          f"(≈ {_duration(ordered, args.speed)}).", file=sys.stderr, flush=True)
    try:
        added = replay_frame(raw, args.incident, speed=args.speed, tick=args.tick,
                             max_seconds=args.max_seconds, on_batch=report)
    except (IngestError, KeyError, ValueError) as exc:
        print(f"\n{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nGestopt. / Stopped.", file=sys.stderr)
        return 130
    print(f"\n{added} berichten toegevoegd." if tty else f"{added} berichten toegevoegd.")
    return 0


def _duration(times: pd.Series, speed: float) -> str:
    """Return how long the replay takes in real time ("2 min 5 s")."""
    seconds = int(round((times.max() - times.min()).total_seconds() / speed)) if len(times) else 0
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"
