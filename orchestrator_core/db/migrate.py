"""Bring a database to the newest schema, the same way for Postgres and SQLite."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

import migrations
from orchestrator_core.db.database import get_engine


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(migrations.__file__).parent))
    cfg.set_main_option("path_separator", "os")
    return cfg


def upgrade(revision: str = "heads") -> None:
    cfg = alembic_config()
    with get_engine().begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def current_heads() -> set[str]:
    from alembic.runtime.migration import MigrationContext

    with get_engine().connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())
