"""Reads of the hash-chained audit log for reports.

Writing, verifying and the newest-first listing stay in `store` (`write_audit`, `verify_audit`,
`load_audit`).
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, func, select

from pipeline.storage.store import audit_log, to_db_time

REPORT_COLUMNS = ("id", "at", "actor", "role", "action", "outcome", "details", "hash")


def count_entries(engine: Engine) -> int:
    """Return the number of entries in the whole audit log."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(audit_log)).scalar_one())


def entries_between(engine: Engine, start: datetime, end: datetime) -> pd.DataFrame:
    """Return the entries (`REPORT_COLUMNS`, `at` naive UTC) written in [start, end) (aware UTC), by id."""
    al = audit_log.c
    stmt = (select(*(al[c] for c in REPORT_COLUMNS))
            .where(al.at >= to_db_time(start), al.at < to_db_time(end)).order_by(al.id))
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))
