"""Alembic migrations of the store (run by `store.migrate`, no alembic.ini needed).

Rule (docs/ARCHITECTURE.md "Schema changes"): a NEW table may be added to `store.metadata`
alone (`migrate` creates missing tables after upgrading); any change to an EXISTING table
(column, index, constraint, type, data) needs a revision in `versions/`.
"""
