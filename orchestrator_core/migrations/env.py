"""Alembic environment of the core schema alone (no application directory)."""

from orchestrator_core.migrations.environment import run_migrations

run_migrations()
