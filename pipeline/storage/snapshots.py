"""Reads and writes of the CoPI report snapshots and the CoPI advice (SQL for views/timeline)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import insert, select

from pipeline.storage import store

SNAPSHOT_COLUMNS = ["version", "picture_at", "created_at", "author", "released", "advice",
                    "window_minutes"]


def _as_utc(df: pd.DataFrame, columns) -> pd.DataFrame:
    for col in columns:
        df[col] = pd.to_datetime(df[col]).dt.tz_localize("UTC") if len(df) else pd.Series(
            dtype="datetime64[ns, UTC]")
    return df


def load_snapshots(engine, incident_id: int, until_db: Any = None) -> pd.DataFrame:
    """Snapshots of an incident (created by `until_db`, a database time), oldest first."""
    tbl = store.snapshots
    stmt = (select(*[tbl.c[c] for c in SNAPSHOT_COLUMNS]).where(tbl.c.incident_id == incident_id)
            .order_by(tbl.c.created_at, tbl.c.version))
    if until_db is not None:
        stmt = stmt.where(tbl.c.created_at <= until_db)
    with engine.connect() as conn:
        df = pd.DataFrame(conn.execute(stmt).fetchall(), columns=SNAPSHOT_COLUMNS)
    return _as_utc(df, ("picture_at", "created_at"))


def add_advice(engine, incident_id: int, text: str, *, author: str, created_db: Any) -> None:
    """Append one advice row and its audit entry in one transaction."""
    with engine.begin() as conn:
        conn.execute(insert(store.copi_advice).values(incident_id=incident_id, text=text,
                                                      author=author, created_at=created_db))
        store.write_audit(conn, actor=author, action="copi.advice", obj=f"incident:{incident_id}",
                          details={"chars": len(text)})


def load_advice(engine, incident_id: int, until_db: Any = None) -> pd.DataFrame:
    """Advice history of an incident (created_at, author, text), oldest first."""
    table = store.copi_advice
    stmt = (select(table.c.created_at, table.c.author, table.c.text)
            .where(table.c.incident_id == incident_id)
            .order_by(table.c.created_at, table.c.id))
    if until_db is not None:
        stmt = stmt.where(table.c.created_at <= until_db)
    with engine.connect() as conn:
        df = pd.DataFrame(conn.execute(stmt).fetchall(), columns=["created_at", "author", "text"])
    return _as_utc(df, ("created_at",))
