"""Sources per incident: configuration, cursor and health in the store (`collect_sources`).

* `add_source` / `remove_source` are audited (`source.add` / `source.remove`) and
  refuse a closed incident and any credential in the configuration (a source names
  the environment variable holding its token: `token_env`).
* `store_batch(ctx, source, rows, cursor)` writes one batch through
  `pipeline.ingest.load.ingest_frame` and, inside that same transaction, the new cursor
  and the health counters. Rows posted before the incident's start or after its
  end are dropped first (purpose binding).
* `record_success` / `record_failure` keep the health: last attempt, last success,
  last error, consecutive failures, the backoff time (`next_try_at`), the median
  lag posted -> stored of the last batch and the messages stored per minute of the
  last hour.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from pipeline.config import REPO_ROOT
from pipeline.governance.policy import check_incident_accepts_data
from pipeline.ingest.collect import KINDS
from pipeline.ingest.load import ingest_frame
from pipeline.storage import sources as source_rows
from pipeline.storage import store

# required and optional configuration keys per kind
REQUIRED = {"inbox": ("folder",), "mastodon": ("instance", "hashtag"), "bluesky": ("query",),
            "rss": ("url",)}
OPTIONAL = {"inbox": ("settle_seconds",), "mastodon": ("languages", "limit", "streaming"),
            "bluesky": ("lang", "appview", "limit"), "rss": ("own_channel",)}
COMMON = ("interval", "token_env")
SECRET_WORDS = ("token", "password", "secret", "wachtwoord", "apikey", "api_key", "bearer")
DEFAULT_INTERVAL = {"inbox": 5.0, "mastodon": 5.0, "bluesky": 10.0, "rss": 60.0}
MAX_BACKOFF = 300.0
BASE_BACKOFF = 5.0


@dataclass
class Source:
    """One configured source of an incident."""

    id: int
    incident_id: int
    kind: str
    label: str
    config: dict[str, Any]
    cursor: dict[str, Any]
    active: bool = True
    health: dict[str, Any] = field(default_factory=dict)

    @property
    def interval(self) -> float:
        """Seconds between two collections of this source."""
        return float(self.config.get("interval") or DEFAULT_INTERVAL[self.kind])

    @property
    def batch_name(self) -> str:
        """The `filename` of this source's ingest batches and audit entries."""
        return f"collect:{self.id}"


@dataclass
class Context:
    """What a connector needs for one pass: store, HTTP client, incident, clock."""

    engine: Engine
    incident: dict[str, Any]
    client: Any = None
    sleep: Any = None
    now: pd.Timestamp = field(default_factory=lambda: pd.Timestamp.now(tz="UTC"))
    actor: str = "collector"
    max_pages: int = 50
    notes: list[str] = field(default_factory=list)  # problems to show in the health (not failures)


# --- configuration -------------------------------------------------------------------------------
def check_config(kind: str, config: dict[str, Any]) -> dict[str, Any]:
    """Return a cleaned configuration or raise ValueError (Dutch / English)."""
    if kind not in KINDS:
        raise ValueError(f"onbekende soort bron '{kind}' (kies {', '.join(KINDS)}) / unknown kind")
    clean = {k: v for k, v in config.items() if v not in (None, "", [])}
    for key in clean:
        low = key.lower()
        if low != "token_env" and any(w in low for w in SECRET_WORDS):
            raise ValueError(f"'{key}': geen inloggegevens in de database; zet het token in een "
                             "omgevingsvariabele of .streamlit/secrets.toml en geef token_env / no "
                             "credentials in the database; name an environment variable (token_env)")
        if key not in REQUIRED[kind] + OPTIONAL[kind] + COMMON:
            raise ValueError(f"'{key}' hoort niet bij een {kind}-bron / is not a {kind} option")
    missing = [k for k in REQUIRED[kind] if k not in clean]
    if missing:
        raise ValueError(f"{kind}-bron mist {', '.join(missing)} / {kind} source needs "
                         f"{', '.join(missing)}")
    for key in ("instance", "appview", "url"):
        if key in clean and not str(clean[key]).startswith(("http://", "https://")):
            raise ValueError(f"{key} moet met http(s):// beginnen / {key} must start with http(s)://")
    if "hashtag" in clean:
        clean["hashtag"] = str(clean["hashtag"]).lstrip("#").strip()
    if "interval" in clean:
        clean["interval"] = float(clean["interval"])
        if clean["interval"] <= 0:
            raise ValueError("interval moet > 0 zijn / interval must be > 0")
    return clean


