"""Register the built-in modify_note workflow and link DEFAULT_PRODUCT_WORKFLOWS to every product.

Revision ID: 0004_default_workflows
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from orchestrator_core.migrations import helpers

revision = "0004_default_workflows"
down_revision = "0002"
branch_labels = None
depends_on = None

MODIFY_NOTE = {"name": "modify_note", "target": "MODIFY", "description": "Modify Note", "is_task": False}


def upgrade() -> None:
    conn = op.get_bind()
    helpers.create_workflow(conn, MODIFY_NOTE)
    helpers.ensure_default_workflows(conn)


def downgrade() -> None:
    conn = op.get_bind()
    ids = sa.text("SELECT workflow_id FROM workflows WHERE name = 'modify_note'")
    conn.execute(sa.text(f"DELETE FROM products_workflows WHERE workflow_id IN ({ids.text})"))
    conn.execute(sa.text("DELETE FROM workflows WHERE name = 'modify_note'"))
