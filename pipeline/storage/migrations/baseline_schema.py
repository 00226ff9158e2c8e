"""The schema as it was before Alembic (store.SCHEMA_VERSION 1): frozen, never edit.

Revision 0001 (baseline) creates exactly these tables; a database made by the code before
Alembic has exactly these (`store.migrate` stamps it at 0001, then upgrades). The column names
are literal strings on purpose: renaming a `schema.py` constant must not change history.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)


def baseline_metadata() -> MetaData:
    """Return a new MetaData holding the pre-Alembic schema (tables as of revision 0001)."""
    metadata = MetaData()
    Table(
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

    Table(
        "messages",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
        Column("platform", String(40), nullable=False),
        Column("source_id", String(200), nullable=False),
        Column("created_at", DateTime, nullable=False),
        Column("text", Text, nullable=True),  # NULL after purge
        Column("author", String(100), nullable=True),  # pseudonym; NULL after purge
        Column("is_official", Boolean, nullable=False, default=False),
        Column("official_kind", String(20), nullable=False, default=""),
        Column("url_domain", String(200), nullable=False, default=""),
        Column("is_reply", Boolean, nullable=False, default=False),
        Column("is_repost", Boolean, nullable=False, default=False),
        Column("time_flag", String(20), nullable=False, default=""),
        Column("ingested_at", DateTime, nullable=False),
        Column("batch_id", Integer, nullable=True),
        UniqueConstraint("incident_id", "platform", "source_id", name="uq_message_source"),
        Index("ix_messages_incident_time", "incident_id", "created_at"),
    )

    Table(
        "moments",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
        Column("time", DateTime, nullable=False),
        Column("channel", String(40), nullable=False),
        Column("text", Text, nullable=False),
        Column("origin", String(20), nullable=False),
        Column("message_id", Integer, ForeignKey("messages.id", ondelete="SET NULL"), nullable=True),
        Column("created_by", String(200), nullable=False, default="system"),
        Column("created_at", DateTime, nullable=False),
        UniqueConstraint("incident_id", "message_id", name="uq_moment_message"),
    )

    Table(
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

    Table(
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

    Table(
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

    Table(
        "theme_models",
        metadata,
        Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
        Column("state", Text, nullable=False),
        Column("n_messages", Integer, nullable=False),
        Column("updated_at", DateTime, nullable=False),
    )

    Table(
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

    Table(
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

    Table(
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

    Table(
        "copi_advice",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False,
               index=True),
        Column("text", Text, nullable=False),  # the analyst's advice for the CoPI (append-only history)
        Column("author", String(200), nullable=False),
        Column("created_at", DateTime, nullable=False),
    )

    Table(  # "Achteraf: door deze tool konden we ..." (pipeline/governance/publish.py)
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

    Table(
        "meta_info",
        metadata,
        Column("key", String(100), primary_key=True),
        Column("value", String(500), nullable=False),
    )

    Table(
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
    Table(
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
    return metadata
