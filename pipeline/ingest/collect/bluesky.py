"""Bluesky: `app.bsky.feed.searchPosts` on the public AppView (q, lang, since, sort=latest, cursor).

searchPosts with `sort=latest` returns the newest posts first and a `cursor` to
page back in time. A pass therefore starts at the newest post and pages back to
the high-water mark `since` (the newest post time of the previous complete pass;
the incident start for a fresh source). The cursor state is
`{"since": ..., "pass": {"cursor": ..., "top": ...}}`: every page commits its
posts together with the page cursor, a restart resumes the unfinished pass at
that page, and `since` moves to the pass's newest post only when the pass is
complete — so a kill in the middle of a pass leaves no gap.

Per post (PostView): text from `record.text`, `record.createdAt` (else
`indexedAt`), reply when `record.reply` is present, repost when the view carries
a `reason` of type `#reasonRepost`; the source id is the post's `at://` uri; the
author handle (else DID) is pseudonymised at ingest. A page without a `posts`
list or a post without uri/record fails the page.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.ingest.collect import http
from pipeline.ingest.collect.sources import Context, Source, store_batch, token_for

PUBLIC_APPVIEW = "https://public.api.bsky.app"
LIMIT = 100


def _iso(ts: Any) -> str:
    return pd.Timestamp(ts).tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def post_row(post: dict[str, Any]) -> dict[str, Any]:
    """Return the ingest row for one PostView (plus its sort time `_sort`); ValueError when malformed."""
    if not isinstance(post, dict) or not post.get("uri") or not isinstance(post.get("record"), dict):
        raise ValueError("post zonder uri of record / post without uri or record")
    record = post["record"]
    created = record.get("createdAt") or post.get("indexedAt")
    if not created:
        raise ValueError("post zonder tijd / post without a time")
    author = post.get("author") or {}
    handle = str(author.get("handle") or author.get("did") or "")
    rkey = str(post["uri"]).rsplit("/", 1)[-1]
    reason = post.get("reason") or {}
    # searchPosts orders and filters on "sortAt": the earlier of createdAt and indexedAt
    sort_at = min(pd.Timestamp(t) if pd.Timestamp(t).tzinfo else pd.Timestamp(t).tz_localize("UTC")
                  for t in (created, post.get("indexedAt") or created))
    return {
        "_sort": sort_at,
        "id": str(post["uri"]),
        "created_at": str(created),
        "text": str(record.get("text") or ""),
        "author": handle,
        "platform": "bluesky",
        "url": f"https://bsky.app/profile/{handle}/post/{rkey}" if handle else "",
        "is_reply": bool(record.get("reply")),
        "is_repost": str(reason.get("$type", "")).endswith("reasonRepost"),
    }


def collect(source: Source, ctx: Context) -> int:
    """Collect new posts matching the source's query; return messages added."""
    cfg = source.config
    appview = str(cfg.get("appview") or PUBLIC_APPVIEW).rstrip("/")
    url = f"{appview}/xrpc/app.bsky.feed.searchPosts"
    token = token_for(source)
    headers = {"Authorization": f"Bearer {token}"} if token else None
    since = source.cursor.get("since") or _iso(ctx.incident["start_at"])
    state = dict(source.cursor.get("pass") or {})
    added = 0
    for _page in range(ctx.max_pages):
        params = {"q": cfg["query"], "sort": "latest", "since": since,
                  "limit": int(cfg.get("limit") or LIMIT)}
        if cfg.get("lang"):
            params["lang"] = cfg["lang"]
        if state.get("cursor"):
            params["cursor"] = state["cursor"]
        kwargs = {"params": params, "headers": headers}
        if ctx.sleep is not None:
            kwargs["sleep"] = ctx.sleep
        body, _resp = http.get_json(ctx.client, url, **kwargs)
        if not isinstance(body, dict) or not isinstance(body.get("posts"), list):
            raise http.SourceError(f"onverwacht antwoord van {url}: geen 'posts' / "
                                   "unexpected answer: no 'posts' list")
        try:
            rows = [post_row(p) for p in body["posts"]]
        except ValueError as exc:
            raise http.SourceError(f"onjuiste post van {url} / malformed post: {exc}") from exc
        times = [r["_sort"] for r in rows]
        candidates = times + ([pd.Timestamp(state["top"])] if state.get("top") else [])
        top = max(candidates) if candidates else None
        next_cursor = body.get("cursor")
        older_than_since = bool(times) and min(times) <= pd.Timestamp(since)
        finished = not rows or not next_cursor or older_than_since
        if finished:
            new_since = _iso(top) if top is not None else since
            cursor = {"since": new_since, "pass": {}}
        else:
            cursor = {"since": since, "pass": {"cursor": str(next_cursor),
                                               "top": _iso(top) if top is not None else ""}}
        added += store_batch(ctx, source, rows, cursor)
        if finished:
            break
        state = cursor["pass"]
    return added
