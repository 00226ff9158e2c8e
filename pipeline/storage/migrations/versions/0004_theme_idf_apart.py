"""The theme model's idf in its own table (issue 15).

The idf (about half of a 1M incident's ~4 MB theme state) is set when the themes are fitted and
never changes in a live update. In its own row, keyed by its content, a live update rewrites only
the part of the state that changes (`store.write_theme_state`; SQLite rewrites a whole row, so a
column beside the state would not do). States stored before keep their idf inside `state` and are
read as before.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create theme_idf (one row per incident: the idf's content key and its JSON)."""
    if sa.inspect(op.get_bind()).has_table("theme_idf"):
        return
    op.create_table(
        "theme_idf",
        sa.Column("incident_id", sa.Integer, sa.ForeignKey("incidents.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("idf_key", sa.String(64), nullable=False),
        sa.Column("idf", sa.Text, nullable=False),
    )


def downgrade() -> None:
    """Put every stored idf back into its theme state, then drop the table."""
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT t.incident_id, t.state, i.idf FROM theme_models t "
                                "JOIN theme_idf i ON i.incident_id = t.incident_id")).fetchall()
    for incident_id, state, idf in rows:
        whole = json.loads(state)
        whole["model"]["idf"] = json.loads(idf)
        bind.execute(sa.text("UPDATE theme_models SET state = :s WHERE incident_id = :i"),
                     {"s": json.dumps(whole, ensure_ascii=False), "i": incident_id})
    op.drop_table("theme_idf")
