"""Register the Node Enrollment workflows of the guide.

The params are the guide's: name as in the code, target, description, the product tag and
search phrase that link each workflow to the Node Enrollment product. The validate workflow
is registered with target SYSTEM, as the guide does.

Revision ID: 0006
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from orchestrator_core.migrations import helpers

revision = "0006"
down_revision = "0003"
branch_labels = None
depends_on = None

LINK = {"tag": "NodeEnrollment", "search_phrase": "Node Enrollment%"}

WORKFLOWS = [
    {"name": "create_node_enrollment", "target": "CREATE", "description": "Create Node Enrollment Service", **LINK},
    {"name": "provision_node_enrollment", "target": "MODIFY", "description": "Provision Node Enrollment", **LINK},
    {"name": "modify_node_enrollment", "target": "MODIFY", "description": "Modify Node Enrollment", **LINK},
    {"name": "validate_node_enrollment", "target": "SYSTEM",
     "description": "Validate Node Enrollment before production", **LINK},
    {"name": "terminate_node_enrollment", "target": "TERMINATE",
     "description": "Terminate Node Enrollment subscription", **LINK},
]

def upgrade() -> None:
    conn = op.get_bind()
    for params in WORKFLOWS:
        helpers.create_workflow(conn, params)


def downgrade() -> None:
    conn = op.get_bind()
    names = [w["name"] for w in WORKFLOWS]
    ids = sa.select(sa.column("workflow_id")).select_from(sa.table("workflows")).where(
        sa.column("name").in_(names))
    conn.execute(sa.table("products_workflows", sa.column("workflow_id")).delete().where(
        sa.column("workflow_id").in_(ids)))
    conn.execute(sa.table("workflows", sa.column("name")).delete().where(sa.column("name").in_(names)))
