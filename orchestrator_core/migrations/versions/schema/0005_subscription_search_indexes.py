"""subscription search indexes: trigram text search and sort keys

Why: the API's subscription search (`services/subscription_search.py`) matches every word as a
case-insensitive substring of description, customer id and note. At 100,000 subscriptions a
sequential scan with ILIKE takes tens of ms; a GIN trigram index on the very same expression
answers in a few. Postgres only (pg_trgm); SQLite, the embedded demo, scans.

Revision ID: 0005
Revises: 0004_default_workflows
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004_default_workflows"
branch_labels = None
depends_on = None

SEARCH_EXPRESSION = "(description || ' ' || customer_id || ' ' || coalesce(note, ''))"


def upgrade() -> None:
    op.create_index("ix_subscriptions_start_date", "subscriptions", ["start_date"])
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(
        "CREATE INDEX ix_subscriptions_search_trgm ON subscriptions "
        f"USING gin ({SEARCH_EXPRESSION} gin_trgm_ops)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_subscriptions_search_trgm")
    op.drop_index("ix_subscriptions_start_date", table_name="subscriptions")
