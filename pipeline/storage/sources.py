"""Live sources per incident (`collect_sources`): configuration, cursor and health rows.

The rules (valid configuration, no credentials, purpose binding, backoff, what is audited)
live in `pipeline.ingest.collect.sources`; these functions only read and write rows.
Functions taking `conn` run inside the caller's transaction, so a batch of messages, its
cursor and its health commit together.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.engine import Connection, Row

from pipeline.storage import store
from pipeline.storage.store import collect_sources as table
from pipeline.storage.store import to_db_time


def insert_source(conn: Connection, *, incident_id: int, kind: str, label: str, config: dict[str, Any],
                  created_by: str) -> int:
    """Insert an active source with an empty cursor; return its id."""
    return int(conn.execute(insert(table).values(
        incident_id=incident_id, kind=kind, label=label, config=json.dumps(config, sort_keys=True),
        cursor="{}", active=True, created_by=created_by,
        created_at=to_db_time(store.now_utc()))).inserted_primary_key[0])


def row(conn: Connection, source_id: int) -> Row | None:
    """Return one source's row, or None."""
    return conn.execute(select(table).where(table.c.id == source_id)).first()


def deactivate(conn: Connection, source_id: int) -> None:
    """Mark a source as stopped now (the row stays for the record)."""
    conn.execute(update(table).where(table.c.id == source_id).values(
        active=False, removed_at=to_db_time(store.now_utc())))


def rows(engine: Engine, incident_id: int | None = None, *, include_removed: bool = False) -> list[Row]:
    """Return the source rows (of one incident), oldest first."""
    stmt = select(table).order_by(table.c.id)
    if incident_id is not None:
        stmt = stmt.where(table.c.incident_id == incident_id)
    if not include_removed:
        stmt = stmt.where(table.c.active.is_(True))
    with engine.connect() as conn:
        return list(conn.execute(stmt))


def get(engine: Engine, source_id: int) -> Row | None:
    """Return one source's row by id, or None."""
    with engine.connect() as conn:
        return row(conn, source_id)


def update_source(conn: Connection, source_id: int, **values: Any) -> None:
    """Change columns of one source (cursor, health) inside the caller's transaction."""
    conn.execute(update(table).where(table.c.id == source_id).values(**values))


def save(engine: Engine, source_id: int, **values: Any) -> None:
    """Change columns of one source in a transaction of its own."""
    with engine.begin() as conn:
        update_source(conn, source_id, **values)


def counts(conn: Connection, source_id: int) -> Row:
    """Return (recent_counts, n_collected) of a source: what a successful batch adds to."""
    return conn.execute(select(table.c.recent_counts, table.c.n_collected)
                        .where(table.c.id == source_id)).one()


def add_failure(engine: Engine, source_id: int, error: str, now: datetime, wait_for) -> float:
    """Count one more consecutive failure and set the backoff `wait_for(failures)` seconds; return it."""
    with engine.begin() as conn:
        failures = int(conn.execute(select(table.c.failures).where(table.c.id == source_id))
                       .scalar_one() or 0) + 1
        wait = float(wait_for(failures))
        update_source(conn, source_id, last_attempt_at=to_db_time(now), last_error=str(error)[:2000],
                      last_error_at=to_db_time(now), failures=failures,
                      next_try_at=to_db_time(pd.Timestamp(now) + pd.Timedelta(seconds=wait)))
    return wait
