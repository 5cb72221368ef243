"""Alembic environment of examkit's SQL backend: runs on the engine handed in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from examkit.backends.sql._tables import metadata

config = context.config
engine = config.attributes.get("engine")
if not isinstance(engine, Engine):  # pragma: no cover - misuse
    raise RuntimeError("run examkit's migrations through examkit.backends.sql.upgrade()")

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
