"""Create data head: the start of the Node Enrollment demo's product and workflow registrations.

As `orchestrator db init` writes it, depending on the core schema as it was when the demo moved
onto its own branch (revision 0009).

Revision ID: 0000_node_enrollment_data_head
Revises:
"""

revision = "0000_node_enrollment_data_head"
down_revision = None
branch_labels = ("data",)
depends_on = "0009"


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
