"""Public facts read from the store and the public summaries afterwards (`public_summaries`).

The rules (what is public, k, who may write and approve, four eyes, what is audited) live in
`pipeline.governance.publish`; these functions only read and write rows. Functions taking
`conn` run inside the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.engine import Connection, Row

from pipeline import schema as S
from pipeline.storage import store
from pipeline.storage.store import aggregates, approvals, messages, public_summaries, to_db_time


def platforms(engine: Engine, incident_id: int) -> set[str]:
    """Return the platforms (lower-case) in the incident's messages and in its kept hourly counts."""
    m, a = messages.c, aggregates.c
    with engine.connect() as conn:
        found = {str(r[0]).lower() for r in conn.execute(
            select(m[S.PLATFORM]).where(m.incident_id == incident_id).distinct())}
        found |= {str(r[0]).lower() for r in conn.execute(
            select(a.value).where(a.incident_id == incident_id, a.dimension == "platform").distinct())}
    return found


def insert_summary(conn: Connection, *, incident_id: int, author: str, status: str, **texts: str) -> int:
    """Insert a summary (learned, changed, learned_en, changed_en) and return its id."""
    result = conn.execute(insert(public_summaries).values(
        incident_id=int(incident_id), author=author, created_at=to_db_time(store.now_utc()), status=status,
        **texts))
    return int(result.inserted_primary_key[0])


def set_approval(engine: Engine, summary_id: int, approval_id: int) -> None:
    """Link a summary to its four-eyes request."""
    with engine.begin() as conn:
        conn.execute(update(public_summaries).where(public_summaries.c.id == summary_id)
                     .values(approval_id=approval_id))


def get(engine: Engine, summary_id: int) -> Row | None:
    """Return one summary's row, or None."""
    with engine.connect() as conn:
        return conn.execute(select(public_summaries).where(public_summaries.c.id == int(summary_id))).first()


def set_decision(conn: Connection, summary_id: int, *, status: str, decided_by: str,
                 published_at: datetime | None) -> None:
    """Record the outcome of a summary's four-eyes decision (inside the caller's transaction)."""
    conn.execute(update(public_summaries).where(public_summaries.c.id == int(summary_id)).values(
        status=status, decided_by=decided_by, published_at=to_db_time(published_at)))


def frame(engine: Engine, incident_id: int | None = None) -> pd.DataFrame:
    """Return the summaries (of one incident) newest first, with their request's status/decider/time.

    Extra columns: approval_status, approval_by, approval_at (naive UTC, as stored).
    """
    c, a = public_summaries.c, approvals.c
    stmt = (select(public_summaries, a.status.label("approval_status"),
                   a.decided_by.label("approval_by"), a.decided_at.label("approval_at"))
            .outerjoin(approvals, a.id == c.approval_id))
    if incident_id is not None:
        stmt = stmt.where(c.incident_id == int(incident_id))
    with engine.connect() as conn:
        result = conn.execute(stmt.order_by(c.created_at.desc(), c.id.desc()))
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))
