"""Rows and files that retention and deletion touch: messages, hourly aggregates, theme state, SQLite files.

The rules (when an incident expires, what is kept as hourly counts, what a deletion on request
matches, what is audited) live in `pipeline.governance.retention`; these functions only read,
write and delete. Functions taking `conn` run inside the caller's transaction, so a purge
(aggregates, deletion, data version, purged mark, audit entry) stays one unit of work.
"""

from __future__ import annotations

import mmap
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from pipeline import schema as S
from pipeline.storage import store

CHECKPOINT_WAIT_SECONDS = 10.0


# --- SQLite files ------------------------------------------------------------------------------
def scrub_sqlite_files(engine: Engine, *, vacuum: bool = True,
                       wait_seconds: float = CHECKPOINT_WAIT_SECONDS) -> bool:
    """Checkpoint and truncate the WAL (and VACUUM) so deleted bytes leave the files; True if complete.

    False when another connection's read transaction kept the checkpoint from finishing
    (its snapshot still needs the old pages): deleted text may then still be in the files.
    """
    if engine.dialect.name != "sqlite":
        return True
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"PRAGMA busy_timeout={int(wait_seconds * 1000)}")
        try:
            busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
            if vacuum:
                conn.exec_driver_sql("VACUUM")
                busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
        except OperationalError:  # "database is locked": a reader or writer held on
            return False
        finally:
            conn.exec_driver_sql("PRAGMA busy_timeout=30000")
    return busy is None or int(busy[0]) == 0


def sqlite_files(engine: Engine) -> list[Path]:
    """Return the existing files of a SQLite store (database, -wal, -shm); [] for other databases."""
    if engine.dialect.name != "sqlite" or not engine.url.database or engine.url.database == ":memory:":
        return []
    db = Path(engine.url.database)
    return [p for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists()]


def texts_left_in_files(engine: Engine, texts: list[str]) -> int:
    """Return how many of `texts` still occur (as UTF-8 bytes) in the store's files."""
    needles = [t.encode("utf-8") for t in texts if t]
    left = set()
    for path in sqlite_files(engine):
        if path.stat().st_size == 0:
            continue
        with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
            left.update(i for i, n in enumerate(needles) if i not in left and data.find(n) != -1)
    return len(left)


# --- incidents and messages ----------------------------------------------------------------------
def unpurged_incidents(engine: Engine) -> list[dict[str, Any]]:
    """Return every incident not purged yet (dicts as `store.get_incident` gives them)."""
    with engine.connect() as conn:
        rows = conn.execute(select(store.incidents).where(store.incidents.c.purged_at.is_(None))).fetchall()
    return [store._incident_dict(row) for row in rows]


def kept_total(engine: Engine, incident_id: int) -> int:
    """Return the message total of the incident's kept hourly counts (dimension "all"; 0 when none)."""
    a = store.aggregates.c
    with engine.connect() as conn:
        rows = conn.execute(select(a.n_messages).where(a.incident_id == incident_id,
                                                       a.dimension == "all")).fetchall()
    return int(sum(int(r[0]) for r in rows))


def longest_texts(conn: Connection, incident_id: int, *, min_length: int, limit: int) -> list[str]:
    """Return up to `limit` of the incident's longest texts (at least `min_length` characters)."""
    m = store.messages
    return [r[0] for r in conn.execute(
        select(m.c[S.TEXT]).where(m.c.incident_id == incident_id, func.length(m.c[S.TEXT]) >= min_length)
        .order_by(func.length(m.c[S.TEXT]).desc()).limit(limit))]


def message_counts_frame(conn: Connection, incident_id: int) -> pd.DataFrame:
    """Return (CREATED_AT, PLATFORM, AUTHOR) of every message of the incident: what hourly counts need."""
    m = store.messages
    result = conn.execute(select(m.c[S.CREATED_AT], m.c[S.PLATFORM], m.c[S.AUTHOR])
                          .where(m.c.incident_id == incident_id))
    return pd.DataFrame(result.fetchall(), columns=[S.CREATED_AT, S.PLATFORM, S.AUTHOR])


def replace_aggregates(conn: Connection, incident_id: int, dimensions: Sequence[str],
                       frame: pd.DataFrame) -> None:
    """Replace the incident's `aggregates` rows of `dimensions` by `frame` (bucket, dimension, value, n_*)."""
    a = store.aggregates
    conn.execute(delete(a).where(a.c.incident_id == incident_id, a.c.dimension.in_(list(dimensions))))
    if not frame.empty:
        conn.execute(insert(a), [
            {"incident_id": incident_id, "bucket": pd.Timestamp(r.bucket).to_pydatetime(),
             "dimension": r.dimension, "value": str(r.value)[:100],
             "n_messages": int(r.n_messages), "n_authors": int(r.n_authors)}
            for r in frame.itertuples(index=False)])


def delete_messages(conn: Connection, incident_id: int, *, source_ids: Iterable[str] | None = None,
                    platforms: Iterable[str] | None = None) -> int:
    """Delete the incident's messages (all, or those with these source ids / platforms); return how many."""
    m = store.messages
    where = [m.c.incident_id == incident_id]
    if source_ids is not None:
        where.append(m.c[S.SOURCE_ID].in_(list(source_ids)))
    if platforms is not None:
        where.append(m.c[S.PLATFORM].in_(list(platforms)))
    return int(conn.execute(delete(m).where(*where)).rowcount)


def drop_theme_state(conn: Connection, incident_id: int) -> None:
    """Delete the incident's stored theme-model state (it may hold example texts)."""
    conn.execute(delete(store.theme_models).where(store.theme_models.c.incident_id == incident_id))
    conn.execute(delete(store.theme_idf).where(store.theme_idf.c.incident_id == incident_id))


def mark_purged(conn: Connection, incident_id: int) -> None:
    """Record that the incident's messages were purged now."""
    conn.execute(update(store.incidents).where(store.incidents.c.id == incident_id)
                 .values(purged_at=store.to_db_time(store.now_utc())))
