"""Cheap data version and id-range indexes (issue 15).

* `incident_state`: one row per incident (version, last message id, message and moment
  counts), filled here from the stored data once; afterwards kept in step by
  `store.bump_version` inside every transaction that changes an incident's data.
* `ix_messages_incident_id` (incident_id, id): live loads after an id, counts up to an id
  and the newest id read an index range instead of the whole incident.
* `ix_messages_incident_official` (incident_id, official_kind): authority posts for
  communication moments after every ingest batch.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the indexes and incident_state (filled from the stored data)."""
    op.create_index("ix_messages_incident_id", "messages", ["incident_id", "id"])
    op.create_index("ix_messages_incident_official", "messages", ["incident_id", "official_kind"])
    op.create_table(
        "incident_state",
        sa.Column("incident_id", sa.Integer, sa.ForeignKey("incidents.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("last_message_id", sa.BigInteger, nullable=False),
        sa.Column("n_messages", sa.BigInteger, nullable=False),
        sa.Column("n_moments", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    op.execute(sa.text(
        "INSERT INTO incident_state (incident_id, version, last_message_id, n_messages, n_moments, "
        "updated_at) SELECT i.id, 1, "
        "COALESCE((SELECT MAX(m.id) FROM messages m WHERE m.incident_id = i.id), 0), "
        "(SELECT COUNT(*) FROM messages m WHERE m.incident_id = i.id), "
        "(SELECT COUNT(*) FROM moments o WHERE o.incident_id = i.id), :now FROM incidents i"
    ).bindparams(sa.bindparam("now", value=now, type_=sa.DateTime)))


def downgrade() -> None:
    """Remove them again."""
    op.drop_table("incident_state")
    op.drop_index("ix_messages_incident_official", "messages")
    op.drop_index("ix_messages_incident_id", "messages")
