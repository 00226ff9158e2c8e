"""Report snapshots and CoPI advice: their reads and writes (SQL for views/report and views/timeline).

A snapshot is a versioned copy of a generated report's figures (JSON). Writing one and its audit
entry is one transaction; so is marking one released (the permission check is governance's job,
`governance/release.py`, before it calls `mark_released`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

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


def snapshot_object(incident_id: int, version: int) -> str:
    """Return the audit/approval object name of a report snapshot."""
    return f"report:{incident_id}:v{version}"


def add_snapshot(engine: Engine, incident_id: int, *, figures: str, picture_at_db: Any, window_minutes: int,
                 advice: str, author: str, role: str, action: str, details: dict[str, Any]) -> int:
    """Store `figures` (JSON) as the next snapshot version with its audit entry; return the version.

    The version number and the row are written in one transaction; two writers racing for the
    same number retry (the unique key rejects the loser), at most three times.
    """
    snap = store.snapshots.c
    for _attempt in range(3):
        try:
            with engine.begin() as conn:
                last = conn.execute(select(func.coalesce(func.max(snap.version), 0))
                                    .where(snap.incident_id == incident_id)).scalar_one()
                version = int(last) + 1
                conn.execute(insert(store.snapshots).values(
                    incident_id=incident_id, version=version, picture_at=picture_at_db,
                    window_minutes=int(window_minutes), figures=figures, advice=advice, author=author,
                    created_at=store.to_db_time(store.now_utc()), released=False))
                store.write_audit(conn, actor=author, role=role, action=action,
                                  obj=snapshot_object(incident_id, version),
                                  details={"incident_id": incident_id, "version": version, **details})
            return version
        except IntegrityError:
            continue
    raise RuntimeError("kon geen versienummer krijgen / could not obtain a version number")


LOG_COLUMNS = ["version", "picture_at", "window_minutes", "author", "created_at", "released"]


def snapshot_log(engine: Engine, incident_id: int) -> pd.DataFrame:
    """Return the snapshot log of an incident, newest first, without the figures (`LOG_COLUMNS`)."""
    snap = store.snapshots.c
    stmt = (select(*(snap[c] for c in LOG_COLUMNS)).where(snap.incident_id == incident_id)
            .order_by(snap.version.desc()))
    with engine.connect() as conn:
        rows = conn.execute(stmt).fetchall()
    df = pd.DataFrame(rows, columns=LOG_COLUMNS)
    for col in ("picture_at", "created_at"):
        df[col] = pd.to_datetime(df[col]).dt.tz_localize("UTC")
    return df.astype({"version": "int64", "window_minutes": "int64", "released": bool})


def snapshot_figures(engine: Engine, incident_id: int, version: int) -> tuple[str, bool] | None:
    """Return (figures JSON, released) of one snapshot, or None when it does not exist."""
    snap = store.snapshots.c
    with engine.connect() as conn:
        row = conn.execute(select(snap.figures, snap.released).where(
            snap.incident_id == incident_id, snap.version == version)).first()
    return None if row is None else (row.figures, bool(row.released))


def mark_released(engine: Engine, incident_id: int, version: int, *, actor: str, role: str,
                  action: str) -> None:
    """Mark a snapshot released and audit it in one transaction (KeyError when it does not exist)."""
    with engine.begin() as conn:
        done = conn.execute(update(store.snapshots).where(
            store.snapshots.c.incident_id == incident_id, store.snapshots.c.version == version
        ).values(released=True))
        if done.rowcount != 1:
            raise KeyError(f"snapshot {version} of incident {incident_id} not found")
        store.write_audit(conn, actor=actor, role=role, action=action,
                          obj=snapshot_object(incident_id, version),
                          details={"incident_id": incident_id, "version": version})
