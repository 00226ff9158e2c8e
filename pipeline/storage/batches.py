"""Import batches and the id look-ups an import needs (SQL for ingest/load.py).

All functions take the caller's `Connection`: an import is ONE transaction (conflict check,
batch row, messages, moments, audit), so nothing here opens its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from pipeline import schema as S
from pipeline.storage import store


def incident_has_messages(conn: Connection, incident_id: int) -> bool:
    """Return whether the incident holds any stored message yet."""
    m = store.messages.c
    first = conn.execute(select(m[S.SOURCE_ID]).where(m.incident_id == incident_id).limit(1)).first()
    return first is not None


def stored_texts(conn: Connection, incident_id: int, platform: str,
                 source_ids: Sequence[str]) -> dict[str, str]:
    """Return source id -> stored text for those of `source_ids` stored on `platform` in the incident."""
    m = store.messages.c
    return dict(conn.execute(
        select(m[S.SOURCE_ID], m[S.TEXT]).where(
            m.incident_id == incident_id, m[S.PLATFORM] == platform,
            m[S.SOURCE_ID].in_(list(source_ids)))).all())


def open_batch(conn: Connection, incident_id: int, *, filename: str, sha256: str, rows: int,
               actor: str) -> int:
    """Insert the batch row of one import (added=0 until `close_batch`) and return its id."""
    return int(conn.execute(insert(store.batches).values(
        incident_id=incident_id, filename=filename[:500], sha256=sha256, rows=rows, added=0,
        created_by=actor, created_at=store.to_db_time(store.now_utc()))).inserted_primary_key[0])


def close_batch(conn: Connection, batch_id: int, added: int, *, rows: int | None = None,
                sha256: str | None = None) -> None:
    """Record how many messages the batch added (a streamed import: also its rows and checksum)."""
    values: dict[str, object] = {"added": added}
    if rows is not None:
        values["rows"] = rows
    if sha256 is not None:
        values["sha256"] = sha256
    conn.execute(update(store.batches).where(store.batches.c.id == batch_id).values(**values))
