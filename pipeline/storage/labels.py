"""Label corrections (`label_corrections`) and the active category model's version (`meta_info`).

The rules (valid codes, what a correction is, readiness, training, what is audited) live in
`pipeline.model.labels`; these functions only read and write rows. Functions taking `conn`
run inside the caller's transaction, so a correction, the data version and its audit entry
commit together.
"""

from __future__ import annotations

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.engine import Connection, Row

from pipeline.storage import store  # store.now_utc: the one clock (tests set it)
from pipeline.storage.store import label_corrections, messages, meta_info, to_db_time


def insert_correction(conn: Connection, message_id: int, categories: str, actor: str) -> int:
    """Insert one correction (the full ';'-joined label set of a message); return its id."""
    result = conn.execute(insert(label_corrections).values(
        message_id=int(message_id), categories=categories, actor=actor,
        created_at=to_db_time(store.now_utc())))
    return int(result.inserted_primary_key[0])


def incident_of_message(conn: Connection, message_id: int) -> int | None:
    """Return the incident a stored message belongs to, or None."""
    return conn.execute(select(messages.c.incident_id).where(messages.c.id == int(message_id))).scalar()


def latest_corrections(engine: Engine, incident_id: int) -> list[Row]:
    """Return (message_id, categories, actor, created_at) of the latest correction per message, by id."""
    lc, msgs = label_corrections, messages
    latest = (select(lc.c.message_id, func.max(lc.c.id).label("id"))
              .join(msgs, msgs.c.id == lc.c.message_id)
              .where(msgs.c.incident_id == incident_id)
              .group_by(lc.c.message_id).subquery())
    stmt = (select(lc.c.message_id, lc.c.categories, lc.c.actor, lc.c.created_at)
            .join(latest, latest.c.id == lc.c.id).order_by(lc.c.id))
    with engine.connect() as conn:
        return list(conn.execute(stmt).fetchall())


def write_meta(conn: Connection, key: str, value: str) -> None:
    """Write one `meta_info` row (replacing it) inside the caller's transaction."""
    conn.execute(delete(meta_info).where(meta_info.c.key == key))
    conn.execute(insert(meta_info).values(key=key, value=value))


def read_meta(engine: Engine, key: str) -> str | None:
    """Return one `meta_info` value, or None when the row is missing."""
    with engine.connect() as conn:
        row = conn.execute(select(meta_info.c.value).where(meta_info.c.key == key)).first()
    return row.value if row else None
