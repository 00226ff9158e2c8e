"""Mastodon: the public hashtag timeline `GET /api/v1/timelines/tag/:hashtag`, paged forward.

The cursor is the `min_id` of the newest status stored. A fresh source starts at
the incident's start: Mastodon ids are snowflakes (milliseconds since 1970 << 16),
so `min_id = snowflake(start)` pages forward from that moment without reading
older history. Every request asks `min_id=<cursor>&limit=40`; Mastodon answers
the statuses right after the cursor (newest first) and a `Link` header whose
`rel="prev"` carries the next `min_id`. Each page is one batch: its messages and
the new cursor commit together, so a restart in the middle of a page re-reads
that page and stores nothing twice.

Per status: the HTML `content` becomes plain text (`html_to_text`: scripts,
images and tracking pixels dropped); a boost (`reblog` set) is stored as a
repost with the boosted text; `in_reply_to_id` marks a reply; `language`, when
present, is compared with the source's `languages` (others are skipped); the
source id is the status `uri` (the same post seen on two instances is stored
once); `spoiler_text` (content warning) is kept in front of the text. Statuses
without text (only media) are skipped. A page that is not a list of statuses,
or a status without id/created_at, fails the whole page (nothing stored).

Streaming (source option `streaming`): `stream()` holds the public streaming
endpoint `GET /api/v1/streaming/hashtag?tag=...` (server-sent events, `update`
events carry a Status) open in a thread of the worker and stores what arrives
at once, without touching the cursor: the polled timeline stays the source of
truth and skips those statuses as duplicates, so a dropped stream loses
nothing. An instance that refuses streaming (401/403/404, e.g. when it needs a
token) is noted in the source's health and only polled from then on.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pandas as pd

from pipeline.ingest.collect import http
from pipeline.ingest.collect.html_text import html_to_text
from pipeline.ingest.collect.sources import Context, Source, record_note, store_batch, token_for

LIMIT = 40
STREAM_READ_TIMEOUT = 90.0  # Mastodon sends a ":thump" heartbeat every ~15 s
log = logging.getLogger("luisterpost.collect")
STREAM_REFUSED: dict[int, str] = {}  # source id -> why the instance refused streaming (this process)


def snowflake_at(ts: pd.Timestamp) -> str:
    """Return the smallest Mastodon snowflake id of a status created at `ts`."""
    return str(int(pd.Timestamp(ts).tz_convert("UTC").value // 1_000_000) << 16)


def _host(instance: str) -> str:
    return urlparse(instance).netloc


def status_row(status: dict[str, Any], instance_host: str, languages: set[str]) -> dict | None:
    """Return the ingest row for one Status entity; None to skip; ValueError when malformed."""
    if not isinstance(status, dict) or not status.get("id") or not status.get("created_at"):
        raise ValueError("status zonder id of created_at / status without id or created_at")
    pd.Timestamp(status["created_at"])  # ValueError when it is not a time
    shown = status.get("reblog") if isinstance(status.get("reblog"), dict) else status
    lang = (shown.get("language") or status.get("language") or "").lower()
    if languages and lang and lang.split("-")[0] not in languages:
        return None
    text = html_to_text(shown.get("content"))
    spoiler = html_to_text(shown.get("spoiler_text"))
    if spoiler:
        text = f"{spoiler}\n{text}".strip()
    if not text:
        return None
    account = status.get("account") or {}
    acct = str(account.get("acct") or account.get("username") or "")
    if acct and "@" not in acct:
        acct = f"{acct}@{instance_host}"
    return {
        "id": str(status.get("uri") or f"{instance_host}/{status['id']}"),
        "created_at": str(status["created_at"]),
        "text": text,
        "author": acct,
        "platform": "mastodon",
        "url": str(status.get("url") or shown.get("url") or ""),
        "is_reply": bool(status.get("in_reply_to_id")),
        "is_repost": shown is not status,
    }


def _next_min_id(resp, statuses: list[dict]) -> str:
    link = resp.links.get("prev") if hasattr(resp, "links") else None
    if link and link.get("url"):
        values = parse_qs(urlparse(link["url"]).query).get("min_id")
        if values and values[0]:
            return values[0]
    return max((str(s["id"]) for s in statuses), key=lambda i: (len(i), i))


def collect(source: Source, ctx: Context) -> int:
    """Collect new statuses for the source's hashtag; return messages added."""
    cfg = source.config
    instance = str(cfg["instance"]).rstrip("/")
    host = _host(instance)
    languages = {x.strip().lower() for x in str(cfg.get("languages") or "").split(",") if x.strip()}
    limit = int(cfg.get("limit") or LIMIT)
    url = f"{instance}/api/v1/timelines/tag/{cfg['hashtag']}"
    token = token_for(source)
    headers = {"Authorization": f"Bearer {token}"} if token else None
    min_id = str(source.cursor.get("min_id") or snowflake_at(ctx.incident["start_at"]))
    added = 0
    for _page in range(ctx.max_pages):
        kwargs = {"params": {"min_id": min_id, "limit": limit}, "headers": headers}
        if ctx.sleep is not None:
            kwargs["sleep"] = ctx.sleep
        body, resp = http.get_json(ctx.client, url, **kwargs)
        if not isinstance(body, list):
            raise http.SourceError(f"onverwacht antwoord van {url}: geen lijst met statussen / "
                                   "unexpected answer: not a list of statuses")
        if not body:
            break
        try:
            rows = [r for s in body if (r := status_row(s, host, languages)) is not None]
        except ValueError as exc:
            raise http.SourceError(f"onjuiste status van {url} / malformed status: {exc}") from exc
        new_min = _next_min_id(resp, body)
        if (len(new_min), new_min) <= (len(min_id), min_id):
            raise http.SourceError(f"cursor van {url} gaat niet vooruit / cursor does not advance")
        min_id = new_min
        added += store_batch(ctx, source, rows, {"min_id": min_id})
        if len(body) < limit:
            break
    return added


