"""What an Alembic env.py does here: migrate the orchestrator's configured database.

The core schema's env.py and every application's env.py (as `orchestrator db init` writes it)
call `run_migrations()`, so both run against the same engine, metadata and SQLite settings.
"""

from __future__ import annotations

from typing import Any

from alembic import context

from orchestrator_core.db import get_engine
from orchestrator_core.db.metadata import target_metadata


def run_migrations() -> None:
    if context.is_offline_mode():
        raise SystemExit("offline migrations are not supported; run `orchestrator db upgrade`")
    connectable = context.config.attributes.get("connection") or get_engine()
    if hasattr(connectable, "connect") and not hasattr(connectable, "execute"):
        with connectable.connect() as connection:
            _run(connection)
    else:
        _run(connectable)


def _run(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
