"""Register the Node Enrollment product of the workflow guide, its block and resource types.

Revision ID: 0003
Revises: 0000_node_enrollment_data_head
"""

from __future__ import annotations

from alembic import op

from orchestrator_core.migrations import helpers

revision = "0003"
down_revision = "0000_node_enrollment_data_head"
branch_labels = None
depends_on = None

NODE_ENROLLMENT_PRODUCT_ID = "5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01"
NODE_ENROLLMENT_BLOCK_ID = "7a1d2c3e-4b5f-4a6b-8c7d-9e0f1a2b3c4d"

NEW = {
    "products": {
        "Node Enrollment": {
            "product_id": NODE_ENROLLMENT_PRODUCT_ID,
            "product_type": "NodeEnrollment",
            "description": "Node Enrollment",
            "tag": "NodeEnrollment",
            "status": "active",
            "product_blocks": ["Node Enrollment"],
            "fixed_inputs": {},
        }
    },
    "product_blocks": {
        "Node Enrollment": {
            "product_block_id": NODE_ENROLLMENT_BLOCK_ID,
            "description": "A node enrolled in ESDB and NSO",
            "tag": "NE",
            "status": "active",
            "resources": {
                "esdb_node_id": "Node id in ESDB",
                "node_name": "Name of the node",
                "url": "Management URL of the node",
                "uuid": "UUID of the node",
                "nso_service_id": "Service id in NSO",
                "routing_domain": "Routing domain of the node",
                "role": "Role of the node in the network",
                "site_id": "Short name of the node's location",
            },
        }
    },
}


def upgrade() -> None:
    helpers.create(op.get_bind(), NEW)
    helpers.ensure_default_workflows(op.get_bind())


def downgrade() -> None:
    resource_types = list(NEW["product_blocks"]["Node Enrollment"]["resources"])
    helpers.delete(op.get_bind(), {**NEW, "resource_types": resource_types})
