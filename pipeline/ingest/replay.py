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

import time
from collections.abc import Callable

import pandas as pd

from pipeline import schema as S
from pipeline.ingest.load import ingest_frame


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