def default_label(kind: str, config: dict[str, Any]) -> str:
    """Return a readable name for a source ("mastodon #brand @ mastodon.social")."""
    if kind == "mastodon":
        host = str(config["instance"]).split("://", 1)[-1].rstrip("/")
        return f"mastodon #{config['hashtag']} @ {host}"
    if kind == "bluesky":
        return f"bluesky '{config['query']}'"
    if kind == "rss":
        return ("eigen kanaal " if config.get("own_channel") else "feed ") + str(config["url"])
    return f"inbox {config['folder']}"


def add_source(engine: Engine, incident: str | int, kind: str, config: dict[str, Any], *,
               actor: str, label: str = "") -> int:
    """Add a source to an open incident (audited); return its id."""
    inc = store.find_incident(engine, incident)
    check_incident_accepts_data(inc)
    clean = check_config(kind, config)
    label = (label or default_label(kind, clean)).strip()[:200]
    with engine.begin() as conn:
        sid = source_rows.insert_source(conn, incident_id=inc["id"], kind=kind, label=label, config=clean,
                                        created_by=actor)
        store.write_audit(conn, actor=actor, action="source.add", obj=f"incident:{inc['id']}",
                          details={"source": sid, "kind": kind, "label": label, "config": clean})
    return sid


def remove_source(engine: Engine, source_id: int, *, actor: str, reason: str = "") -> None:
    """Stop collecting a source (kept for the record; audited)."""
    with engine.begin() as conn:
        row = source_rows.row(conn, source_id)
        if row is None or not row.active:
            raise ValueError(f"bron {source_id} bestaat niet of is al verwijderd / source "
                             f"{source_id} does not exist or was removed")
        source_rows.deactivate(conn, source_id)
        store.write_audit(conn, actor=actor, action="source.remove", obj=f"incident:{row.incident_id}",
                          reason=reason, details={"source": source_id, "kind": row.kind,
                                                  "label": row.label})


def _source(row) -> Source:
    d = dict(row._mapping)
    health = {k: d[k] for k in ("last_attempt_at", "last_success_at", "last_error", "last_error_at",
                                "failures", "next_try_at", "lag_seconds", "n_collected",
                                "recent_counts", "created_at", "removed_at")}
    for k in ("last_attempt_at", "last_success_at", "last_error_at", "next_try_at", "created_at",
              "removed_at"):
        health[k] = store.from_db_time(health[k])
    return Source(id=d["id"], incident_id=d["incident_id"], kind=d["kind"], label=d["label"],
                  config=json.loads(d["config"] or "{}"), cursor=json.loads(d["cursor"] or "{}"),
                  active=bool(d["active"]), health=health)


def list_sources(engine: Engine, incident_id: int | None = None, *,
                 include_removed: bool = False) -> list[Source]:
    """Return the sources (of one incident), oldest first."""
    return [_source(r) for r in source_rows.rows(engine, incident_id, include_removed=include_removed)]


def get_source(engine: Engine, source_id: int) -> Source | None:
    """Return one source by id, or None."""
    row = source_rows.get(engine, source_id)
    return _source(row) if row else None


def token_for(source: Source, secrets_file: Path | None = None) -> str | None:
    """Return the source's token from the environment or `.streamlit/secrets.toml` [collect]."""
    name = source.config.get("token_env")
    if not name:
        return None
    if os.environ.get(name):
        return os.environ[name]
    path = secrets_file or REPO_ROOT / ".streamlit" / "secrets.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    value = data.get("collect", {}).get(name) or data.get(name)
    return str(value) if value else None


