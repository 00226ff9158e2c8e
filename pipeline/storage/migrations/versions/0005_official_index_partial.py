"""The (incident, official_kind) index holds the official rows only (issue 15).

Every message had an entry, though the index serves one query: the authority's posts that become
communication moments after each ingest batch (`store.moments_from_official_messages`). Nearly
all messages are the public's (`official_kind` ""); without their entries a 1M-row import spends
about 10 % less time inserting (SQLite, measured on the benchmark stream). The query says
`official_kind != ''` itself, so both SQLite and PostgreSQL use the partial index.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_NAME = "ix_messages_incident_official"
_WHERE = sa.text("official_kind != ''")


def upgrade() -> None:
    """Rebuild the index over the official rows only."""
    op.drop_index(_NAME, "messages")
    op.create_index(_NAME, "messages", ["incident_id", "official_kind"], sqlite_where=_WHERE,
                    postgresql_where=_WHERE)


def downgrade() -> None:
    """Rebuild the index over every row, as revision 0002 made it."""
    op.drop_index(_NAME, "messages")
    op.create_index(_NAME, "messages", ["incident_id", "official_kind"])
