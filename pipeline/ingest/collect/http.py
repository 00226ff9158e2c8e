"""One HTTP client for every connector: User-Agent, proxy, timeouts, retries and backoff.

`make_client()` returns an `httpx.Client` with User-Agent
"Luisterpost/<version> (+<contact>)" (`LUISTERPOST_HTTP_CONTACT`: a URL or e-mail
address; printable ASCII only, as HTTP headers need), the proxy from
`LUISTERPOST_HTTP_PROXY` (for every request; else httpx's standard
`HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`), the CA bundle from `SSL_CERT_FILE`/`SSL_CERT_DIR`
when set (a TLS-inspecting government proxy)
and a timeout of `LUISTERPOST_HTTP_TIMEOUT` seconds (default 10).

`get(client, url, ...)` retries a 5xx answer, a timeout or a connection error
`retries` times with a short pause, honours a 429's `Retry-After` inline when it
is at most `max_inline_wait` seconds, and otherwise raises `SourceError`
(`retry_after` set for a 429) so the worker backs off that source only.
"""

from __future__ import annotations

import email.utils
import json
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from pipeline import __version__

PROXY_ENV = "LUISTERPOST_HTTP_PROXY"
CONTACT_ENV = "LUISTERPOST_HTTP_CONTACT"  # (LUISTERPOST_CONTACT is the public page's)
TIMEOUT_ENV = "LUISTERPOST_HTTP_TIMEOUT"
MAX_BODY = 20 * 1024 * 1024  # larger answers are refused (a feed page is a few hundred KB)


class SourceError(RuntimeError):
    """A source answered badly (HTTP error, timeout, malformed body); Dutch / English text."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def user_agent() -> str:
    """Return the product User-Agent, with the operator's contact when configured."""
    contact = "".join(ch for ch in os.environ.get(CONTACT_ENV, "") if " " <= ch <= "~").strip()[:200]
    return f"Luisterpost/{__version__}" + (f" (+{contact})" if contact else "")


def make_client(timeout: float | None = None) -> httpx.Client:
    """Return the shared client (see module doc); the caller closes it."""
    if timeout is None:
        try:
            timeout = float(os.environ.get(TIMEOUT_ENV, "") or 10.0)
        except ValueError:
            timeout = 10.0
    proxy = os.environ.get(PROXY_ENV, "").strip() or None
    return httpx.Client(headers={"User-Agent": user_agent(), "Accept": "application/json, */*"},
                        timeout=httpx.Timeout(timeout), proxy=proxy, follow_redirects=True,
                        trust_env=True)  # also SSL_CERT_FILE/SSL_CERT_DIR: a TLS-inspecting proxy's CA


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Return the wait a `Retry-After` header asks for (seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


def get(client: httpx.Client, url: str, *, params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None, retries: int = 2, max_inline_wait: float = 10.0,
        sleep: Callable[[float], None] = time.sleep) -> httpx.Response:
    """GET `url`; return a 2xx/304 response or raise `SourceError` (see module doc)."""
    attempt = 0
    while True:
        attempt += 1
        try:
            resp = client.get(url, params=params, headers=headers)
        except httpx.TimeoutException as exc:
            problem = SourceError(f"time-out bij {url} / timeout at {url} ({type(exc).__name__})")
        except httpx.HTTPError as exc:
            problem = SourceError(f"verbinding met {url} mislukt / connection to {url} failed: {exc}")
        else:
            if resp.status_code == 429:
                wait = retry_after_seconds(resp.headers.get("Retry-After"))
                if wait is not None and wait <= max_inline_wait and attempt <= retries + 1:
                    sleep(wait)
                    continue
                raise SourceError(f"te veel verzoeken (429) bij {url} / rate limited (429)",
                                  retry_after=wait if wait is not None else 60.0)
            if resp.status_code >= 500:
                problem = SourceError(f"serverfout {resp.status_code} bij {url} / "
                                      f"server error {resp.status_code}")
            elif resp.status_code >= 400:
                raise SourceError(f"geweigerd ({resp.status_code}) door {url} / "
                                  f"refused ({resp.status_code})")
            elif len(resp.content) > MAX_BODY:
                raise SourceError(f"antwoord van {url} te groot / answer too large")
            else:
                return resp
        if attempt > retries:
            raise problem
        sleep(min(0.5 * 2 ** (attempt - 1), 5.0))


def get_json(client: httpx.Client, url: str, **kwargs: Any) -> tuple[Any, httpx.Response]:
    """GET and decode JSON; a truncated or non-JSON body raises `SourceError`."""
    resp = get(client, url, **kwargs)
    try:
        return json.loads(resp.content), resp
    except (ValueError, UnicodeDecodeError) as exc:
        raise SourceError(f"onleesbaar antwoord (geen geldige JSON) van {url} / "
                          f"malformed answer (invalid JSON): {exc}") from exc
