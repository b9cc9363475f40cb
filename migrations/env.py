"""Alembic environment: runs against the orchestrator's configured database."""

from __future__ import annotations

from alembic import context

from orchestrator_core.db import get_engine
from orchestrator_core.db.metadata import target_metadata

config = context.config


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection") or get_engine()
    if hasattr(connectable, "connect") and not hasattr(connectable, "execute"):
        with connectable.connect() as connection:
            _run(connection)
    else:
        _run(connectable)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `orchestrator db upgrade`")
run_migrations_online()
