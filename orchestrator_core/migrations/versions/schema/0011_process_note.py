"""processes.note: an operator's free-text note on a process (orchestrator-ui's process list edits it)

The reference keeps it since its revision be3163f7c49d (here a marker); this is the column itself.

Revision ID: 0011
Revises: ca79fd834ba0
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "ca79fd834ba0"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("processes") as batch_op:
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("processes") as batch_op:
        batch_op.drop_column("note")
