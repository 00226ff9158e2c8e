"""Accounts: the `users` table and the login-failure count read from the audit log.

The rules (username form, roles, password policy and hashing, lock-out, what is audited)
live in `pipeline.governance.auth`; these functions only read and write rows. Functions
taking `conn` run inside the caller's transaction, so a check, its write and its audit
entry stay one unit of work.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.engine import Connection, Row

from pipeline.storage import store  # store.now_utc: the one clock (tests set it)
from pipeline.storage.store import audit_log, to_db_time, users


def find(conn: Connection, username: str) -> Row | None:
    """Return the row of `username` (already normalised: stripped, lower-case), or None."""
    return conn.execute(select(users).where(func.lower(users.c.username) == username)).first()


def get(engine: Engine, username: str) -> Row | None:
    """Return the row of `username` (normalised), active or not, or None."""
    with engine.connect() as conn:
        return find(conn, username)


def count(engine: Engine, *, active_only: bool = True) -> int:
    """Return the number of (active) users."""
    stmt = select(func.count()).select_from(users)
    if active_only:
        stmt = stmt.where(users.c.active.is_(True))
    with engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


def insert_user(conn: Connection, *, username: str, display_name: str, role: str,
                password_hash: str | None) -> int:
    """Insert an active user and return its id (inside the caller's transaction)."""
    result = conn.execute(insert(users).values(
        username=username, display_name=display_name, role=role, password_hash=password_hash,
        active=True, created_at=to_db_time(store.now_utc())))
    return int(result.inserted_primary_key[0])


def update_user(conn: Connection, user_id: int, values: dict[str, Any]) -> None:
    """Change columns of one user (inside the caller's transaction)."""
    conn.execute(update(users).where(users.c.id == user_id).values(**values))


def list_frame(engine: Engine) -> pd.DataFrame:
    """Return all users (username, display name, role, active, local password yes/no, created); no hashes."""
    u = users.c
    stmt = select(u.id, u.username, u.display_name, u.role, u.active,
                  u.password_hash.is_not(None).label("local_password"), u.created_at).order_by(u.username)
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def failed_logins(conn: Connection, username: str, since: datetime) -> int:
    """Return the denied `auth.login` audit entries of `username` since `since` (aware UTC)."""
    a = audit_log.c
    return int(conn.execute(select(func.count()).select_from(audit_log).where(
        a.action == "auth.login", a.outcome == "denied", a.actor == username,
        a.at >= to_db_time(since))).scalar_one())


def login_state(engine: Engine, username: str, since: datetime) -> tuple[Row | None, int]:
    """Return (the user's row or None, its failed logins since `since`), read together."""
    with engine.connect() as conn:
        return find(conn, username), failed_logins(conn, username, since)


def count_active(conn: Connection, role: str) -> int:
    """Return the number of active users with `role` (inside the caller's transaction)."""
    return int(conn.execute(select(func.count()).select_from(users).where(
        users.c.active.is_(True), users.c.role == role)).scalar_one())


def active_per_role(engine: Engine) -> dict[str, int]:
    """Return the number of active users per role (roles without users are left out)."""
    stmt = (select(users.c.role, func.count().label("n")).where(users.c.active.is_(True))
            .group_by(users.c.role))
    with engine.connect() as conn:
        return {str(r): int(n) for r, n in conn.execute(stmt)}
