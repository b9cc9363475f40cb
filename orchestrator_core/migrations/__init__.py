"""Helpers for product teams' Alembic migrations (the schema itself lives in the top-level migrations/)."""
