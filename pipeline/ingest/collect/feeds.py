"""RSS 2.0 / Atom feeds (news sites, the region's own channels) via `feedparser`.

The feed is fetched through the shared HTTP client (conditional GET with the
stored `ETag` / `Last-Modified`; a 304 stores nothing) and parsed with
feedparser from the bytes (feedparser never fetches by itself here). An entry's
source id is its `id`/`guid` (else its link, else a hash of title and time); its
text is the title plus the summary as plain text (`html_to_text`); its time is
`published` (else `updated`); entries without a time are skipped, since a
made-up time would distort the timeline. The cursor keeps the ETag/Last-Modified
and the ids already stored (the last 2,000), so only new entries form a batch.

A feed marked `own_channel` ("eigen kanaal") is the authority's own channel: its
entries are stored as platform `website` under the feed's label as an official
account of kind `authority`, so ingest turns each into a communication moment
automatically (`store.moments_from_official_messages`), like the official
accounts at import. Other feeds are platform `nieuws`. A body feedparser cannot
read (no feed, no entries, bozo) fails the source, not the others.
"""

from __future__ import annotations

import calendar
import hashlib
from typing import Any

import feedparser
import pandas as pd

from pipeline.ingest.collect import http
from pipeline.ingest.collect.html_text import html_to_text
from pipeline.ingest.collect.sources import Context, Source, save_cursor, store_batch
from pipeline.ingest.load import default_officials

SEEN_KEEP = 2000
MAX_TEXT = 4000


def _time(entry: Any) -> pd.Timestamp | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return pd.Timestamp(calendar.timegm(parsed), unit="s", tz="UTC")


def entry_rows(parsed: Any, source: Source) -> list[dict[str, Any]]:
    """Return ingest rows for a parsed feed (entries without a time skipped)."""
    own = bool(source.config.get("own_channel"))
    feed_title = str(parsed.feed.get("title") or source.label)
    rows = []
    for entry in parsed.entries:
        when = _time(entry)
        if when is None:
            continue
        title = html_to_text(entry.get("title") or "")
        summary = html_to_text(entry.get("summary") or "")
        if summary.startswith(title):
            title = ""
        text = "\n".join(p for p in (title, summary) if p)[:MAX_TEXT]
        link = str(entry.get("link") or "")
        ident = str(entry.get("id") or link or hashlib.sha256(
            f"{title}\x1f{when.isoformat()}".encode()).hexdigest())
        rows.append({
            "id": ident, "created_at": when.isoformat(), "text": text,
            "author": f"feed:{source.id}" if own else str(entry.get("author") or feed_title),
            "platform": "website" if own else "nieuws", "url": link,
            "is_reply": False, "is_repost": False,
        })
    return rows


def officials_for(source: Source) -> pd.DataFrame | None:
    """Return the official-accounts frame that makes an own-channel feed an authority account."""
    base = default_officials()
    if not source.config.get("own_channel"):
        return base
    own = pd.DataFrame([{"platform": "website", "account": f"feed:{source.id}",
                         "name": source.label[:100], "kind": "authority"}])
    return own if base is None or base.empty else pd.concat([base, own], ignore_index=True)


def collect(source: Source, ctx: Context) -> int:
    """Fetch the feed and store its new entries; return messages added."""
    url = str(source.config["url"])
    cursor = dict(source.cursor)
    headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml, text/xml, */*"}
    if cursor.get("etag"):
        headers["If-None-Match"] = cursor["etag"]
    if cursor.get("modified"):
        headers["If-Modified-Since"] = cursor["modified"]
    kwargs = {"headers": headers}
    if ctx.sleep is not None:
        kwargs["sleep"] = ctx.sleep
    resp = http.get(ctx.client, url, **kwargs)
    if resp.status_code == 304:
        return 0
    parsed = feedparser.parse(resp.content, response_headers={
        k.lower(): v for k, v in resp.headers.items() if k.lower() in ("content-type", "content-location")})
    if not parsed.get("version") or (parsed.get("bozo") and not parsed.entries):
        reason = parsed.get("bozo_exception") or "geen RSS/Atom / not RSS/Atom"
        raise http.SourceError(f"onleesbare feed {url} / unreadable feed: {reason}")
    seen = list(cursor.get("seen") or [])
    seen_set = set(seen)
    rows = [r for r in entry_rows(parsed, source) if r["id"] not in seen_set]
    new_cursor = {"etag": resp.headers.get("ETag", ""), "modified": resp.headers.get("Last-Modified", ""),
                  "seen": (seen + [r["id"] for r in rows])[-SEEN_KEEP:]}
    if not rows:
        save_cursor(ctx.engine, source, new_cursor)
        return 0
    return store_batch(ctx, source, rows, new_cursor, officials=officials_for(source))
