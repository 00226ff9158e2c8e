"""Analysis stored with the message (issue 15): table `message_analysis` and its index.

Databases that already have the table (made by `create_all` before this revision existed) keep
it as it is; the revision then only records that the schema is at 0003.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create message_analysis (one row per analysed message) unless it is there already."""
    if sa.inspect(op.get_bind()).has_table("message_analysis"):
        return
    op.create_table(
        "message_analysis",
        sa.Column("message_id", sa.Integer, sa.ForeignKey("messages.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("incident_id", sa.Integer, sa.ForeignKey("incidents.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("clean_text", sa.Text, nullable=False),
        sa.Column("terms", sa.Text, nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("relevance", sa.Float, nullable=False),
        sa.Column("relevant", sa.Boolean, nullable=False),
        sa.Column("relevance_known", sa.Boolean, nullable=False),
        sa.Column("categories", sa.String(400), nullable=False),
        sa.Column("isb", sa.String(40), nullable=False),
        sa.Column("sentiment", sa.Float, nullable=False),
        sa.Column("theme", sa.Integer, nullable=False),
        sa.Column("model_version", sa.String(80), nullable=False),
    )
    op.create_index("ix_message_analysis_incident", "message_analysis", ["incident_id", "message_id"])


def downgrade() -> None:
    """Drop the stored analyses (they are rebuilt from the messages on the next open)."""
    op.drop_index("ix_message_analysis_incident", "message_analysis")
    op.drop_table("message_analysis")
