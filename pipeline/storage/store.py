"""The store: SQLAlchemy 2 Core over SQLite (default) or PostgreSQL (by URL).

Tables: incidents, messages, moments (the authority's own communication),
audit_log (hash-chained, append-only), aggregates (what stays after a purge),
theme_models (per-incident theme state, JSON), users, approvals, snapshots and
public_summaries (the four-eyes-approved public "what we learned" per incident).

SQLite is opened with WAL, `synchronous=FULL`, foreign keys on and
`secure_delete=ON`, so deleted text is overwritten in the file. Timestamps are
stored as naive UTC and returned timezone-aware (UTC).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import types
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

import numpy as np
import orjson
import pandas as pd
import pyarrow as pa
from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    create_engine,
    event,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy import text as sql_text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from pipeline import schema as S
from pipeline.config import get_settings
from pipeline.storage.keys import (
    PSEUDONYM_SCHEME,
    incident_pseudonyms,
    load_or_create_key,
    make_private,
    make_private_dirs,
)

SCHEMA_VERSION = 1

metadata = MetaData()

incidents = Table(
    "incidents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("description", Text, nullable=False, default=""),
    Column("purpose", Text, nullable=False),
    Column("legal_basis", Text, nullable=False),
    Column("responsible_officer", String(200), nullable=False),
    Column("keywords", JSON, nullable=False, default=list),
    Column("sources", JSON, nullable=False, default=list),
    Column("start_at", DateTime, nullable=False),
    Column("end_at", DateTime, nullable=True),  # planned end of monitoring
    Column("closed_at", DateTime, nullable=True),  # when a beheerder closed it
    Column("retention_days", Integer, nullable=False, default=90),
    Column("purged_at", DateTime, nullable=True),
    Column("is_demo", Boolean, nullable=False, default=False),
    Column("created_by", String(200), nullable=False, default="system"),
    Column("created_at", DateTime, nullable=False),
)

messages = Table(
    "messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
    Column(S.PLATFORM, String(40), nullable=False),
    Column(S.SOURCE_ID, String(200), nullable=False),
    Column(S.CREATED_AT, DateTime, nullable=False),
    Column(S.TEXT, Text, nullable=True),  # NULL after purge
    Column(S.AUTHOR, String(100), nullable=True),  # pseudonym; NULL after purge
    Column(S.IS_OFFICIAL, Boolean, nullable=False, default=False),
    Column(S.OFFICIAL_KIND, String(20), nullable=False, default=""),
    Column(S.URL_DOMAIN, String(200), nullable=False, default=""),
    Column(S.IS_REPLY, Boolean, nullable=False, default=False),
    Column(S.IS_REPOST, Boolean, nullable=False, default=False),
    Column(S.TIME_FLAG, String(20), nullable=False, default=""),
    Column(S.INGESTED_AT, DateTime, nullable=False),
    Column("batch_id", Integer, nullable=True),
    UniqueConstraint("incident_id", S.PLATFORM, S.SOURCE_ID, name="uq_message_source"),
    Index("ix_messages_incident_time", "incident_id", S.CREATED_AT),
    # id-range reads (live updates, count up to an id, the newest id): revision 0002
    Index("ix_messages_incident_id", "incident_id", "id"),
    # authority posts -> communication moments after every ingest batch: revision 0002; only the
    # official rows since revision 0005 (most messages are the public's: an entry each cost 10 % of
    # a 1M import's inserts). A query uses it when it says `official_kind != ''` itself.
    Index("ix_messages_incident_official", "incident_id", S.OFFICIAL_KIND,
          sqlite_where=sql_text("official_kind != ''"), postgresql_where=sql_text("official_kind != ''")),
)

moments = Table(
    "moments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
    Column(S.MOMENT_TIME, DateTime, nullable=False),
    Column(S.MOMENT_CHANNEL, String(40), nullable=False),
    Column(S.MOMENT_TEXT, Text, nullable=False),
    Column(S.MOMENT_ORIGIN, String(20), nullable=False),
    Column("message_id", Integer, ForeignKey("messages.id", ondelete="SET NULL"), nullable=True),
    Column("created_by", String(200), nullable=False, default="system"),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("incident_id", "message_id", name="uq_moment_message"),
)

batches = Table(
    "ingest_batches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
    Column("filename", String(500), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("added", Integer, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("role", String(40), nullable=False, default=""),
    Column("action", String(60), nullable=False),
    Column("object", String(500), nullable=False, default=""),
    Column("outcome", String(20), nullable=False, default="ok"),
    Column("reason", Text, nullable=False, default=""),
    Column("details", Text, nullable=False, default="{}"),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

aggregates = Table(
    "aggregates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
    Column("bucket", DateTime, nullable=False),  # hour start, UTC
    Column("dimension", String(40), nullable=False),  # platform / language / category / all
    Column("value", String(100), nullable=False),
    Column("n_messages", BigInteger, nullable=False),
    Column("n_authors", BigInteger, nullable=False),
)

theme_models = Table(
    "theme_models",
    metadata,
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
    Column("state", Text, nullable=False),
    Column("n_messages", Integer, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

# The theme model's idf, set when the themes are fitted, in its own row (revision 0004): a live
# update rewrites only the theme state (`write_theme_state`), not this ~2 MB.
theme_idf = Table(
    "theme_idf",
    metadata,
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
    Column("idf_key", String(64), nullable=False),
    Column("idf", Text, nullable=False),
)

# The analysis each message got when it arrived (issue 15): a restart or a replay time reads these
# columns instead of re-analysing. Deleting a message deletes its analysis (foreign key, cascade);
# `model_version` says which category model produced the row (re-analysis is explicit, incremental).
message_analysis = Table(
    "message_analysis",
    metadata,
    Column("message_id", Integer, ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
    Column(S.CLEAN_TEXT, Text, nullable=False),
    Column(S.TERMS, Text, nullable=False),  # terms joined by TERM_SEP
    Column(S.LANGUAGE, String(16), nullable=False),
    Column(S.RELEVANCE, Float, nullable=False),
    Column(S.RELEVANT, Boolean, nullable=False),
    Column(S.RELEVANCE_KNOWN, Boolean, nullable=False),
    Column(S.CATEGORIES, String(400), nullable=False),  # codes joined by ";"
    Column(S.ISB, String(40), nullable=False),
    Column(S.SENTIMENT, Float, nullable=False),
    Column(S.THEME, Integer, nullable=False),
    Column("model_version", String(80), nullable=False),
    Index("ix_message_analysis_incident", "incident_id", "message_id"),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(200), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False, default=""),
    Column("role", String(40), nullable=False),
    Column("password_hash", String(200), nullable=True),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime, nullable=False),
)

approvals = Table(
    "approvals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("action", String(60), nullable=False),  # e.g. export.raw_text, report.release
    Column("object", String(500), nullable=False),
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), nullable=True),
    Column("requested_by", String(200), nullable=False),
    Column("requested_at", DateTime, nullable=False),
    Column("reason", Text, nullable=False),
    Column("status", String(20), nullable=False, default="pending"),  # pending/approved/rejected
    Column("decided_by", String(200), nullable=True),
    Column("decided_at", DateTime, nullable=True),
    Column("decision_note", Text, nullable=True),
)

snapshots = Table(
    "snapshots",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("picture_at", DateTime, nullable=False),  # the time of the picture ("stand")
    Column("window_minutes", Integer, nullable=False),
    Column("figures", Text, nullable=False),  # JSON of the report's figures (aggregate only)
    Column("advice", Text, nullable=False, default=""),
    Column("author", String(200), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("released", Boolean, nullable=False, default=False),
    UniqueConstraint("incident_id", "version", name="uq_snapshot_version"),
)

copi_advice = Table(
    "copi_advice",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("text", Text, nullable=False),  # the analyst's advice for the CoPI (append-only history)
    Column("author", String(200), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

public_summaries = Table(  # "Achteraf: door deze tool konden we ..." (pipeline/governance/publish.py)
    "public_summaries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("learned", Text, nullable=False),  # what we learned (public text, Dutch)
    Column("changed", Text, nullable=False, default=""),  # what we changed in our communication
    Column("learned_en", Text, nullable=False, default=""),  # optional English version
    Column("changed_en", Text, nullable=False, default=""),
    Column("author", String(200), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("status", String(20), nullable=False, default="pending"),  # pending/published/rejected
    Column("approval_id", Integer, ForeignKey("approvals.id", ondelete="SET NULL"), nullable=True),
    Column("decided_by", String(200), nullable=True),
    Column("published_at", DateTime, nullable=True),
)

meta_info = Table(
    "meta_info",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", String(500), nullable=False),
)

# The cheap data version (issue 15): one row per incident, updated INSIDE every transaction that
# changes the incident's messages, moments or label corrections (`bump_version`), so pages can ask
# "did anything change?" every few seconds with one primary-key read instead of COUNT + MAX.
incident_state = Table(
    "incident_state",
    metadata,
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
    Column("version", BigInteger, nullable=False, default=0),  # +1 per changing transaction
    Column("last_message_id", BigInteger, nullable=False, default=0),  # max message id (0: none)
    Column("n_messages", BigInteger, nullable=False, default=0),
    Column("n_moments", BigInteger, nullable=False, default=0),
    Column("updated_at", DateTime, nullable=False),
)

label_corrections = Table(
    "label_corrections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("message_id", Integer, ForeignKey("messages.id", ondelete="CASCADE"), nullable=False),
    Column("categories", String(200), nullable=False),  # ';'-separated codes
    Column("actor", String(200), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("score", Float, nullable=True),
)

# --- live collection (pipeline/collect): sources per incident, cursor and health ------------
# Configuration holds no credentials (tokens come from the environment or secrets.toml).
# The cursor advances in the same transaction as the batch it belongs to (see collect.sources).
collect_sources = Table(
    "collect_sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("kind", String(20), nullable=False),  # inbox / mastodon / bluesky / rss
    Column("label", String(200), nullable=False),
    Column("config", Text, nullable=False, default="{}"),  # JSON, no secrets
    Column("cursor", Text, nullable=False, default="{}"),  # JSON, connector-specific
    Column("active", Boolean, nullable=False, default=True),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("removed_at", DateTime, nullable=True),
    # health
    Column("last_attempt_at", DateTime, nullable=True),
    Column("last_success_at", DateTime, nullable=True),
    Column("last_error", Text, nullable=False, default=""),
    Column("last_error_at", DateTime, nullable=True),
    Column("failures", Integer, nullable=False, default=0),  # consecutive
    Column("next_try_at", DateTime, nullable=True),  # backoff
    Column("lag_seconds", Float, nullable=True),  # median posted -> stored, last batch
    Column("n_collected", BigInteger, nullable=False, default=0),
    Column("recent_counts", Text, nullable=False, default="[]"),  # [[iso minute, added], ...] last hour
)


# --- time helpers ----------------------------------------------------------
def now_utc() -> datetime:
    """Return the current time, timezone-aware UTC."""
    return datetime.now(UTC)


def to_db_time(value: datetime | pd.Timestamp | None) -> datetime | None:
    """Return a naive-UTC datetime for storage (aware input converted to UTC)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    ts = pd.Timestamp(value)
    if ts.tzinfo is None:
        raise ValueError("naive datetime given; the store only accepts timezone-aware times")
    return ts.tz_convert("UTC").tz_localize(None).to_pydatetime()


