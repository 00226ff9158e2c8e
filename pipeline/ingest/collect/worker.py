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

import argparse
import json
import logging
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from pipeline.ingest.collect import KINDS, http
from pipeline.ingest.collect import sources as src
from pipeline.storage import store

log = logging.getLogger("luisterpost.collect")


class CollectRefused(RuntimeError):
    """The incident may not be collected (unknown, closed, purged); Dutch / English text."""


def connector(kind: str) -> Callable[[src.Source, src.Context], int]:
    """Return the `collect` function of a kind of source."""
    from pipeline.ingest.collect import bluesky, feeds, inbox, mastodon

    return {"inbox": inbox.collect, "mastodon": mastodon.collect, "bluesky": bluesky.collect,
            "rss": feeds.collect}[kind]


def _incidents(engine: Engine, incident: str | int | None) -> list[dict[str, Any]]:
    from pipeline.governance.policy import IncidentNotAcceptingData, check_incident_accepts_data

    if incident is None:
        table = store.list_incidents(engine)
        if table.empty:
            return []
        return [store.get_incident(engine, int(i)) for i in table["id"]
                if store.incident_is_open(store.get_incident(engine, int(i)))]
    inc = store.get_incident(engine, incident)
    if inc is None and isinstance(incident, str) and incident.strip().isdigit():
        inc = store.get_incident(engine, int(incident))
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
    from pipeline.ingest.collect.mastodon import STREAM_REFUSED

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
        from pipeline.ingest.collect import mastodon

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


# --- command line ---------------------------------------------------------------------------------
def cli(argv: list[str] | None = None) -> int:
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


def source_cli(argv: list[str] | None = None) -> int:
    """`python -m pipeline source add|list|remove ...` (audited)."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline source",
        description="Beheer de bronnen van een incident. / Manage the sources of an incident.")
    sub = parser.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="bron toevoegen / add a source")
    add.add_argument("--incident", required=True)
    add.add_argument("--kind", required=True, choices=KINDS)
    add.add_argument("--label", default="")
    add.add_argument("--folder", help="inbox: map met exports / export folder")
    add.add_argument("--instance", help="mastodon: https://instantie")
    add.add_argument("--hashtag", help="mastodon: hashtag (zonder #)")
    add.add_argument("--languages", help="mastodon: alleen deze talen, bv. nl,en")
    add.add_argument("--streaming", action="store_true",
                     help="mastodon: ook de streaming-API gebruiken (als de instantie dat toestaat)")
    add.add_argument("--query", help="bluesky: zoekopdracht (q)")
    add.add_argument("--lang", help="bluesky: taal (lang), bv. nl")
    add.add_argument("--appview", help=f"bluesky: AppView (standaard {'https://public.api.bsky.app'})")
    add.add_argument("--url", help="rss: adres van de RSS/Atom-feed")
    add.add_argument("--own-channel", action="store_true",
                     help="rss: eigen kanaal (berichten worden communicatiemomenten)")
    add.add_argument("--interval", type=float, help="seconden tussen twee keer ophalen")
    add.add_argument("--token-env", help="naam van de omgevingsvariabele met het token (niet het token)")
    add.add_argument("--actor", default="cli")
    lst = sub.add_parser("list", help="bronnen en gezondheid tonen / list sources and health")
    lst.add_argument("--incident", default=None)
    rem = sub.add_parser("remove", help="bron stoppen / stop a source")
    rem.add_argument("id", type=int)
    rem.add_argument("--actor", default="cli")
    rem.add_argument("--reason", default="")
    args = parser.parse_args(argv)
    engine = store.get_engine()
    try:
        if args.action == "add":
            config = {k: getattr(args, k) for k in ("folder", "instance", "hashtag", "languages", "query",
                                                     "lang", "appview", "url", "interval", "token_env")}
            config["own_channel"] = bool(args.own_channel) or None
            config["streaming"] = bool(args.streaming) or None
            sid = src.add_source(engine, args.incident, args.kind, config, actor=args.actor,
                                 label=args.label)
            print(f"bron {sid} toegevoegd / source {sid} added")
        elif args.action == "remove":
            src.remove_source(engine, args.id, actor=args.actor, reason=args.reason)
            print(f"bron {args.id} gestopt / source {args.id} stopped")
        else:
            inc_id = None
            if args.incident:
                inc = store.get_incident(engine, args.incident)
                if inc is None:
                    raise ValueError(f"incident '{args.incident}' bestaat niet / does not exist")
                inc_id = inc["id"]
            for s in src.list_sources(engine, inc_id, include_removed=True):
                h = s.health
                print(json.dumps({"id": s.id, "incident": s.incident_id, "kind": s.kind, "label": s.label,
                                  "active": s.active, "config": s.config,
                                  "last_success": str(h["last_success_at"] or ""),
                                  "last_hour": src.messages_last_hour(s),
                                  "last_error": h["last_error"] or ""}, ensure_ascii=False))
    except Exception as exc:  # noqa: BLE001 - any refusal is shown as text
        print(str(exc), file=sys.stderr)
        return 2
    return 0
