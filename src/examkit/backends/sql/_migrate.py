"""Running the shipped Alembic migrations."""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).with_name("migrations")
"""The folder of the shipped migrations."""


def alembic_config(engine: Engine | None = None) -> Config:
    """Return an Alembic configuration for the shipped migrations (bound to *engine*)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database of *engine* to *revision* (the newest by default)."""
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Take the database of *engine* back to *revision* (empty by default)."""
    command.downgrade(alembic_config(engine), revision)


@functools.cache
def heads() -> tuple[str, ...]:
    """Return the head revisions of the shipped migrations (there must be one).

    Read from the migration files once per process: they ship with examkit.
    """
    return tuple(ScriptDirectory.from_config(alembic_config()).get_heads())


@functools.cache
def known_revisions() -> frozenset[str]:
    """Return every revision of the shipped migrations (read once per process, like heads)."""
    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(revision.revision for revision in script.walk_revisions())