def parse_events(buffer: str) -> tuple[list[tuple[str, str]], str]:
    """Split server-sent-event text into complete (event, data) pairs and the unfinished rest."""
    events = []
    *blocks, rest = buffer.replace("\r\n", "\n").split("\n\n")
    for block in blocks:
        name, data = "message", []
        for line in block.split("\n"):
            if not line or line.startswith(":"):
                continue  # comment / heartbeat
            key, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if key == "event":
                name = value
            elif key == "data":
                data.append(value)
        if data:
            events.append((name, "\n".join(data)))
    return events, rest


def stream(source: Source, ctx: Context, stop: threading.Event, *, backoff: float = 5.0) -> str:
    """Store statuses from the hashtag stream until `stop` is set; return why it ended."""
    cfg = source.config
    instance = str(cfg["instance"]).rstrip("/")
    host = _host(instance)
    languages = {x.strip().lower() for x in str(cfg.get("languages") or "").split(",") if x.strip()}
    token = token_for(source)
    headers = {"Accept": "text/event-stream"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    url = f"{instance}/api/v1/streaming/hashtag"
    wait = backoff
    while not stop.is_set():
        try:
            timeout = httpx.Timeout(10.0, read=STREAM_READ_TIMEOUT)
            with ctx.client.stream("GET", url, params={"tag": cfg["hashtag"]}, headers=headers,
                                   timeout=timeout) as resp:
                if resp.status_code in (401, 403, 404, 410, 422):
                    note = (f"streaming geweigerd ({resp.status_code}); alleen ophalen per interval / "
                            f"streaming refused ({resp.status_code}); polling only")
                    STREAM_REFUSED[source.id] = note
                    record_note(ctx.engine, source, note)
                    return note
                if resp.status_code != 200:
                    raise http.SourceError(f"streaming: status {resp.status_code}")
                wait = backoff
                buffer = ""
                for chunk in resp.iter_text():
                    if stop.is_set():
                        return "stopped"
                    events, buffer = parse_events(buffer + chunk)
                    rows = []
                    for name, data in events:
                        if name != "update":
                            continue
                        try:
                            row = status_row(json.loads(data), host, languages)
                        except (ValueError, TypeError) as exc:
                            log.warning("bron %s: onjuiste status in stream / malformed: %s", source.id, exc)
                            continue
                        if row is not None:
                            rows.append(row)
                    if rows:  # the events of one network chunk form one batch
                        store_batch(ctx, source, rows, None)
        except (httpx.HTTPError, http.SourceError) as exc:
            log.info("bron %s: stream onderbroken (%s); opnieuw over %.0f s", source.id, exc, wait)
        stop.wait(wait)
        wait = min(wait * 2, 300.0)
    return "stopped"
