"""Alembic environment of this application: the orchestrator's database (ORCHESTRATOR_DATABASE_URL)."""

from orchestrator_core.migrations.environment import run_migrations

run_migrations()