# --- health ------------------------------------------------------------------------------------
def _recent(old: str, now: pd.Timestamp, added: int) -> str:
    """Return the per-minute counts of the last hour with `added` counted at `now`."""
    cutoff = now - pd.Timedelta(hours=1)
    minute = now.floor("min").isoformat()
    counts = [c for c in json.loads(old or "[]") if pd.Timestamp(c[0]) >= cutoff]
    if added:
        if counts and counts[-1][0] == minute:
            counts[-1][1] += added
        else:
            counts.append([minute, added])
    return json.dumps(counts)


def messages_last_hour(source: Source, now: pd.Timestamp | None = None) -> int:
    """Return how many messages this source stored in the hour before `now`."""
    now = now or pd.Timestamp.now(tz="UTC")
    cutoff = now - pd.Timedelta(hours=1)
    return int(sum(n for t, n in json.loads(source.health.get("recent_counts") or "[]")
                   if pd.Timestamp(t) >= cutoff))


def success_values(source_id: int, conn, now: pd.Timestamp, added: int,
                   lag: float | None) -> dict[str, Any]:
    """Return the health columns of a source after a successful batch (counts per minute, lag)."""
    old = source_rows.counts(conn, source_id)
    values = {"last_attempt_at": store.to_db_time(now), "last_success_at": store.to_db_time(now),
              "failures": 0, "next_try_at": None, "last_error": "",
              "recent_counts": _recent(old.recent_counts, now, added),
              "n_collected": int(old.n_collected or 0) + int(added)}
    if lag is not None:
        values["lag_seconds"] = lag
    return values


def save_cursor(engine: Engine, source: Source, cursor: dict[str, Any]) -> None:
    """Store a cursor that advanced without new messages (an empty page, a 304)."""
    source_rows.save(engine, source.id, cursor=json.dumps(cursor, sort_keys=True))
    source.cursor = cursor


def record_success(engine: Engine, source: Source, now: pd.Timestamp | None = None) -> None:
    """Mark a pass of the source as successful (health), without new messages."""
    now = now or pd.Timestamp.now(tz="UTC")
    with engine.begin() as conn:
        source_rows.update_source(conn, source.id, **success_values(source.id, conn, now, 0, None))


def record_failure(engine: Engine, source: Source, error: str, *, retry_after: float | None = None,
                   now: pd.Timestamp | None = None) -> float:
    """Record a failed pass; return the seconds until the next try (backoff)."""
    now = now or pd.Timestamp.now(tz="UTC")

    def wait_for(failures: int) -> float:
        if retry_after is not None:
            return retry_after
        return min(BASE_BACKOFF * 2 ** (failures - 1), MAX_BACKOFF)

    return source_rows.add_failure(engine, source.id, error, now, wait_for)


def record_note(engine: Engine, source: Source, note: str, now: pd.Timestamp | None = None) -> None:
    """Record a problem that is not the source's fault (a rejected inbox file, end date passed)."""
    now = now or pd.Timestamp.now(tz="UTC")
    source_rows.save(engine, source.id, last_attempt_at=store.to_db_time(now), last_error=str(note)[:2000],
                     last_error_at=store.to_db_time(now))


# --- writing a batch ------------------------------------------------------------------------------
FRAME_COLUMNS = ("id", "created_at", "text", "author", "platform", "url", "is_reply", "is_repost")


FUTURE_SLACK = pd.Timedelta(days=1)  # a post "from the future" (a wrong clock) is not plausible


def in_window(rows: list[dict[str, Any]], incident: dict[str, Any],
              now: pd.Timestamp | None = None) -> list[dict[str, Any]]:
    """Return the rows with text posted in the incident's period (start .. end, at most now + 1 day)."""
    start = incident.get("start_at")
    latest = (now or pd.Timestamp.now(tz="UTC")) + FUTURE_SLACK
    end = incident.get("end_at")
    end = latest if end is None else min(pd.Timestamp(end), latest)
    out = []
    for r in rows:
        if not str(r.get("text") or "").strip():
            continue
        t = pd.Timestamp(r["created_at"])
        t = t.tz_localize("UTC") if t.tzinfo is None else t.tz_convert("UTC")
        if start is not None and t < start:
            continue
        if end is not None and t > end:
            continue
        out.append(r)
    return out


