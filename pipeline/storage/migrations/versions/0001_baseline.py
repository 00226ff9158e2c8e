"""Baseline: the schema as it was before Alembic (store.SCHEMA_VERSION 1).

A database created by the earlier code is stamped at this revision by `store.migrate`
(nothing runs); a database built only through Alembic gets these tables here.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from alembic import op

from pipeline.storage.migrations.baseline_schema import baseline_metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the pre-Alembic tables."""
    baseline_metadata().create_all(op.get_bind())


def downgrade() -> None:
    """Drop them."""
    baseline_metadata().drop_all(op.get_bind())
