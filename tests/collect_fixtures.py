"""A local HTTP server that speaks the documented Mastodon, Bluesky and RSS/Atom formats.

Started by a test on 127.0.0.1 (free port, a thread). It holds statuses/posts in
memory (or generates them at a fixed rate for the soak test), implements the
paging the connectors rely on (Mastodon `min_id` + `Link` headers; Bluesky
searchPosts `cursor`, `since`, newest first) and can be told to answer the next
requests with a fault: ("429", retry_after), ("500",), ("truncated",), ("sleep", s),
("json", body). It records every request (path, query, headers) and when each
generated message was first served.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse


def snowflake(ts: datetime, seq: int = 0) -> str:
    """Mastodon id for a status created at `ts` (ms << 16, plus a sequence)."""
    return str((int(ts.timestamp() * 1000) << 16) + seq)


def iso(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def mastodon_status(i: int, ts: datetime, *, content: str | None = None, acct: str = "",
                    host: str = "social.example", language: str | None = "nl",
                    reblog: dict | None = None, reply: bool = False) -> dict:
    """A Status entity as documented (the fields the connector reads plus a few others)."""
    sid = snowflake(ts, i % 65536)
    return {
        "id": sid, "created_at": iso(ts), "in_reply_to_id": "1" if reply else None,
        "in_reply_to_account_id": None, "sensitive": False, "spoiler_text": "",
        "visibility": "public", "language": language,
        "uri": f"https://{host}/users/u{i % 50}/statuses/{sid}",
        "url": f"https://{host}/@u{i % 50}/{sid}", "replies_count": 0, "reblogs_count": 0,
        "favourites_count": 0,
        "content": content if content is not None else (
            f"<p>Brand in Moerdijk bericht {i} <a href=\"https://{host}/tags/brand\" "
            "class=\"mention hashtag\">#<span>brand</span></a></p>"),
        "reblog": reblog,
        "account": {"id": str(i % 50), "username": f"u{i % 50}", "acct": acct or f"u{i % 50}",
                    "display_name": f"Gebruiker {i % 50}", "url": f"https://{host}/@u{i % 50}"},
        "media_attachments": [], "mentions": [], "tags": [{"name": "brand"}], "emojis": [],
    }


def bluesky_post(i: int, ts: datetime, *, text: str | None = None, reply: bool = False,
                 langs=("nl",)) -> dict:
    """A PostView as returned by app.bsky.feed.searchPosts."""
    did = f"did:plc:user{i % 50:04d}"
    record = {"$type": "app.bsky.feed.post", "text": text if text is not None else f"Brand Moerdijk {i}",
              "createdAt": iso(ts), "langs": list(langs)}
    if reply:
        ref = {"uri": f"at://{did}/app.bsky.feed.post/parent", "cid": "bafyparent"}
        record["reply"] = {"root": ref, "parent": ref}
    return {"uri": f"at://{did}/app.bsky.feed.post/3k{i:08d}", "cid": f"bafy{i}",
            "author": {"did": did, "handle": f"user{i % 50}.bsky.social", "displayName": f"U {i % 50}"},
            "record": record, "replyCount": 0, "repostCount": 0, "likeCount": 0,
            "indexedAt": iso(ts + timedelta(milliseconds=50)), "labels": []}


class Fixture:
    """State of the fixture server (see module doc)."""

    def __init__(self) -> None:
        self.statuses: list[dict] = []  # Mastodon, any order
        self.posts: list[dict] = []  # Bluesky, any order
        self.feeds: dict[str, tuple[str, bytes]] = {}  # path -> (content type, body)
        self.faults: dict[str, list[tuple]] = {}  # path prefix -> queued faults
        self.requests: list[dict] = []
        self.rate: float = 0.0  # generated messages per second (soak), 0 = off
        self.gen_start: datetime | None = None
        self.gen_limit: int | None = None
        self.served_at: dict[str, float] = {}  # message id -> first time served (time.time())
        self.lock = threading.Lock()
        self.port = 0
        self.stream_queue: list[dict] = []  # statuses to push on the streaming endpoint
        self.stream_status = 200  # e.g. 401: the instance refuses streaming
        self.stream_connections = 0
        self.closing = threading.Event()

    # generated Mastodon stream ------------------------------------------------------------
    def start_generating(self, rate: float, limit: int | None = None) -> None:
        self.gen_start = datetime.now(UTC)
        self.rate = rate
        self.gen_limit = limit

    def stop_generating(self) -> int:
        """Freeze the stream; return how many messages exist."""
        with self.lock:
            n = self.generated_count()
            self.gen_limit = n
            return n

    def generated_count(self) -> int:
        if not self.rate or self.gen_start is None:
            return 0
        n = int((datetime.now(UTC) - self.gen_start).total_seconds() * self.rate)
        return n if self.gen_limit is None else min(n, self.gen_limit)

    def _all_statuses(self) -> list[dict]:
        out = list(self.statuses)
        if self.rate and self.gen_start is not None:
            for i in range(self.generated_count()):
                ts = self.gen_start + timedelta(seconds=i / self.rate)
                out.append(mastodon_status(i, ts))
        return out

    def add_fault(self, prefix: str, *fault) -> None:
        self.faults.setdefault(prefix, []).append(tuple(fault))

    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _key(sid: str) -> tuple[int, str]:
    return (len(sid), sid)


class Handler(BaseHTTPRequestHandler):
    fixture: Fixture

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, ctype: str = "application/json",
              headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        fx = self.fixture
        parsed = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
        with fx.lock:
            fx.requests.append({"path": parsed.path, "query": query, "headers": dict(self.headers),
                                "at": time.time()})
            fault = None
            for prefix, queue in fx.faults.items():
                if parsed.path.startswith(prefix) and queue:
                    fault = queue.pop(0)
                    break
        if fault:
            kind = fault[0]
            if kind == "429":
                return self._send(429, b'{"error":"Too many requests"}',
                                  headers={"Retry-After": str(fault[1])})
            if kind == "500":
                return self._send(500, b'{"error":"boom"}')
            if kind == "truncated":
                return self._send(200, b'[{"id": "1", "created_at": "2026-')
            if kind == "json":
                return self._send(200, json.dumps(fault[1]).encode())
            if kind == "sleep":
                time.sleep(fault[1])
        if parsed.path == "/api/v1/streaming/hashtag":
            return self._stream(query)
        if parsed.path.startswith("/api/v1/timelines/tag/"):
            return self._mastodon(parsed.path, query)
        if parsed.path == "/xrpc/app.bsky.feed.searchPosts":
            return self._bluesky(query)
        if parsed.path in fx.feeds:
            ctype, body = fx.feeds[parsed.path]
            etag = '"v1"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", ctype, headers={"ETag": etag})
            return self._send(200, body, ctype, headers={"ETag": etag})
        return self._send(404, b'{"error":"Record not found"}')

    def _mastodon(self, path: str, query: dict) -> None:
        fx = self.fixture
        limit = min(int(query.get("limit", 20)), 40)
        with fx.lock:
            items = sorted(fx._all_statuses(), key=lambda s: _key(s["id"]))
        if "min_id" in query:  # the statuses right after min_id (oldest of them first), shown newest first
            page = [s for s in items if _key(s["id"]) > _key(query["min_id"])][:limit]
        else:  # newest first from max_id/since_id
            page = items
            if "max_id" in query:
                page = [s for s in page if _key(s["id"]) < _key(query["max_id"])]
            if "since_id" in query:
                page = [s for s in page if _key(s["id"]) > _key(query["since_id"])]
            page = page[-limit:]
        page = sorted(page, key=lambda s: _key(s["id"]), reverse=True)
        headers = {}
        if page:
            base = f"{fx.base()}{path}"
            older = urlencode({"limit": limit, "max_id": page[-1]["id"]})
            newer = urlencode({"limit": limit, "min_id": page[0]["id"]})
            headers["Link"] = f'<{base}?{older}>; rel="next", <{base}?{newer}>; rel="prev"'
        now = time.time()
        with fx.lock:
            for s in page:
                fx.served_at.setdefault(s["uri"], now)
        self._send(200, json.dumps(page).encode(), headers=headers)

    def _stream(self, query: dict) -> None:
        """Server-sent events as Mastodon's streaming API sends them (update events, heartbeats)."""
        fx = self.fixture
        if fx.stream_status != 200:
            return self._send(fx.stream_status, b'{"error":"This method requires an authenticated user"}')
        fx.stream_connections += 1
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        last_beat = 0.0
        try:
            while not fx.closing.is_set():
                with fx.lock:
                    batch, fx.stream_queue = fx.stream_queue, []
                for status in batch:
                    self.wfile.write(f"event: update\ndata: {json.dumps(status)}\n\n".encode())
                if time.time() - last_beat > 0.5:
                    self.wfile.write(b":thump\n")
                    last_beat = time.time()
                self.wfile.flush()
                time.sleep(0.05)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _bluesky(self, query: dict) -> None:
        fx = self.fixture
        if not query.get("q"):
            return self._send(400, b'{"error":"InvalidRequest","message":"q is required"}')
        limit = min(int(query.get("limit", 25)), 100)
        with fx.lock:
            items = sorted(fx.posts, key=lambda p: p["record"]["createdAt"], reverse=True)
        if query.get("since"):
            since = query["since"]
            items = [p for p in items if min(p["record"]["createdAt"], p["indexedAt"]) >= since]
        if query.get("lang"):
            items = [p for p in items if query["lang"] in p["record"].get("langs", [])]
        offset = int(query.get("cursor") or 0)
        page = items[offset:offset + limit]
        body = {"posts": page, "hitsTotal": len(items)}
        if offset + limit < len(items):
            body["cursor"] = str(offset + limit)
        self._send(200, json.dumps(body).encode())