def from_db_time(value: datetime | None) -> pd.Timestamp | None:
    """Return a timezone-aware UTC timestamp from a stored naive-UTC value."""
    if value is None:
        return None
    return pd.Timestamp(value).tz_localize("UTC")


# --- engine ----------------------------------------------------------------
_ENGINES: dict[str, Engine] = {}
_LOCK = threading.Lock()


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # We issue BEGIN ourselves (see _sqlite_begin), so the driver must not.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA secure_delete=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _sqlite_begin(conn) -> None:
    """Start SQLite transactions: IMMEDIATE for `engine.begin()` blocks, DEFERRED for reads.

    A deferred transaction that reads and then writes fails at once with "database is
    locked" when another process committed in between (WAL snapshot); busy_timeout cannot
    help there. Write blocks therefore take the write lock up front and wait their turn.
    """
    if conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        return
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("lp_write") else "BEGIN")


@contextlib.contextmanager
def _write_begin(engine: Engine):
    """`engine.begin()` for SQLite: a transaction that holds the write lock from its start."""
    with engine.connect() as conn:
        conn.info["lp_write"] = True
        try:
            with conn.begin():
                yield conn
        finally:
            conn.info.pop("lp_write", None)


def get_engine(url: str | None = None) -> Engine:
    """Return a (cached) engine for `url` (default: settings), schema created."""
    url = url or get_settings().db_url
    with _LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            engine = _make_engine(url)
            _ENGINES[url] = engine
    return engine


def _private_sqlite_files(path: str) -> None:
    """Create the database file with mode 0600 (its folder 0700 when we create it); tighten existing files.

    SQLite creates the -wal and -shm files with the mode of the database file, so they are 0600 too.
    """
    db = Path(path)
    make_private_dirs(db.parent)
    if not db.exists():
        os.close(os.open(db, os.O_WRONLY | os.O_CREAT, 0o600))
    for suffix in ("", "-wal", "-shm", "-journal"):
        make_private(Path(f"{db}{suffix}"))


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            _private_sqlite_files(path)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        engine.begin = types.MethodType(_write_begin, engine)  # write blocks: BEGIN IMMEDIATE
    else:
        engine = create_engine(url, pool_pre_ping=True)
    migrate(engine)
    return engine


def dispose_engines() -> None:
    """Close all cached engines (tests, purge checkpoints)."""
    with _LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()


MIGRATIONS = Path(__file__).with_name("migrations")
BASELINE_REVISION = "0001"  # the schema before Alembic (SCHEMA_VERSION 1)


def _alembic_config(conn: Connection):
    cfg = AlembicConfig()  # no alembic.ini: everything is set here
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


@functools.cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory(str(MIGRATIONS))


