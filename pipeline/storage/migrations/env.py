"""Alembic environment: runs on the connection `store.migrate` hands over (offline, no alembic.ini).

`store.migrate` puts an open connection (inside its transaction) into
`config.attributes["connection"]`; the revisions run on it, so the upgrade and the
store's own steps commit together. The `alembic` command line also works for developers:
`alembic -x url=sqlite:///var/luisterpost.db -c /dev/null ...` is not needed; use
`python -m pipeline` (which migrates on start) instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from pipeline.storage import store

config = context.config
connection = config.attributes.get("connection")


def _run(conn) -> None:
    context.configure(connection=conn, target_metadata=store.metadata,
                      render_as_batch=conn.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():  # `alembic upgrade --sql`: print the DDL for a DBA
    context.configure(url=config.get_main_option("sqlalchemy.url") or "sqlite://",
                      target_metadata=store.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif connection is not None:
    _run(connection)
else:  # pragma: no cover - developer use with a URL in the config
    with create_engine(config.get_main_option("sqlalchemy.url")).begin() as conn:
        _run(conn)
