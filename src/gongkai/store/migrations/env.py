"""Alembic environment: runs on the connection the store hands over in `config.attributes`."""

from __future__ import annotations

from alembic import context

from gongkai.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the store always passes its connection
    raise RuntimeError("gongkai migrations run through gongkai.store (gongkai db upgrade)")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
