"""Four-eyes requests: the `approvals` table.

The rules (which actions need a second person, who may request and decide, no
self-approval, what is audited) live in `pipeline.governance.policy`; these functions
only read and write rows. Functions taking `conn` run inside the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, and_, func, insert, select, update
from sqlalchemy.engine import Connection, Row

from pipeline.storage import store  # store.now_utc: the one clock (tests set it)
from pipeline.storage.store import approvals, to_db_time


def insert_request(conn: Connection, *, action: str, obj: str, incident_id: int | None, requested_by: str,
                   reason: str, status: str) -> int:
    """Insert a request and return its id (inside the caller's transaction)."""
    result = conn.execute(insert(approvals).values(
        action=action, object=obj, incident_id=incident_id, requested_by=requested_by,
        requested_at=to_db_time(store.now_utc()), reason=reason, status=status))
    return int(result.inserted_primary_key[0])


def get(engine: Engine, approval_id: int) -> Row | None:
    """Return one request's row, or None."""
    with engine.connect() as conn:
        return conn.execute(select(approvals).where(approvals.c.id == approval_id)).first()


def set_decision(conn: Connection, approval_id: int, *, only_if: str, status: str, decided_by: str,
                 note: str) -> bool:
    """Record a decision when the request still has status `only_if`; return whether it did."""
    done = conn.execute(update(approvals).where(
        and_(approvals.c.id == approval_id, approvals.c.status == only_if)
    ).values(status=status, decided_by=decided_by, decided_at=to_db_time(store.now_utc()),
             decision_note=note))
    return done.rowcount == 1


def frame(engine: Engine, status: str | None = None) -> pd.DataFrame:
    """Return the requests (all, or with `status`), oldest first, times aware UTC."""
    stmt = select(approvals)
    if status is not None:
        stmt = stmt.where(approvals.c.status == status)
    with engine.connect() as conn:
        result = conn.execute(stmt.order_by(approvals.c.requested_at, approvals.c.id))
        df = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    for col in ("requested_at", "decided_at"):
        df[col] = pd.to_datetime(df[col]).dt.tz_localize("UTC")
    return df


def is_approved(engine: Engine, action: str, obj: str, approved: str) -> bool:
    """Return True when a request for (`action`, `obj`) has status `approved`, decided by another person."""
    a = approvals.c
    stmt = select(func.count()).select_from(approvals).where(
        a.action == action, a.object == obj, a.status == approved, a.decided_by.is_not(None),
        func.lower(a.decided_by) != func.lower(a.requested_by))
    with engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one()) > 0


def requested_between(engine: Engine, start: datetime, end: datetime) -> pd.DataFrame:
    """Return (action, status) of the requests made in [start, end) (aware UTC)."""
    a = approvals.c
    stmt = select(a.action, a.status).where(a.requested_at >= to_db_time(start),
                                            a.requested_at < to_db_time(end))
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))
