"""A product team's migration, written as the workflow guide writes one (imports rewritten)."""

from __future__ import annotations

from alembic import op

from orchestrator_core.migrations.helpers import create, create_workflow

params_create = dict(
    name="create_guide_node",
    target="CREATE",
    description="Create Node Enrollment Service",
    tag="GuideNode",
    search_phrase="Guide Node%",
)
params_modify = dict(
    name="modify_guide_node",
    target="MODIFY",
    description="Modify Node Enrollment",
    tag="GuideNode",
    search_phrase="Guide Node%",
)
params_validate = dict(
    name="validate_guide_node",
    target="SYSTEM",
    description="Validate Node Enrollment before production",
    tag="GuideNode",
    search_phrase="Guide Node%",
)
params_terminate = dict(
    name="terminate_guide_node",
    target="TERMINATE",
    description="Terminate Node Enrollment subscription",
    tag="GuideNode",
    search_phrase="Guide Node%",
)

PRODUCTS = {
    "products": {
        name: {"product_type": "GuideNode", "description": name, "tag": tag, "status": "active"}
        for name, tag in (("Guide Node 10G", "GuideNode"), ("Guide Node 100G", "GuideNode"),
                          ("Guide Router", "GuideRouter"))
    }
}


def upgrade() -> None:
    conn = op.get_bind()
    create(conn, PRODUCTS)
    for params in (params_create, params_modify, params_validate, params_terminate):
        create_workflow(conn, params)
