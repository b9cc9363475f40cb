"""Alembic migrations: the core schema first, then product and workflow registration."""
