"""Retention and deletion: purge expired incidents, delete single messages on request.

`purge_expired` keeps hourly counts (`aggregates`: dimension "all" and
"platform", with n_messages and n_authors) and then DELETES the message rows
of every incident whose retention period has passed (closed_at, else end_at,
plus retention_days). Moments made from official posts stay (the authority's
own public texts; their link to the message becomes NULL). The incident's
theme-model state is deleted too (it may hold example texts).

On SQLite (`secure_delete=ON` in the store) the WAL is checkpointed and
truncated and the file vacuumed afterwards, so no deleted text remains in
`*.db` or `*.db-wal`.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import pandas as pd
from sqlalchemy import Engine

from pipeline import schema as S
from pipeline.ingest.privacy import safe_source_ids, scrub_text
from pipeline.storage import retention as rows
from pipeline.storage import store
from pipeline.storage.retention import CHECKPOINT_WAIT_SECONDS, scrub_sqlite_files, texts_left_in_files

AGGREGATE_DIMENSIONS = ("all", "platform")


# --- purge -----------------------------------------------------------------------------
def _expiry(inc: dict[str, Any]) -> pd.Timestamp | None:
    ref = inc["closed_at"] if inc["closed_at"] is not None else inc["end_at"]
    if ref is None:
        return None
    return ref + timedelta(days=int(inc["retention_days"]))


def expired_incidents(engine: Engine, now: datetime | None = None) -> list[dict[str, Any]]:
    """Return the incidents whose retention period has ended and that are not purged yet."""
    now_ts = pd.Timestamp(now or store.now_utc())
    now_ts = now_ts.tz_localize("UTC") if now_ts.tzinfo is None else now_ts.tz_convert("UTC")
    out = []
    for inc in rows.unpurged_incidents(engine):
        expiry = _expiry(inc)
        if expiry is not None and expiry < now_ts:
            out.append({**inc, "expired_at": expiry})
    return out


def hourly_aggregates(messages: pd.DataFrame) -> pd.DataFrame:
    """Return hourly (bucket, dimension, value, n_messages, n_authors) counts for "all" and "platform"."""
    cols = ["bucket", "dimension", "value", "n_messages", "n_authors"]
    if messages.empty:
        return pd.DataFrame(columns=cols)
    base = messages.assign(bucket=pd.to_datetime(messages[S.CREATED_AT]).dt.floor("h"))
    parts = []
    for dimension in AGGREGATE_DIMENSIONS:
        value = "all" if dimension == "all" else base[S.PLATFORM]
        parts.append(
            base.assign(dimension=dimension, value=value)
            .groupby(["bucket", "dimension", "value"], as_index=False)
            .agg(n_messages=(S.PLATFORM, "size"), n_authors=(S.AUTHOR, "nunique"))
        )
    return pd.concat(parts, ignore_index=True)[cols]


def _purge_one(engine: Engine, inc: dict[str, Any], actor: str) -> dict[str, Any]:
    iid = inc["id"]
    with engine.begin() as conn:
        # a sample of the longest texts, kept in memory only, to check the files afterwards
        sample = rows.longest_texts(conn, iid, min_length=12, limit=VERIFY_SAMPLE)
        aggs = hourly_aggregates(rows.message_counts_frame(conn, iid))
        rows.replace_aggregates(conn, iid, AGGREGATE_DIMENSIONS, aggs)
        deleted = rows.delete_messages(conn, iid)
        store.bump_version(conn, iid, d_messages=-int(deleted))
        rows.drop_theme_state(conn, iid)
        rows.mark_purged(conn, iid)
        summary = {"incident_id": iid, "name": inc["name"], "expired_at": str(inc["expired_at"]),
                   "messages_deleted": int(deleted), "aggregate_rows": len(aggs)}
        store.write_audit(conn, actor=actor, action="purge", obj=f"incident:{iid}",
                          reason="retention_ended", details=summary)
    return {**summary, "_sample": [t[:200] for t in sample]}


VERIFY_SAMPLE = 50  # texts per purged incident looked for in the files afterwards


def purge_expired(engine: Engine | None = None, *, now: datetime | None = None, actor: str = "cli",
                  dry_run: bool = False,
                  wait_seconds: float = CHECKPOINT_WAIT_SECONDS) -> list[dict[str, Any]]:
    """Aggregate, then delete the messages of every expired incident; return one summary per incident.

    Afterwards (SQLite) the WAL is checkpointed, the file vacuumed and up to `VERIFY_SAMPLE`
    of each incident's longest texts are looked for in the files: every summary gets
    `files_scrubbed` (checkpoint complete) and `texts_left` (sample texts still found);
    a purge is only complete when both say so (`purge_complete`).
    """
    engine = engine or store.get_engine()
    todo = expired_incidents(engine, now)
    if dry_run:
        return [{"incident_id": i["id"], "name": i["name"], "expired_at": str(i["expired_at"]),
                 "dry_run": True} for i in todo]
    summaries = [_purge_one(engine, inc, actor) for inc in todo]
    if summaries:
        complete = scrub_sqlite_files(engine, wait_seconds=wait_seconds)
        summaries = [{**{k: v for k, v in s.items() if k != "_sample"}, "files_scrubbed": complete,
                      "texts_left": texts_left_in_files(engine, s["_sample"])} for s in summaries]
        if not all(purge_complete(s) for s in summaries):
            store.audit(engine, actor=actor, action="purge", outcome="incomplete",
                        reason="files_not_scrubbed",
                        details={"incident_ids": [s["incident_id"] for s in summaries],
                                 "texts_left": sum(s["texts_left"] for s in summaries)})
    return summaries


def purge_complete(summary: dict[str, Any]) -> bool:
    """Return True when the purge of this incident left no deleted text in the database files."""
    return bool(summary.get("files_scrubbed", True)) and not summary.get("texts_left", 0)


# --- delete on request ---------------------------------------------------------------------
def source_ids_from_url(url: str) -> tuple[str | None, list[str]]:
    """Return (platform, candidate source ids) for a post URL (X/Twitter, Facebook, Reddit, ...)."""
    parsed = urlparse(url.strip() if "://" in url else "https://" + url.strip())
    host = (parsed.hostname or "").lower().removeprefix("www.").removeprefix("m.").removeprefix("mobile.")
    parts = [p for p in parsed.path.split("/") if p]
    query = parse_qs(parsed.query)
    if host in {"x.com", "twitter.com"}:
        if "status" in parts and parts.index("status") + 1 < len(parts):
            return "twitter", [parts[parts.index("status") + 1]]
        return "twitter", []
    if host in {"facebook.com", "fb.com", "web.facebook.com"}:
        ids = list(query.get("story_fbid", [])) + list(query.get("fbid", []))
        for marker in ("posts", "videos", "photos", "permalink"):
            if marker in parts and parts.index(marker) + 1 < len(parts):
                ids.append(parts[parts.index(marker) + 1])
        return "facebook", ids
    if host.endswith("reddit.com"):
        if "comments" in parts:
            rest = parts[parts.index("comments") + 1:]
            ids = [rest[2]] if len(rest) >= 3 else ([rest[0]] if rest else [])
            return "reddit", [v for i in ids for v in (i, f"t1_{i}", f"t3_{i}")]
        return "reddit", []
    if host in {"instagram.com"} and len(parts) >= 2 and parts[0] in {"p", "reel"}:
        return "instagram", [parts[1]]
    if host in {"youtube.com", "youtu.be"}:
        ids = query.get("v", []) or (parts[:1] if host == "youtu.be" else [])
        return "youtube", list(ids)
    if host.endswith("tiktok.com") and "video" in parts and parts.index("video") + 1 < len(parts):
        return "tiktok", [parts[parts.index("video") + 1]]
    last = re.findall(r"\d{6,}", parsed.path)
    return None, last[-1:]


def delete_messages(engine: Engine | None, incident: str | int, *, source_id: str | None = None,
                    url: str | None = None, actor: str, reason: str, role: str = "") -> int:
    """Delete the messages of an incident with this source id (or the id in this URL); return how many.

    `role`: the actor's role, for the audit entry.
    """
    if (source_id is None) == (url is None):
        raise ValueError("geef --source-id of --url (precies één) / give exactly one of source_id or url")
    if not reason or not reason.strip():
        raise ValueError("een reden is verplicht / a reason is required")
    engine = engine or store.get_engine()
    inc = store.find_incident(engine, incident)
    if inc is None:
        raise ValueError(f"incident '{incident}' bestaat niet / does not exist")
    platforms = None
    if url is not None:
        platform, ids = source_ids_from_url(url)
        if not ids:
            raise ValueError("geen bericht-id gevonden in de URL / no message id found in the URL")
        if platform:
            platforms = [platform, "onbekend"]
    else:
        raw_id = str(source_id).strip()
        # ids are stored as privacy.safe_source_ids made them (a permalink: its post number)
        ids = list(dict.fromkeys([raw_id, safe_source_ids(pd.Series([raw_id]))[0]]))
        platform = None
    with engine.begin() as conn:
        n = rows.delete_messages(conn, inc["id"], source_ids=ids, platforms=platforms)
        if n:  # cached analyses are keyed on the data version: they cannot survive this
            store.bump_version(conn, inc["id"], d_messages=-int(n))
        if n:  # the theme state keeps texts of not-yet-themed messages: rebuilt from what is left
            rows.drop_theme_state(conn, inc["id"])
        # The URL itself may name the author: only the platform and id go into the log.
        store.write_audit(conn, actor=actor, role=role, action="delete", obj=f"incident:{inc['id']}",
                          outcome="ok" if n else "not_found", reason=_safe_reason(reason),
                          details={"platform": platform or "", "deleted": int(n),
                                   "source_ids": sorted(set(safe_source_ids(pd.Series(ids, dtype=object)))),
                                   "by": "url" if url is not None else "source_id"})
    scrub_sqlite_files(engine, vacuum=False)
    return int(n)


def _safe_reason(reason: str) -> str:
    """Return the typed reason for the audit log, scrubbed (no handle, address, phone, link), capped."""
    return scrub_text(pd.Series([" ".join(reason.split())]))[0][:200]



BLOCKED = ("Een andere verbinding (dashboard, export, sqlite3) hield een leestransactie open, waardoor "
           "de bestanden niet konden worden opgeschoond. Sluit die en voer `python -m pipeline purge` "
           "opnieuw uit. / Another connection (dashboard, export, sqlite3) held a read transaction, so "
           "the files could not be cleaned. Close it and run `python -m pipeline purge` again.")


