"""Host/Origin allow-list and security headers for the web server (pure ASGI, no Streamlit).

A page served on 127.0.0.1 can still be reached from a malicious web site through DNS
rebinding: the browser sends `Host: evil.example:8601` (and `Origin: http://evil.example:8601`)
to the local server. Streamlit 1.67 runs on Starlette/uvicorn and checks neither the Host
header nor the websocket's Origin (its `server.enableCORS` only concerns CORS headers and
`server.enableXsrfProtection` only uploads). So:

* `HostOriginGuard` refuses, for HTTP and websocket alike, every request whose `Host` or
  (when present) `Origin` host is not on the allow-list: the loopback names (`localhost`,
  `127.0.0.1`, `::1`, ...) plus the public host names in `LUISTERPOST_PUBLIC_HOSTS`
  (comma-separated, e.g. `luisterpost.vrzz.nl`). HTTP gets 403 with a Dutch/English text;
  a websocket is closed before it is accepted (uvicorn answers the handshake with 403).
* `SecurityHeaders` adds a Content-Security-Policy (no framing, images and scripts only
  from the app itself: a Markdown image can never fetch a remote tracking pixel),
  `X-Frame-Options: DENY`, `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer`.

Both are installed by `serve.py` (`streamlit run serve.py`, Streamlit's `st.App` with
middleware). `host_allowed` is also used inside the app (`pages/_common.current_user`) so
that demo mode refuses a foreign Host even when started as `streamlit run dashboard.py`.
Behind a reverse proxy the same rules belong there too: see `docs/DEPLOY.md`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

PUBLIC_HOSTS_ENV = "LUISTERPOST_PUBLIC_HOSTS"
LOOPBACK_HOSTS = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback",
                            "127.0.0.1", "::1"})
REFUSED = ("Geweigerd: onbekende host of herkomst (Host/Origin). / "
           "Refused: unknown host or origin (Host/Origin).\n")

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:",  # Streamlit and Vega need inline/eval
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",  # no remote images: a Markdown image cannot call home
    "font-src 'self' data:",
    "connect-src 'self' ws: wss:",
    "worker-src 'self' blob:",
    "frame-src 'self' blob: data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def public_hosts(env: Mapping[str, str] | None = None) -> frozenset[str]:
    """Return the configured public host names (lower-case, without port)."""
    env = os.environ if env is None else env
    return frozenset(h for h in (host_of(v) for v in str(env.get(PUBLIC_HOSTS_ENV, "")).split(",")) if h)


def allowed_hosts(env: Mapping[str, str] | None = None) -> frozenset[str]:
    """Return the loopback names plus the configured public hosts."""
    return LOOPBACK_HOSTS | public_hosts(env)


def host_of(value: str | None) -> str:
    """Return the lower-case host name of a Host header or an Origin URL, without port ("" if none)."""
    value = str(value or "").strip().lower()
    if not value:
        return ""
    if "://" not in value:
        value = "//" + value
    try:
        host = urlsplit(value).hostname or ""
    except ValueError:  # a malformed port or bracket
        return ""
    return host.rstrip(".")


def host_allowed(host: str | None, origin: str | None, allowed: Iterable[str] | None = None) -> bool:
    """Return True when the Host header's host, and the Origin's host if there is one, are allowed."""
    allowed = frozenset(allowed) if allowed is not None else allowed_hosts()
    if host_of(host) not in allowed:
        return False
    if origin is None or str(origin).strip() == "":
        return True
    if str(origin).strip().lower() == "null":  # sandboxed frames, file:// pages
        return False
    return host_of(origin) in allowed


def _header(scope: Mapping, name: bytes) -> str | None:
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            return value.decode("latin-1")
    return None


class HostOriginGuard:
    """ASGI middleware: refuse HTTP and websocket requests from hosts/origins not on the allow-list."""

    def __init__(self, app, allowed: Iterable[str] | None = None) -> None:
        self.app = app
        self.allowed = frozenset(allowed) if allowed is not None else allowed_hosts()

    async def __call__(self, scope, receive, send) -> None:
        """Pass allowed requests on; answer others with 403 (HTTP) or close code 1008 (websocket)."""
        kind = scope.get("type")
        if kind not in ("http", "websocket") or host_allowed(
                _header(scope, b"host"), _header(scope, b"origin"), self.allowed):
            await self.app(scope, receive, send)
            return
        if kind == "websocket":
            message = await receive()
            if message.get("type") == "websocket.connect":
                await send({"type": "websocket.close", "code": 1008})
            return
        body = REFUSED.encode("utf-8")
        await send({"type": "http.response.start", "status": 403, "headers": [
            (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
            *[(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]]})
        await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """ASGI middleware: add `SECURITY_HEADERS` to every HTTP response (existing ones are replaced)."""

    def __init__(self, app) -> None:
        self.app = app
        self.extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope, receive, send) -> None:
        """Pass the request on and add the headers to its response."""
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message.get("type") == "http.response.start":
                names = {k for k, _ in self.extra}
                headers = [(k, v) for k, v in message.get("headers") or () if k.lower() not in names]
                message = {**message, "headers": headers + self.extra}
            await send(message)

        await self.app(scope, receive, send_with_headers)