def store_batch(ctx: Context, source: Source, rows: list[dict[str, Any]], cursor: dict[str, Any] | None,
                *, officials: pd.DataFrame | None = None) -> int:
    """Store `rows` and advance the cursor in one transaction; return the messages added.

    `cursor` None leaves the cursor alone (Mastodon streaming: the polled timeline
    stays the source of truth; what streaming stored is skipped there as a duplicate).
    """
    rows = in_window(rows, ctx.incident)
    if not rows:
        if cursor is not None:
            save_cursor(ctx.engine, source, cursor)
        return 0
    frame = pd.DataFrame([{c: r.get(c, "") for c in FRAME_COLUMNS} for r in rows],
                         columns=list(FRAME_COLUMNS))
    now = pd.Timestamp.now(tz="UTC")
    created = pd.to_datetime(frame["created_at"], utc=True, format="ISO8601")
    lag = float((now - created).dt.total_seconds().median())
    moved = {} if cursor is None else {"cursor": json.dumps(cursor, sort_keys=True)}

    def advance(conn, batch_id: int, added: int) -> None:
        health = success_values(source.id, conn, now, added, lag)
        source_rows.update_source(conn, source.id, **moved, **health)

    result = ingest_frame(frame, ctx.incident["id"], engine=ctx.engine, actor=ctx.actor,
                          source=source.batch_name, officials=officials, tz="UTC",
                          before_commit=advance)
    if cursor is not None:
        source.cursor = cursor
    return result.added


def health_frame(engine: Engine, incident_id: int, now: pd.Timestamp | None = None) -> pd.DataFrame:
    """Return one row of health per source of the incident (also removed ones), for the views."""
    now = now or pd.Timestamp.now(tz="UTC")
    rows = []
    for s in list_sources(engine, incident_id, include_removed=True):
        h = s.health
        rows.append({"id": s.id, "kind": s.kind, "label": s.label, "active": s.active,
                     "last_success_at": h["last_success_at"],
                     "messages_last_hour": messages_last_hour(s, now),
                     "lag_seconds": h["lag_seconds"], "last_error": h["last_error"] or "",
                     "last_error_at": h["last_error_at"], "failures": h["failures"],
                     "next_try_at": h["next_try_at"], "n_collected": h["n_collected"],
                     "removed_at": h["removed_at"]})
    return pd.DataFrame(rows, columns=["id", "kind", "label", "active", "last_success_at",
                                       "messages_last_hour", "lag_seconds", "last_error",
                                       "last_error_at", "failures", "next_try_at", "n_collected",
                                       "removed_at"])


def collected_summary(engine: Engine, incident_id: int, start: pd.Timestamp,
                      end: pd.Timestamp) -> tuple[list[str], list[str]]:
    """Return (labels collected successfully in [start, end], labels that were not)."""
    health = health_frame(engine, incident_id, end)
    if health.empty:
        return [], []
    ok, not_ok = [], []
    for r in health.itertuples(index=False):
        success = r.last_success_at
        alive = success is not None and not pd.isna(success) and success >= start
        if r.removed_at is not None and not pd.isna(r.removed_at) and r.removed_at < start:
            continue
        # notes (a rejected inbox file, streaming refused) are not failures: the source was collected
        (ok if alive and not r.failures else not_ok).append(r.label)
    return ok, not_ok


def due(source: Source, now: pd.Timestamp) -> bool:
    """Return True when the source should be collected now (interval passed, no backoff)."""
    h = source.health
    nxt = h.get("next_try_at")
    if nxt is not None and not pd.isna(nxt) and nxt > now:
        return False
    last = h.get("last_attempt_at")
    if last is None or pd.isna(last):
        return True
    return (now - last) >= timedelta(seconds=source.interval) or (nxt is not None and not pd.isna(nxt))
