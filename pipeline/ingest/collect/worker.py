"""The collector process: `python -m pipeline collect [--incident NAME] [--once]`.

`run_once` makes one pass over every due source of every open incident (or the
one named): purpose binding first — a closed or purged incident is refused (and
the refusal audited) and an incident past its end date is not collected — then
each source's connector (and `run` keeps a Mastodon streaming connection open
for sources with `streaming` on); any failure (HTTP error, timeout, malformed answer,
missing folder, a bug) is recorded in that source's health with a backoff and
the pass goes on with the other sources. `run` repeats passes every `tick`
seconds until SIGTERM/SIGINT (the batch in progress finishes first; a kill -9 is
safe too: batch and cursor commit together).

`python -m pipeline source add|list|remove` configures sources (audited).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from pipeline.governance.policy import IncidentNotAcceptingData, check_incident_accepts_data
from pipeline.ingest.collect import bluesky, feeds, http, inbox, mastodon
from pipeline.ingest.collect import sources as src
from pipeline.ingest.collect.mastodon import STREAM_REFUSED
from pipeline.storage import store

log = logging.getLogger("luisterpost.collect")


class CollectRefused(RuntimeError):
    """The incident may not be collected (unknown, closed, purged); Dutch / English text."""


def connector(kind: str) -> Callable[[src.Source, src.Context], int]:
    """Return the `collect` function of a kind of source."""
    return {"inbox": inbox.collect, "mastodon": mastodon.collect, "bluesky": bluesky.collect,
            "rss": feeds.collect}[kind]


def _incidents(engine: Engine, incident: str | int | None) -> list[dict[str, Any]]:
    pass

    if incident is None:
        table = store.list_incidents(engine)
        if table.empty:
            return []
        return [store.get_incident(engine, int(i)) for i in table["id"]
                if store.incident_is_open(store.get_incident(engine, int(i)))]
    inc = store.find_incident(engine, incident)
    try:
        check_incident_accepts_data(inc)
    except IncidentNotAcceptingData as exc:
        store.audit(engine, actor="collector", action="collect",
                    obj=f"incident:{inc['id'] if inc else incident}", outcome="refused", reason=str(exc))
        raise CollectRefused(str(exc)) from exc
    return [inc]


def run_once(engine: Engine | None = None, *, incident: str | int | None = None, client=None,
             sleep: Callable[[float], None] | None = None, now: pd.Timestamp | None = None,
             force: bool = False, max_pages: int = 50) -> dict[int, Any]:
    """One pass; return {source id: messages added, or the error text}. See module doc.

    `force` ignores intervals and backoff (the `--once` pass collects every source).
    """
    engine = engine or store.get_engine()
    own_client = client is None
    client = client or http.make_client()
    results: dict[int, Any] = {}
    try:
        for inc in _incidents(engine, incident):
            now_i = now or pd.Timestamp.now(tz="UTC")
            ended = inc.get("end_at") is not None and now_i > inc["end_at"]
            for source in src.list_sources(engine, inc["id"]):
                if ended:
                    if not source.health.get("last_error", "").startswith("einddatum"):
                        src.record_note(engine, source, "einddatum van het incident verstreken: niet "
                                        "meer verzameld / incident end date passed: not collected")
                    results[source.id] = "ended"
                    continue
                if not force and not src.due(source, now_i):
                    continue
                results[source.id] = _collect_one(engine, inc, source, client, sleep, max_pages)
    finally:
        if own_client:
            client.close()
    return results


def _collect_one(engine: Engine, inc: dict, source: src.Source, client, sleep, max_pages: int) -> Any:
    ctx = src.Context(engine=engine, incident=inc, client=client, sleep=sleep, max_pages=max_pages,
                      actor=f"collector:{source.id}")
    try:
        added = connector(source.kind)(source, ctx)
    except http.SourceError as exc:
        wait = src.record_failure(engine, source, str(exc), retry_after=exc.retry_after)
        log.warning("bron %s (%s): %s; opnieuw over %.0f s", source.id, source.label, exc, wait)
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - one broken source must not stop the others
        text = f"{type(exc).__name__}: {exc}"
        wait = src.record_failure(engine, source, text)
        log.error("bron %s (%s): %s; opnieuw over %.0f s\n%s", source.id, source.label, text, wait,
                  traceback.format_exc())
        return text
    src.record_success(engine, source)

    if source.id in STREAM_REFUSED:  # keep showing that this instance is polled only
        ctx.notes.append(STREAM_REFUSED[source.id])
    if ctx.notes:  # e.g. inbox files rejected in this pass: shown in the health until the next pass
        src.record_note(engine, source, "; ".join(ctx.notes))
    return added


class _Streams:
    """The Mastodon streaming threads of `run` (one per source with `streaming` on)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.running: dict[int, tuple[threading.Thread, threading.Event, Any]] = {}
        self.ended: set[int] = set()  # refused by the instance: not restarted

    def sync(self, incident: str | int | None) -> None:
        """Start streams for wanted sources, stop the others."""
        wanted: dict[int, tuple[dict, src.Source]] = {}
        try:
            incidents = _incidents(self.engine, incident)
        except CollectRefused:
            incidents = []
        now = pd.Timestamp.now(tz="UTC")
        for inc in incidents:
            if inc.get("end_at") is not None and now > inc["end_at"]:
                continue
            for source in src.list_sources(self.engine, inc["id"]):
                if source.kind == "mastodon" and source.config.get("streaming"):
                    wanted[source.id] = (inc, source)
        for sid in list(self.running):
            thread, stop, client = self.running[sid]
            if sid not in wanted or not thread.is_alive():
                stop.set()
                client.close()  # breaks a blocking read
                del self.running[sid]
                if not thread.is_alive() and sid in wanted:
                    self.ended.add(sid)
        for sid, (inc, source) in wanted.items():
            if sid in self.running or sid in self.ended:
                continue
            stop = threading.Event()
            client = http.make_client()
            ctx = src.Context(engine=self.engine, incident=inc, client=client,
                              actor=f"collector:{sid}")
            thread = threading.Thread(target=mastodon.stream, args=(source, ctx, stop), daemon=True,
                                      name=f"stream-{sid}")
            thread.start()
            self.running[sid] = (thread, stop, client)

    def stop_all(self) -> None:
        for _thread, stop, client in self.running.values():
            stop.set()
            client.close()
        self.running.clear()


def run(engine: Engine | None = None, *, incident: str | int | None = None, tick: float = 1.0,
        stop: threading.Event | None = None, client=None) -> None:
    """Collect until `stop` is set (or SIGTERM/SIGINT in the main thread)."""
    engine = engine or store.get_engine()
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    own_client = client is None
    client = client or http.make_client()
    streams = _Streams(engine)
    try:
        while not stop.is_set():
            started = time.monotonic()
            try:
                run_once(engine, incident=incident, client=client)
                streams.sync(incident)
            except CollectRefused:
                raise
            except Exception:  # noqa: BLE001 - e.g. the database briefly unavailable
                log.exception("verzamelronde mislukt / collection pass failed")
            stop.wait(max(tick - (time.monotonic() - started), 0.05))
    finally:
        streams.stop_all()
        if own_client:
            client.close()


