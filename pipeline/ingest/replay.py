"""Replay a recorded incident into the store in accelerated real time (oefenen, live tests).

`python -m pipeline replay FILE --incident NAME --speed 60` reads an export,
then writes its messages in their original order so that one minute of the
incident takes `1/speed` minutes: each tick inserts the messages whose time
has come, in one transaction each (through the same privacy and idempotency
path as `ingest`). The messages keep their original timestamps; only
`ingested_at` is the real arrival time, so the after-action view can replay
what was known when.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from pipeline import schema as S
from pipeline.schema import TIME_ZONE


def shift_to(raw: pd.DataFrame, start: pd.Timestamp) -> pd.DataFrame:
    """Return `raw` with CREATED_AT moved so that the first message is posted at `start`."""
    times = pd.to_datetime(raw[S.CREATED_AT], utc=True)
    if times.empty:
        return raw
    return raw.assign(**{S.CREATED_AT: times + (pd.Timestamp(start) - times.min())})


def replay_frame(raw: pd.DataFrame, incident: str | int, *, speed: float = 60.0, tick: float = 1.0,
                 engine=None, actor: str = "replay", max_seconds: float | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic,
                 on_batch: Callable[[int, int], None] | None = None) -> int:
    """Insert `raw` messages batch by batch at `speed`× real time; return rows added.

    `on_batch(done, total)` is called after each batch; `max_seconds` stops early.
    """
    from pipeline.ingest.load import ingest_frame

    if speed <= 0:
        raise ValueError("speed must be > 0")
    if tick <= 0:
        raise ValueError("tick must be > 0")
    raw = raw.sort_values(S.CREATED_AT, kind="stable").reset_index(drop=True)
    if raw.empty:
        return 0
    offsets = (raw[S.CREATED_AT] - raw[S.CREATED_AT].iloc[0]).dt.total_seconds().to_numpy() / speed
    started = clock()
    done = 0
    added = 0
    while done < len(raw):
        elapsed = clock() - started
        if max_seconds is not None and elapsed > max_seconds:
            break
        due = int((offsets <= elapsed).sum())
        if due > done:
            result = ingest_frame(raw.iloc[done:due], incident, engine=engine, actor=actor)
            added += result.added
            done = due
            if on_batch:
                on_batch(done, len(raw))
        if done < len(raw):
            wait = min(tick, max(offsets[done] - (clock() - started), 0.0))
            sleep(wait)
    return added


def cli(argv: list[str] | None = None) -> int:
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
    from pipeline.ingest.load import IngestError, read_messages

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