def schema_revision(engine: Engine) -> str | None:
    """Return the Alembic revision the database is at (None: not under Alembic yet)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine) -> None:
    """Bring the database to the current schema, offline and idempotent, in ONE transaction.

    * an empty database: `create_all`, stamped at Alembic's head;
    * a database of the code before Alembic (tables, no `alembic_version`; meta_info
      schema_version 1): stamped at the baseline revision, then upgraded;
    * otherwise `alembic upgrade head`.
    Afterwards tables that exist only in `metadata` (a new table needs no revision, see
    docs/ARCHITECTURE.md "Schema changes") are created, and old pseudonyms re-keyed.
    """
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # one migrator at a time (SQLite: BEGIN IMMEDIATE)
            conn.execute(sql_text("SELECT pg_advisory_xact_lock(7154015)"))
        context = MigrationContext.configure(conn)
        if not inspect(conn).has_table("incidents"):
            metadata.create_all(conn)
            context.stamp(_scripts(), "head")
        else:
            current = context.get_current_revision()
            if current is None:
                context.stamp(_scripts(), BASELINE_REVISION)
            if current != _scripts().get_current_head():  # only then load env.py and the revisions
                command.upgrade(_alembic_config(conn), "head")
            metadata.create_all(conn)  # new tables without a revision
        row = conn.execute(select(meta_info.c.value).where(meta_info.c.key == "schema_version")).first()
        if row is None:
            conn.execute(insert(meta_info).values(key="schema_version", value=str(SCHEMA_VERSION)))
    rekey_pseudonyms_per_incident(engine)


def rekey_pseudonyms_per_incident(engine: Engine) -> int:
    """Migrate stored authors from one master-key pseudonym to one pseudonym per incident; return rows.

    Data stored before incident keys carry `p_` + HMAC(master key, handle): the same in every
    incident. Without the raw handles (never stored) they are re-keyed as
    HMAC(incident key, old pseudonym), the same formula new imports use, in one transaction,
    and the scheme is recorded in meta_info so it happens once. See docs/PRIVACY.md.
    """
    key_row = meta_info.c.key == "pseudonym_scheme"
    with engine.begin() as conn:
        if conn.execute(select(meta_info.c.value).where(key_row)).first() is not None:
            return 0
        m = messages.c
        rows = conn.execute(select(m.id, m.incident_id, m[S.AUTHOR]).where(
            m[S.IS_OFFICIAL].is_(False), m[S.AUTHOR].is_not(None))).fetchall()
        changed = 0
        if rows:
            master = _master_key()
            frame = pd.DataFrame(rows, columns=["id", "incident_id", "author"])
            updates = []
            for incident_id, part in frame.groupby("incident_id"):
                new = incident_pseudonyms(part["author"], master, int(incident_id))
                updates += [{"row_id": int(i), "new_author": a}
                            for i, a, old in zip(part["id"], new, part["author"], strict=True) if a != old]
            if updates:
                conn.execute(update(messages).where(m.id == bindparam("row_id"))
                             .values({S.AUTHOR: bindparam("new_author")}), updates)
            changed = len(updates)
            for incident_id in {int(i) for i in frame["incident_id"]}:
                bump_version(conn, incident_id)
            write_audit(conn, actor="system", action="migrate.pseudonyms", obj="messages",
                        details={"scheme": PSEUDONYM_SCHEME, "rows": changed})
        conn.execute(insert(meta_info).values(key="pseudonym_scheme", value=PSEUDONYM_SCHEME))
    return changed


# --- incidents ---------------------------------------------------------------
def check_incident_fields(*, name: str, purpose: str, legal_basis: str, responsible_officer: str,
                          retention_days: int) -> None:
    """Raise ValueError (Dutch / English) for an empty required field or a retention below 1 day."""
    for field, veld, value in (("purpose", "doel", purpose), ("legal_basis", "grondslag", legal_basis),
                               ("responsible_officer", "verantwoordelijke", responsible_officer),
                               ("name", "naam", name)):
        if not str(value).strip():
            raise ValueError(f"{veld} van het incident is verplicht / incident {field} is required")
    check_retention_days(retention_days)


def check_retention_days(retention_days: int) -> None:
    """Raise ValueError (Dutch / English) for a retention period below 1 day (or not an int)."""
    if not isinstance(retention_days, int) or isinstance(retention_days, bool) or retention_days < 1:
        raise ValueError(f"bewaartermijn moet minstens 1 dag zijn, niet {retention_days!r} / "
                         f"retention_days must be at least 1, not {retention_days!r}")


def create_incident(
    engine: Engine,
    *,
    name: str,
    purpose: str,
    legal_basis: str,
    responsible_officer: str,
    start_at: datetime,
    end_at: datetime | None = None,
    description: str = "",
    keywords: Iterable[str] = (),
    sources: Iterable[str] = (),
    retention_days: int = 90,
    is_demo: bool = False,
    created_by: str = "system",
    role: str = "",
) -> int:
    """Create an incident and return its id; refuses empty purpose or legal basis.

    `role`: the creator's role, for the audit entry (as every audited action names it).
    """
    check_incident_fields(name=name, purpose=purpose, legal_basis=legal_basis,
                          responsible_officer=responsible_officer, retention_days=retention_days)
    taken = ValueError(f"er bestaat al een incident met de naam '{name.strip()}'; kies een andere naam / "
                       f"an incident named '{name.strip()}' already exists; choose another name")
    with engine.begin() as conn:
        if conn.execute(select(incidents.c.id).where(incidents.c.name == name.strip())).first() is not None:
            raise taken
        try:
            result = conn.execute(
                insert(incidents).values(
                    name=name.strip(), description=description, purpose=purpose,
                    legal_basis=legal_basis, responsible_officer=responsible_officer,
                    keywords=list(keywords), sources=list(sources),
                    start_at=to_db_time(start_at), end_at=to_db_time(end_at),
                    retention_days=retention_days, is_demo=is_demo,
                    created_by=created_by, created_at=to_db_time(now_utc()),
                )
            )
        except IntegrityError as exc:  # another session took the name meanwhile (the unique index)
            raise taken from exc
        incident_id = int(result.inserted_primary_key[0])
        conn.execute(insert(incident_state).values(incident_id=incident_id, version=0, last_message_id=0,
                                                   n_messages=0, n_moments=0,
                                                   updated_at=to_db_time(now_utc())))
        write_audit(conn, actor=created_by, role=role, action="incident.create",
                    obj=f"incident:{incident_id}", details={"name": name})
    return incident_id


def _incident_dict(row) -> dict[str, Any]:
    d = dict(row._mapping)
    for key in ("start_at", "end_at", "closed_at", "purged_at", "created_at"):
        d[key] = from_db_time(d[key])
    return d


# What to do when an incident name is unknown (every CLI error about it names this command).
NEXT_STEP = ("maak het eerst aan / create it first: python -m pipeline incident create --name … "
             "--purpose … --legal-basis … --officer … --start …  (bestaande / existing: "
             "python -m pipeline incident list)")


def get_incident(engine: Engine, ref: int | str) -> dict[str, Any] | None:
    """Return the incident with id or name `ref` as a dict, or None."""
    col = incidents.c.id if isinstance(ref, int) else incidents.c.name
    with engine.connect() as conn:
        row = conn.execute(select(incidents).where(col == ref)).first()
    return _incident_dict(row) if row else None


def find_incident(engine: Engine, ref: int | str) -> dict[str, Any] | None:
    """Return the incident named `ref`, else (a string of digits) the one with that id, or None.

    What a person types on the command line or in a URL: a name, or an id.
    """
    inc = get_incident(engine, ref)
    if inc is None and isinstance(ref, str) and ref.strip().isdigit():
        inc = get_incident(engine, int(ref))
    return inc


def list_incidents(engine: Engine) -> pd.DataFrame:
    """Return all incidents, newest first, with their message counts.

    The counts come from `incident_state` (kept by every writer, `bump_version`): every page
    lists the incidents, and counting a 1M-message incident's rows took ~80 ms each time. An
    incident without a state row is counted once.
    """
    stmt = (
        select(incidents, incident_state.c.n_messages.label("n_messages"))
        .outerjoin(incident_state, incident_state.c.incident_id == incidents.c.id)
        .order_by(incidents.c.start_at.desc(), incidents.c.id.desc())
    )
    with engine.connect() as conn:
        rows = [_incident_dict(r) for r in conn.execute(stmt)]
        for row in rows:
            if row["n_messages"] is None:
                row["n_messages"] = _counted_state(conn, int(row["id"]))[0]
            row["n_messages"] = int(row["n_messages"])
    return pd.DataFrame(rows)


def incident_is_open(incident: dict[str, Any], at: datetime | None = None) -> bool:
    """Return True when the incident accepts data: not closed, not purged."""
    return incident["closed_at"] is None and incident["purged_at"] is None


def close_incident(engine: Engine, incident_id: int, *, actor: str, at: datetime | None = None,
                   role: str = "") -> None:
    """Close an incident: no new data; its retention period starts now."""
    at = at or now_utc()
    with engine.begin() as conn:
        conn.execute(update(incidents).where(incidents.c.id == incident_id)
                     .values(closed_at=to_db_time(at)))
        write_audit(conn, actor=actor, role=role, action="incident.close", obj=f"incident:{incident_id}")


def set_retention(engine: Engine, incident_id: int, retention_days: int, *, actor: str,
                  role: str = "") -> int:
    """Set an incident's retention period (days after closing); return the previous one (audited).

    A purged incident keeps what it had: there is nothing left to keep.
    """
    check_retention_days(retention_days)
    with engine.begin() as conn:
        row = conn.execute(select(incidents.c.retention_days, incidents.c.purged_at)
                           .where(incidents.c.id == incident_id)).first()
        if row is None:
            raise ValueError(f"incident {incident_id} bestaat niet / incident {incident_id} does not exist")
        if row.purged_at is not None:
            raise ValueError("dit incident is al opgeschoond / this incident has been purged already")
        conn.execute(update(incidents).where(incidents.c.id == incident_id)
                     .values(retention_days=retention_days))
        write_audit(conn, actor=actor, role=role, action="incident.retention", obj=f"incident:{incident_id}",
                    details={"from_days": int(row.retention_days), "to_days": int(retention_days)})
    return int(row.retention_days)


# --- messages ----------------------------------------------------------------
STORED_COLUMNS = S.MESSAGE_COLUMNS


def _master_key() -> bytes:
    return load_or_create_key(get_settings().key_file)


def incident_authors(df: pd.DataFrame, incident_id: int, cache: dict[str, str] | None = None, *,
                     master_key: bytes | None = None) -> pd.Series:
    """Re-key the master-key pseudonyms of members of the public with this incident's key.

    An import computes this once per chunk and hands it to `insert_messages(authors=...)`;
    `cache` (kept for one incident over the chunks of one import) makes it one HMAC per
    distinct author of the file.
    """
    authors = df[S.AUTHOR].astype(str)
    public = ~df[S.IS_OFFICIAL].astype(bool)
    if not public.any():
        return authors
    rekeyed = incident_pseudonyms(authors[public], master_key or _master_key(), incident_id, cache)
    return authors.where(~public, rekeyed.reindex(authors.index))


def insert_messages(conn: Connection, incident_id: int, df: pd.DataFrame, *,
                    batch_id: int | None = None, ingested_at: datetime | None = None,
                    chunk_size: int = 5000, authors: pd.Series | None = None) -> int:
    """Insert privacy-scrubbed messages inside the caller's transaction; return rows added.

    Authors arrive as master-key pseudonyms (`ingest.privacy.pseudonymise`) and are stored under
    the incident's own key (`keys.incident_pseudonyms`): no pseudonym links incidents.

    Rows whose (incident, platform, source id) already exist are skipped, so
    importing the same file twice adds nothing. `authors`: `incident_authors(df, incident_id)`
    when the caller already computed it for a larger frame (aligned on `df`'s index).
    """
    missing = [c for c in STORED_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"messages frame lacks columns {missing}")
    if df.empty:
        return 0
    ingested = to_db_time(ingested_at or now_utc())
    authors = incident_authors(df, incident_id) if authors is None else authors.reindex(df.index)
    if conn.dialect.name == "sqlite":  # the driver counts the rows inserted: no COUNT(*) (issue 15)
        added = _sqlite_insert_ignore(conn, incident_id, df, authors, batch_id=batch_id, ingested=ingested)
    else:  # RETURNING gives the rows actually inserted (conflicts return nothing): no COUNT(*)
        created = pd.to_datetime(df[S.CREATED_AT], utc=True).dt.tz_localize(None)
        columns = _column_lists(df, authors)
        columns[S.CREATED_AT] = [ts.to_pydatetime() for ts in created]
        names = list(columns)
        fixed = {"incident_id": incident_id, S.INGESTED_AT: ingested, "batch_id": batch_id}
        records = [dict(zip(names, values, strict=True), **fixed)
                   for values in zip(*columns.values(), strict=True)]
        stmt = _insert_ignore(conn).returning(messages.c.id)
        added = 0
        for start in range(0, len(records), chunk_size):
            added += len(conn.execute(stmt, records[start:start + chunk_size]).all())
    if added:
        bump_version(conn, incident_id, d_messages=added)
    return int(added)


def _column_lists(df: pd.DataFrame, authors: pd.Series) -> dict[str, list]:
    """Return plain Python lists per stored column (much faster than DataFrame.to_dict("records"))."""
    return {
        S.PLATFORM: df[S.PLATFORM].astype(str).tolist(),
        S.SOURCE_ID: df[S.SOURCE_ID].astype(str).tolist(),
        S.CREATED_AT: [],
        S.TEXT: df[S.TEXT].astype(str).tolist(),
        S.AUTHOR: authors.tolist(),
        S.IS_OFFICIAL: df[S.IS_OFFICIAL].astype(bool).tolist(),
        S.OFFICIAL_KIND: df[S.OFFICIAL_KIND].fillna("").astype(str).tolist(),
        S.URL_DOMAIN: df[S.URL_DOMAIN].fillna("").astype(str).tolist(),
        S.IS_REPLY: df[S.IS_REPLY].astype(bool).tolist(),
        S.IS_REPOST: df[S.IS_REPOST].astype(bool).tolist(),
        S.TIME_FLAG: df[S.TIME_FLAG].fillna("").astype(str).tolist(),
    }


_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's own storage format for DateTime on SQLite


def _sqlite_times(values: pd.Series) -> list[str]:
    """Return aware times as SQLAlchemy's SQLite text ("2026-07-11 10:00:00.000000", UTC), vectorised."""
    utc = pd.to_datetime(values, utc=True).dt.tz_localize(None).to_numpy("datetime64[us]")
    codes, uniques = pd.factorize(utc)  # exports repeat times: format each distinct time once
    uniques = np.append(np.asarray(uniques, dtype="datetime64[us]"), np.datetime64("NaT", "us"))
    return np.char.replace(np.datetime_as_string(uniques, unit="us"), "T", " ")[codes].tolist()


_SQLITE_ROWS_PER_INSERT = 200  # rows per multi-row INSERT statement (fewer if the variable limit is lower)


def _sqlite_insert_ignore(conn: Connection, incident_id: int, df: pd.DataFrame, authors: pd.Series, *,
                          batch_id: int | None, ingested: datetime) -> int:
    """Bulk `INSERT OR IGNORE` through the driver, rows as plain parameter lists; return rows added.

    No dict or datetime object per row: columns become lists (times formatted in one
    vectorised step). Rows go in multi-row statements (`VALUES (...), (...), ...`, up to
    `_SQLITE_ROWS_PER_INSERT` rows), in file order, so ids, conflicts and stored values are
    those of one statement per row at a third less cost per row; the rows that do not fill
    a statement use the one-row statement. sqlite3's `rowcount` after `executemany` is the
    number of rows actually inserted (ignored duplicates do not count).
    """
    columns = _column_lists(df, authors)
    columns[S.CREATED_AT] = _sqlite_times(df[S.CREATED_AT])
    # The three values shared by every row are literals of the statement, not bound per row:
    # two ints and our own time format (digits, "-", ":", ".", " "), so nothing to quote.
    fixed = {"incident_id": str(int(incident_id)), S.INGESTED_AT: f"'{ingested.strftime(_SQLITE_TIME)}'",
             "batch_id": "NULL" if batch_id is None else str(int(batch_id))}
    names = [*columns, *fixed]
    width = len(columns)
    row = "(" + ", ".join(["?"] * width + list(fixed.values())) + ")"
    head = f"INSERT OR IGNORE INTO messages ({', '.join(names)}) VALUES "
    n = len(df)
    limit = conn.connection.dbapi_connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = max(1, min(_SQLITE_ROWS_PER_INSERT, limit // width))
    full = n // per * per if per > 1 else 0
    added = 0
    if full:
        flat: list[Any] = [None] * (full * width)  # row-major: row i's values at i*width .. i*width+width-1
        for j, values in enumerate(columns.values()):
            flat[j::width] = values[:full]
        step = per * width
        groups = [tuple(flat[i:i + step]) for i in range(0, len(flat), step)]
        added += int(conn.exec_driver_sql(head + ", ".join([row] * per), groups).rowcount)
    if full < n:
        rest = list(zip(*(values[full:] for values in columns.values()), strict=True))
        added += int(conn.exec_driver_sql(head + row, rest).rowcount)
    return added


def _insert_ignore(conn: Connection):
    dialect = conn.dialect.name
    if dialect == "sqlite":
        dialect_insert = sqlite.insert
    elif dialect == "postgresql":
        dialect_insert = postgresql.insert
    else:  # pragma: no cover - other databases are not supported
        raise RuntimeError(f"unsupported database dialect {dialect}")
    return dialect_insert(messages).on_conflict_do_nothing(
        index_elements=["incident_id", S.PLATFORM, S.SOURCE_ID]
    )


def _read_frame(conn: Connection, stmt) -> pd.DataFrame:
    result = conn.execute(stmt)
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def load_messages(engine: Engine, incident_id: int, *, arrived_by: datetime | None = None,
                  include_purged: bool = False, after_id: int | None = None) -> pd.DataFrame:
    """Return the stored messages of an incident (schema columns, times aware UTC), in time order.

    `after_id` returns only messages stored after that message id (live updates): the query
    reads the (incident, id) index range, so its cost follows the new rows, not the incident.
    """
    cols = [messages.c.id.label(S.MESSAGE_ID)] + [messages.c[c] for c in STORED_COLUMNS] + [
        messages.c[S.INGESTED_AT]]
    stmt = select(*cols).where(messages.c.incident_id == incident_id)
    if not include_purged:
        stmt = stmt.where(messages.c[S.TEXT].is_not(None))
    if arrived_by is not None:
        stmt = stmt.where(messages.c[S.INGESTED_AT] <= to_db_time(arrived_by))
    if after_id is not None:
        # ORDER BY id keeps the planner on the id range; the few new rows are put in time order below
        stmt = stmt.where(messages.c.id > after_id).order_by(messages.c.id)
    else:
        stmt = stmt.order_by(messages.c[S.CREATED_AT], messages.c.id)
    with engine.connect() as conn:
        df = _read_frame(conn, stmt)
    if df.empty:
        df = pd.DataFrame({c.key: pd.Series(dtype=object) for c in cols})
    for col in (S.CREATED_AT, S.INGESTED_AT):
        df[col] = pd.to_datetime(df[col]).dt.tz_localize("UTC")
    for col in (S.IS_OFFICIAL, S.IS_REPLY, S.IS_REPOST):
        df[col] = df[col].astype(bool)
    df[S.MESSAGE_ID] = df[S.MESSAGE_ID].astype("int64")
    if after_id is not None and len(df) > 1:
        df = df.sort_values([S.CREATED_AT, S.MESSAGE_ID], kind="stable").reset_index(drop=True)
    return df


def count_messages(engine: Engine, incident_id: int, *, up_to_id: int | None = None) -> int:
    """Return how many messages of an incident are stored (with id <= `up_to_id` if given).

    Read from the incident's state row minus the messages after `up_to_id` (an index range
    over the newest rows), in ONE statement so both parts see the same snapshot.
    """
    st = incident_state.c
    stmt = select(st.n_messages).where(st.incident_id == incident_id)
    if up_to_id is not None:
        after = (select(func.count()).select_from(messages)
                 .where(messages.c.incident_id == incident_id, messages.c.id > up_to_id).scalar_subquery())
        stmt = select(st.n_messages - after).where(st.incident_id == incident_id)
    with engine.connect() as conn:
        n = conn.execute(stmt).scalar()
        if n is None:  # no state row (should not happen after migrate): count
            full = select(func.count()).select_from(messages).where(messages.c.incident_id == incident_id)
            if up_to_id is not None:
                full = full.where(messages.c.id <= up_to_id)
            n = conn.execute(full).scalar_one()
    return int(n)


class DataVersion(NamedTuple):
    """What `data_version` returns; changes whenever the incident's data changes."""

    n_messages: int
    last_message_id: int
    n_moments: int
    version: int  # +1 per transaction that changed messages, moments or label corrections


def data_version(engine: Engine, incident_id: int) -> DataVersion:
    """Return the incident's data version: ONE primary-key read of `incident_state` (issue 15).

    Pages poll this every few seconds; it used to be COUNT + MAX over the incident.
    """
    st = incident_state.c
    with engine.connect() as conn:
        row = conn.execute(select(st.n_messages, st.last_message_id, st.n_moments, st.version)
                           .where(st.incident_id == incident_id)).first()
        if row is None:  # an incident unknown to the store, or a state row missing: count once
            return DataVersion(*_counted_state(conn, incident_id), 0)
    return DataVersion(int(row[0]), int(row[1]), int(row[2]), int(row[3]))


def _counted_state(conn: Connection, incident_id: int) -> tuple[int, int, int]:
    n, last = conn.execute(select(func.count(), func.coalesce(func.max(messages.c.id), 0))
                           .where(messages.c.incident_id == incident_id)).one()
    n_moments = conn.execute(select(func.count()).select_from(moments)
                             .where(moments.c.incident_id == incident_id)).scalar_one()
    return int(n), int(last), int(n_moments)


def bump_version(conn: Connection, incident_id: int, *, d_messages: int = 0, d_moments: int = 0) -> None:
    """Record a change of an incident's data INSIDE the caller's transaction (commits with it).

    Every writer of messages, moments or label corrections calls this with the rows it
    added (positive) or deleted (negative); `data_version` then changes. The newest message
    id is re-read through the (incident, id) index. A missing state row is rebuilt by
    counting once.
    """
    st = incident_state.c
    last = (select(func.coalesce(func.max(messages.c.id), 0))
            .where(messages.c.incident_id == incident_id).scalar_subquery())
    done = conn.execute(update(incident_state).where(st.incident_id == incident_id).values(
        version=st.version + 1, n_messages=st.n_messages + int(d_messages),
        n_moments=st.n_moments + int(d_moments), last_message_id=last,
        updated_at=to_db_time(now_utc()))).rowcount
    if not done:
        n, last_id, n_moments = _counted_state(conn, incident_id)
        conn.execute(insert(incident_state).values(incident_id=incident_id, version=1,
                                                   last_message_id=last_id, n_messages=n,
                                                   n_moments=n_moments, updated_at=to_db_time(now_utc())))


# --- communication moments ------------------------------------------------------
def add_moment(conn: Connection, incident_id: int, *, time: datetime, channel: str, text: str,
               origin: str = "manual", message_id: int | None = None, created_by: str = "system") -> int:
    """Record one communication moment of the authority; return its id."""
    if channel not in S.CHANNELS:
        raise ValueError(f"unknown channel {channel!r}; choose one of {', '.join(S.CHANNELS)}")
    if not str(text).strip():
        raise ValueError("tekst van het moment is verplicht / moment text is required")
    result = conn.execute(insert(moments).values(
        incident_id=incident_id, time=to_db_time(time), channel=channel, text=text,
        origin=origin, message_id=message_id, created_by=created_by,
        created_at=to_db_time(now_utc()),
    ))
    bump_version(conn, incident_id, d_moments=1)
    return int(result.inserted_primary_key[0])


PLATFORM_CHANNELS = {"twitter": "tweet", "x": "tweet", "nieuwssite": "website", "website": "website"}


def moments_from_official_messages(conn: Connection, incident_id: int) -> int:
    """Create moments for authority posts that have none yet; return how many were added.

    Reads the (incident, official_kind) index of the official rows, so its cost follows the
    authority's posts.
    """
    existing = select(moments.c.message_id).where(
        moments.c.incident_id == incident_id, moments.c.message_id.is_not(None))
    rows = conn.execute(
        select(messages.c.id, messages.c[S.CREATED_AT], messages.c[S.TEXT], messages.c[S.PLATFORM])
        .where(messages.c.incident_id == incident_id,
               messages.c[S.OFFICIAL_KIND] == "authority",
               messages.c[S.OFFICIAL_KIND] != "",  # the partial index's own condition: SQLite uses it
               messages.c[S.IS_REPOST].is_(False),
               messages.c.id.not_in(existing))
        .order_by(messages.c.id)
    ).fetchall()
    if rows:
        created_at = to_db_time(now_utc())
        conn.execute(insert(moments), [
            {"incident_id": incident_id, S.MOMENT_TIME: created,
             S.MOMENT_CHANNEL: PLATFORM_CHANNELS.get(platform, "overig"), S.MOMENT_TEXT: body or "",
             S.MOMENT_ORIGIN: "official_account", "message_id": mid, "created_by": "system",
             "created_at": created_at}
            for mid, created, body, platform in rows])
        bump_version(conn, incident_id, d_moments=len(rows))
    return len(rows)


def load_moments(engine: Engine, incident_id: int) -> pd.DataFrame:
    """Return the communication moments of an incident, in time order."""
    stmt = (select(moments.c.id.label(S.MOMENT_ID), moments.c[S.MOMENT_TIME],
                   moments.c[S.MOMENT_CHANNEL], moments.c[S.MOMENT_TEXT],
                   moments.c[S.MOMENT_ORIGIN], moments.c.created_by)
            .where(moments.c.incident_id == incident_id)
            .order_by(moments.c[S.MOMENT_TIME], moments.c.id))
    with engine.connect() as conn:
        df = _read_frame(conn, stmt)
    if df.empty:
        df = pd.DataFrame(columns=[S.MOMENT_ID, S.MOMENT_TIME, S.MOMENT_CHANNEL, S.MOMENT_TEXT,
                                   S.MOMENT_ORIGIN, "created_by"])
    df[S.MOMENT_TIME] = pd.to_datetime(df[S.MOMENT_TIME]).dt.tz_localize("UTC")
    return df


# --- audit log ---------------------------------------------------------------------
GENESIS = "0" * 64


def _entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def _hash_fields(row: dict[str, Any]) -> dict[str, Any]:
    at = row["at"]
    at_s = at.isoformat() if isinstance(at, datetime) else str(at)
    return {"id": row["id"], "at": at_s, "actor": row["actor"], "role": row["role"],
            "action": row["action"], "object": row["object"], "outcome": row["outcome"],
            "reason": row["reason"], "details": row["details"]}


def write_audit(conn: Connection, *, actor: str, action: str, obj: str = "", role: str = "",
                outcome: str = "ok", reason: str = "", details: dict[str, Any] | None = None) -> int:
    """Append one hash-chained audit entry inside the caller's transaction; return its id."""
    if conn.dialect.name == "postgresql":  # serialise writers of the chain
        conn.execute(sql_text("LOCK TABLE audit_log IN EXCLUSIVE MODE"))
    last = conn.execute(select(audit_log.c.id, audit_log.c.hash)
                        .order_by(audit_log.c.id.desc()).limit(1)).first()
    prev_hash = last.hash if last else GENESIS
    next_id = (last.id + 1) if last else 1
    row = {"id": next_id, "at": to_db_time(now_utc()).replace(microsecond=0), "actor": actor,
           "role": role, "action": action, "object": obj, "outcome": outcome, "reason": reason,
           "details": json.dumps(details or {}, sort_keys=True, ensure_ascii=False, default=str)}
    row["prev_hash"] = prev_hash
    row["hash"] = _entry_hash(prev_hash, _hash_fields(row))
    conn.execute(insert(audit_log).values(**row))
    return next_id


def audit(engine: Engine, **kwargs: Any) -> int:
    """Append one audit entry in its own transaction (see `write_audit`)."""
    with engine.begin() as conn:
        return write_audit(conn, **kwargs)


def verify_audit(engine: Engine) -> list[str]:
    """Return the problems found in the audit hash chain (empty list: intact)."""
    problems: list[str] = []
    prev_hash = GENESIS
    expected_id = 1
    with engine.connect() as conn:
        for r in conn.execute(select(audit_log).order_by(audit_log.c.id)):
            row = dict(r._mapping)
            if row["id"] != expected_id:
                problems.append(f"entry {expected_id} missing (found {row['id']})")
            if row["prev_hash"] != prev_hash:
                problems.append(f"entry {row['id']}: link to previous entry broken")
            if _entry_hash(row["prev_hash"], _hash_fields(row)) != row["hash"]:
                problems.append(f"entry {row['id']}: contents changed")
            prev_hash = row["hash"]
            expected_id = row["id"] + 1
    return problems


def load_audit(engine: Engine, limit: int | None = None) -> pd.DataFrame:
    """Return the audit log, newest first."""
    stmt = select(audit_log).order_by(audit_log.c.id.desc())
    if limit:
        stmt = stmt.limit(limit)
    with engine.connect() as conn:
        df = _read_frame(conn, stmt)
    if not df.empty:
        df["at"] = pd.to_datetime(df["at"]).dt.tz_localize("UTC")
    return df


# --- theme state ---------------------------------------------------------------------
def save_theme_state(engine: Engine, incident_id: int, state: dict[str, Any], n_messages: int) -> None:
    """Store the JSON theme-model state of an incident (replacing the previous one)."""
    with engine.begin() as conn:
        write_theme_state(conn, incident_id, state, n_messages)


def write_theme_state(conn: Connection, incident_id: int, state: dict[str, Any], n_messages: int) -> None:
    """`save_theme_state` inside the caller's transaction (with the analysis rows it belongs to).

    The theme model's idf (`state["model"]["idf"]`, about half of the state; only a fit changes
    it) goes to `theme_idf` when its content key (`idf["key"]`) differs from the stored one; the
    state keeps only the key. SQLite gets the UTF-8 bytes orjson wrote (stored as a BLOB in the
    TEXT column, read back as bytes): decoding the ~2,5 MB into a str only for the driver to
    encode it again took ~5 ms of every live update. Other databases get the text.
    `load_theme_state` reads both, and states stored as text or whole (idf inside) before.
    """
    as_bytes = conn.dialect.name == "sqlite"
    model = state.get("model")
    idf = model.get("idf") if isinstance(model, dict) else None
    key = idf.get("key") if isinstance(idf, dict) else None
    if key:
        stored_key = conn.execute(select(theme_idf.c.idf_key)
                                  .where(theme_idf.c.incident_id == incident_id)).scalar()
        if stored_key != key:
            conn.execute(theme_idf.delete().where(theme_idf.c.incident_id == incident_id))
            conn.execute(insert(theme_idf).values(incident_id=incident_id, idf_key=key,
                                                  idf=_state_json(idf, as_bytes=as_bytes)))
        state = state | {"model": model | {"idf": {"key": key}}}
    payload = _state_json(state, as_bytes=as_bytes)
    conn.execute(theme_models.delete().where(theme_models.c.incident_id == incident_id))
    conn.execute(insert(theme_models).values(incident_id=incident_id, state=payload,
                                             n_messages=n_messages, updated_at=to_db_time(now_utc())))


def load_theme_state(engine: Engine, incident_id: int) -> dict[str, Any] | None:
    """Return the stored theme-model state of an incident (its idf put back in), or None.

    A state whose idf row is missing or of another fit (never written so) counts as no state:
    the themes are then fitted again from the stored analyses.
    """
    with engine.connect() as conn:
        row = conn.execute(select(theme_models.c.state)
                           .where(theme_models.c.incident_id == incident_id)).first()
        if row is None:
            return None
        state = _json_loads(row.state)
        model = state.get("model")
        idf = model.get("idf") if isinstance(model, dict) else None
        if isinstance(idf, dict) and set(idf) == {"key"}:
            apart = conn.execute(select(theme_idf.c.idf).where(theme_idf.c.incident_id == incident_id,
                                                               theme_idf.c.idf_key == idf["key"])).first()
            if apart is None:
                return None
            model["idf"] = _json_loads(apart.idf)
    return state


def _json_loads(raw: str | bytes) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:  # a state json wrote with NaN/Infinity (orjson reads strict JSON)
        return json.loads(raw)


def _state_json(state: dict[str, Any], *, as_bytes: bool = False) -> str | bytes:
    """Return the JSON text of a theme state (UTF-8 bytes with `as_bytes`).

    orjson is about 3x faster than json on the ~2,5 MB state written with every live update
    (issue 15); json writes what orjson refuses, as before.
    """
    try:
        raw = orjson.dumps(state, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY)
        return raw if as_bytes else raw.decode()
    except TypeError:  # e.g. a float subclass orjson refuses: json writes it as before
        text = json.dumps(state, ensure_ascii=False)
        return text.encode() if as_bytes else text


# --- stored analysis (issue 15) -------------------------------------------------------------
TERM_SEP = "\x1f"  # ASCII unit separator: never part of a term (normalize strips control characters)
ANALYSIS_COLUMNS = (S.CLEAN_TEXT, S.TERMS, S.LANGUAGE, S.RELEVANCE, S.RELEVANT, S.RELEVANCE_KNOWN,
                    S.CATEGORIES, S.ISB, S.SENTIMENT, S.THEME)


def save_analysis(conn: Connection, incident_id: int, frame: pd.DataFrame, model_version: str) -> int:
    """Insert or replace the analysed columns of `frame`'s messages inside the caller's transaction."""
    if frame.empty:
        return 0
    terms = [TERM_SEP.join(t) for t in frame[S.TERMS]]
    cats = [";".join(c) for c in frame[S.CATEGORIES]]
    relevance_known = (frame[S.RELEVANCE_KNOWN] if S.RELEVANCE_KNOWN in frame.columns
                       else pd.Series(True, index=frame.index))
    rows = list(zip(frame[S.MESSAGE_ID].astype("int64").tolist(), [incident_id] * len(frame),
                    frame[S.CLEAN_TEXT].astype(str).tolist(), terms,
                    frame[S.LANGUAGE].astype(str).tolist(), frame[S.RELEVANCE].astype(float).tolist(),
                    frame[S.RELEVANT].astype(bool).tolist(), relevance_known.astype(bool).tolist(),
                    cats, frame[S.ISB].astype(str).tolist(), frame[S.SENTIMENT].astype(float).tolist(),
                    frame[S.THEME].astype("int64").tolist(), [model_version] * len(frame), strict=True))
    names = ["message_id", "incident_id", *ANALYSIS_COLUMNS, "model_version"]
    marks = ", ".join("?" if conn.dialect.name == "sqlite" else "%s" for _ in names)
    verb = "INSERT OR REPLACE" if conn.dialect.name == "sqlite" else "INSERT"
    sql = f"{verb} INTO message_analysis ({', '.join(names)}) VALUES ({marks})"
    if conn.dialect.name != "sqlite":
        sql += (" ON CONFLICT (message_id) DO UPDATE SET "
                + ", ".join(f"{n} = EXCLUDED.{n}" for n in names[1:]))
    conn.exec_driver_sql(sql, rows)
    return len(rows)


def save_themes(conn: Connection, ids: Iterable[int], themes: Iterable[int]) -> None:
    """Replace the stored theme id of these messages (after the theme model was rebuilt)."""
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    conn.exec_driver_sql(f"UPDATE message_analysis SET {S.THEME} = {mark} WHERE message_id = {mark}",
                         [(int(t), int(i)) for i, t in zip(ids, themes, strict=True)])


def load_analysed(engine: Engine, incident_id: int, *, after_id: int | None = None,
                  chunk_rows: int = 200_000) -> pd.DataFrame:
    """Return an incident's (unpurged) messages with their stored analysis, in id order.

    Analysis columns are missing values (`model_version` None) for messages not analysed yet.
    Read through the driver in chunks and converted column-wise (no per-row Python objects
    beyond the driver's tuples); times aware UTC. Terms and categories come back as tuples.
    """
    msg = list(_LOADED_MESSAGE_COLUMNS)
    names = [S.MESSAGE_ID, *msg, *ANALYSIS_COLUMNS, "model_version"]
    df = _load_analysed_arrow(engine, incident_id, int(after_id or 0), names)
    if df is None:
        df = _load_analysed_rows(engine, incident_id, int(after_id or 0), names, chunk_rows)
    df[S.MESSAGE_ID] = df[S.MESSAGE_ID].astype("int64")
    for col in (S.CREATED_AT, S.INGESTED_AT):
        df[col] = pd.to_datetime(df[col], format="ISO8601").dt.tz_localize("UTC") \
            if not isinstance(df[col].dtype, pd.DatetimeTZDtype) else df[col].dt.tz_convert("UTC")
        df[col] = df[col].astype("datetime64[us, UTC]")
    for col in (S.IS_OFFICIAL, S.IS_REPLY, S.IS_REPOST):
        df[col] = df[col].astype(bool)
    for col in (S.PLATFORM, S.SOURCE_ID, S.TEXT, S.AUTHOR, S.OFFICIAL_KIND, S.URL_DOMAIN, S.TIME_FLAG):
        df[col] = df[col].fillna("").astype(str)
    for col in (*ANALYSIS_COLUMNS, "model_version"):  # one dtype whichever way it was read
        if col in _ANALYSIS_NUMBERS:
            values = pd.to_numeric(df[col]).astype("float64")
            df[col] = values if values.isna().any() or col in (S.RELEVANCE, S.SENTIMENT) \
                else values.astype("int64")
        else:
            df[col] = df[col].astype("str")
    return df


_LOADED_MESSAGE_COLUMNS = (S.PLATFORM, S.SOURCE_ID, S.CREATED_AT, S.TEXT, S.AUTHOR, S.IS_OFFICIAL,
                           S.OFFICIAL_KIND, S.URL_DOMAIN, S.IS_REPLY, S.IS_REPOST, S.TIME_FLAG, S.INGESTED_AT)
_ANALYSIS_NUMBERS = {S.RELEVANCE: "0.0", S.RELEVANT: "0", S.RELEVANCE_KNOWN: "0", S.SENTIMENT: "0.0",
                     S.THEME: "0"}


def _arrow_sql() -> str:
    """Return `load_analysed`'s SELECT for ADBC: COALESCE gives every column one type; plus a stored flag."""
    def m(c: str) -> str:
        return f"COALESCE(m.{c}, '')" if c in _STRING_MESSAGE_COLUMNS else f"m.{c}"

    def a(c: str) -> str:
        return f"COALESCE(a.{c}, {_ANALYSIS_NUMBERS.get(c, repr(''))})"

    return (f"SELECT m.id, {', '.join(m(c) for c in _LOADED_MESSAGE_COLUMNS)}, "
            f"{', '.join(a(c) for c in ANALYSIS_COLUMNS)}, a.model_version IS NOT NULL, "
            f"COALESCE(a.model_version, '') "
            f"FROM messages m LEFT JOIN message_analysis a ON a.message_id = m.id "
            f"WHERE m.incident_id = ? AND m.{S.TEXT} IS NOT NULL AND m.id > ? ORDER BY m.id")


_STRING_MESSAGE_COLUMNS = frozenset((S.PLATFORM, S.SOURCE_ID, S.TEXT, S.AUTHOR, S.OFFICIAL_KIND, S.URL_DOMAIN,
                                     S.TIME_FLAG))


ARROW_READ_MIN_ROWS = 50_000  # below this the DBAPI read (~10 µs a row) beats starting the child


def _load_analysed_arrow(engine: Engine, incident_id: int, after_id: int,
                         names: list[str]) -> pd.DataFrame | None:
    """Return `load_analysed`'s raw frame read by the ADBC SQLite driver straight into Arrow, or None.

    About 3x faster than the sqlite3 module at 1M messages (no Python object per cell; issue 15's
    first open after a restart). The driver runs in a child process (`storage.arrow_read`: its own
    copy of SQLite inside this process reset the WAL index under our connections, SIGBUS) and sends
    the rows as an Arrow IPC file in a private temporary folder (in RAM under /dev/shm when there),
    mapped and removed at once. Used for full reads of >= `ARROW_READ_MIN_ROWS` messages;
    None (the caller reads through the DBAPI) for smaller or partial reads, PostgreSQL, an
    in-memory database, or when the driver is missing or the child fails. COALESCE gives every
    column one type (the driver infers a column's type from its first batch); rows without a stored
    analysis get their missing values back from the model_version flag.
    """
    if engine.dialect.name != "sqlite" or after_id:
        return None
    path = engine.url.database
    if not path or path == ":memory:" or not Path(path).exists():
        return None
    if data_version(engine, incident_id).n_messages < ARROW_READ_MIN_ROWS:
        return None
    if importlib.util.find_spec("adbc_driver_sqlite") is None:  # optional speed-up
        return None
    folder = tempfile.mkdtemp(prefix="lp_arrow_", dir="/dev/shm" if os.access("/dev/shm", os.W_OK) else None)
    out = Path(folder) / "incident.arrow"  # mode 0600 in a 0700 folder; removed right after mapping
    request = {"uri": f"file:{quote(str(Path(path).resolve()))}?mode=ro", "sql": _arrow_sql(),
               "params": [incident_id, after_id], "batch_rows": 65536, "out": str(out)}
    try:
        child = subprocess.run([sys.executable, "-m", "pipeline.storage.arrow_read"],
                               input=json.dumps(request).encode(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, cwd=str(Path(__file__).resolve().parents[2]),
                               check=False)
        if child.returncode != 0:
            return None
        table = pa.ipc.open_file(pa.memory_map(str(out))).read_all()  # pages stay mapped after unlink
    except (OSError, pa.ArrowInvalid):  # no child, or it died mid-write: the DBAPI path reads it
        return None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    stored = table.column(len(names) - 1).to_numpy(zero_copy_only=False).astype(bool)
    table = table.remove_column(len(names) - 1).rename_columns(names)
    df = table.to_pandas()
    if not stored.all():
        missing = ~stored
        for col in (*ANALYSIS_COLUMNS, "model_version"):
            if col in _ANALYSIS_NUMBERS:
                df[col] = df[col].astype("float64")
            df.loc[missing, col] = np.nan
    return df


def _load_analysed_rows(engine: Engine, incident_id: int, after_id: int, names: list[str],
                        chunk_rows: int) -> pd.DataFrame:
    """Return `load_analysed`'s raw frame read through the DBAPI cursor in chunks."""
    mark = "?" if engine.dialect.name == "sqlite" else "%s"
    sql = (f"SELECT m.id, {', '.join('m.' + c for c in _LOADED_MESSAGE_COLUMNS)}, "
           f"{', '.join('a.' + c for c in ANALYSIS_COLUMNS)}, a.model_version "
           f"FROM messages m LEFT JOIN message_analysis a ON a.message_id = m.id "
           f"WHERE m.incident_id = {mark} AND m.{S.TEXT} IS NOT NULL AND m.id > {mark} ORDER BY m.id")
    parts = []
    # The DBAPI cursor directly: plain tuples (SQLAlchemy Row objects cost ~10 s per 1M rows in
    # DataFrame.from_records, which probes every row with hasattr).
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(sql, (incident_id, after_id))
        while True:
            rows = cursor.fetchmany(chunk_rows)
            if not rows:
                break
            parts.append(pd.DataFrame.from_records(rows, columns=names, coerce_float=True))
        cursor.close()
    finally:
        raw.close()
    return (parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)) if parts else \
        pd.DataFrame({c: pd.Series(dtype=object) for c in names})


def outdated_analysis_ids(engine: Engine, incident_id: int, model_version: str,
                          limit: int | None = None) -> list[int]:
    """Return ids of messages whose stored analysis came from another model version (oldest first)."""
    stmt = (select(message_analysis.c.message_id)
            .where(message_analysis.c.incident_id == incident_id,
                   message_analysis.c.model_version != model_version)
            .order_by(message_analysis.c.message_id))
    if limit is not None:
        stmt = stmt.limit(limit)
    with engine.connect() as conn:
        return [int(r[0]) for r in conn.execute(stmt)]
