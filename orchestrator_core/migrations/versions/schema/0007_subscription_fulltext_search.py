"""subscription search on a stored tsvector, sort keys with their tie-breaker

Why: measured at 100,000 subscriptions (bench/api.py), the trigram index of 0005 must intersect
many long posting lists for common words and recheck every hit; a `simple` tsvector keeps one
posting list per word and needs no recheck, as the reference system's search does (word-prefix
matching). It is a stored generated column, not an expression index: when the planner walks the
start_date index and filters (its estimates for prefix queries are rough), a stored vector costs
a comparison per row where an expression costs a to_tsvector call (measured 76 ms vs a few).
The start_date index gains the subscription_id tie-breaker so that "newest first" pages come
straight from the index; description gets one too (the page's other common sort). The vector is
Postgres only; SQLite, the embedded demo, scans.

Revision ID: 0007
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None

SEARCH_EXPRESSION = "to_tsvector('simple'::regconfig, description || ' ' || customer_id || ' ' || coalesce(note, ''))"
"""Kept in step with services/subscription_search.py."""


def upgrade() -> None:
    op.drop_index("ix_subscriptions_start_date", table_name="subscriptions")
    op.create_index("ix_subscriptions_start_date_id", "subscriptions", ["start_date", "subscription_id"])
    op.create_index("ix_subscriptions_description_id", "subscriptions", ["description", "subscription_id"])
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_subscriptions_search_trgm")
    op.execute(
        f"ALTER TABLE subscriptions ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS ({SEARCH_EXPRESSION}) STORED"
    )
    op.execute("CREATE INDEX ix_subscriptions_search_tsv ON subscriptions USING gin (search_tsv)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_subscriptions_search_tsv")
        op.execute("ALTER TABLE subscriptions DROP COLUMN IF EXISTS search_tsv")
        op.execute(
            "CREATE INDEX ix_subscriptions_search_trgm ON subscriptions "
            "USING gin ((description || ' ' || customer_id || ' ' || coalesce(note, '')) gin_trgm_ops)"
        )
    op.drop_index("ix_subscriptions_description_id", table_name="subscriptions")
    op.drop_index("ix_subscriptions_start_date_id", table_name="subscriptions")
    op.create_index("ix_subscriptions_start_date", "subscriptions", ["start_date"])
