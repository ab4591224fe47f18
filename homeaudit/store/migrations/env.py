"""Alembic's entry point for homeaudit's migrations: runs them on the connection the store gives.

homeaudit never runs them from a command line of Alembic's: :func:`homeaudit.store.migrate.upgrade`
opens the connection (on SQLite with foreign keys off and inside one explicit transaction, see its
docstring) and passes it in ``config.attributes["connection"]``.
"""

from __future__ import annotations

from alembic import context

from homeaudit.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    transactional_ddl=True,
    # SQLite changes a table by copying it into a new one (Alembic's batch mode).
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