class FixtureServer:
    """Context manager: start the fixture server in a thread; `.fx` is its state."""

    def __init__(self) -> None:
        self.fx = Fixture()

    def __enter__(self) -> Fixture:
        handler = type("H", (Handler,), {"fixture": self.fx})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.fx.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self.fx

    def __exit__(self, *exc) -> None:
        self.fx.closing.set()
        self.server.shutdown()
        self.server.server_close()


RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Veiligheidsregio Voorbeeld</title>
<link>https://vr.example/</link><description>Nieuws</description>
<item><title>Brand Moerdijk: houd ramen en deuren gesloten</title>
<link>https://vr.example/nieuws/1</link><guid>https://vr.example/nieuws/1</guid>
<pubDate>{d1}</pubDate>
<description>&lt;p&gt;Er is rook. &lt;img src="https://track.example/p.gif" width="1"&gt;
Zet ventilatie uit.&lt;/p&gt;</description></item>
<item><title>Update: brand onder controle</title><link>https://vr.example/nieuws/2</link>
<guid>https://vr.example/nieuws/2</guid><pubDate>{d2}</pubDate>
<description>De brand is onder controle.</description></item>
<item><title>Zonder datum</title><link>https://vr.example/nieuws/3</link>
<guid>https://vr.example/nieuws/3</guid></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Omroep Voorbeeld</title>
<id>urn:uuid:feed</id><updated>{d2}</updated>
<entry><title>Grote brand bij Moerdijk</title><id>urn:uuid:a1</id>
<link href="https://omroep.example/a1"/><updated>{d1}</updated><published>{d1}</published>
<author><name>Redactie</name></author>
<summary type="html">&lt;script&gt;alert(1)&lt;/script&gt;Rookwolk boven het industrieterrein.</summary>
</entry>
<entry><title>Scholen dicht</title><id>urn:uuid:a2</id>
<link href="https://omroep.example/a2"/><updated>{d2}</updated>
<summary>Scholen in de regio blijven dicht.</summary></entry>
</feed>"""
