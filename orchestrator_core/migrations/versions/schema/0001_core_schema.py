"""core schema: workflows, processes, step log, input states

Revision ID: 0001
Revises: 
Create Date: 2026-11-27 16:44:28.519664
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = ("schema",)
depends_on = None


def upgrade() -> None:
    op.create_table('workflows',
    sa.Column('workflow_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('target', sa.String(length=32), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('is_task', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('workflow_id', name=op.f('pk_workflows')),
    sa.UniqueConstraint('name', name=op.f('uq_workflows_name'))
    )
    op.create_table('processes',
    sa.Column('process_id', sa.Uuid(), nullable=False),
    sa.Column('workflow_id', sa.Uuid(), nullable=False),
    sa.Column('assignee', sa.String(length=50), nullable=False),
    sa.Column('last_status', sa.String(length=50), nullable=False),
    sa.Column('last_step', sa.String(length=255), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_modified_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('failed_reason', sa.Text(), nullable=True),
    sa.Column('traceback', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=255), nullable=True),
    sa.Column('is_task', sa.Boolean(), nullable=False),
    sa.Column('flow_run_id', sa.Uuid(), nullable=True),
    sa.Column('executor_id', sa.String(length=255), nullable=True),
    sa.Column('lease_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['workflow_id'], ['workflows.workflow_id'], name=op.f('fk_processes_workflow_id_workflows')),
    sa.PrimaryKeyConstraint('process_id', name=op.f('pk_processes'))
    )
    with op.batch_alter_table('processes', schema=None) as batch_op:
        batch_op.create_index('ix_processes_flow_run_id', ['flow_run_id'], unique=False)
        batch_op.create_index('ix_processes_status_started', ['last_status', 'started_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_processes_workflow_id'), ['workflow_id'], unique=False)

    op.create_table('input_states',
    sa.Column('input_state_id', sa.Uuid(), nullable=False),
    sa.Column('process_id', sa.Uuid(), nullable=False),
    sa.Column('input_state', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('input_time', sa.DateTime(timezone=True), nullable=False),
    sa.Column('input_type', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['process_id'], ['processes.process_id'], name=op.f('fk_input_states_process_id_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('input_state_id', name=op.f('pk_input_states'))
    )
    with op.batch_alter_table('input_states', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_input_states_process_id'), ['process_id'], unique=False)

    op.create_table('process_steps',
    sa.Column('step_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('process_id', sa.Uuid(), nullable=False),
    sa.Column('step_index', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=50), nullable=False),
    sa.Column('state', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_by', sa.String(length=255), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('commit_hash', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['process_id'], ['processes.process_id'], name=op.f('fk_process_steps_process_id_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('step_id', name=op.f('pk_process_steps'))
    )
    with op.batch_alter_table('process_steps', schema=None) as batch_op:
        batch_op.create_index('ix_process_steps_process_id_step_id', ['process_id', 'step_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('process_steps', schema=None) as batch_op:
        batch_op.drop_index('ix_process_steps_process_id_step_id')

    op.drop_table('process_steps')
    with op.batch_alter_table('input_states', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_input_states_process_id'))

    op.drop_table('input_states')
    with op.batch_alter_table('processes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_processes_workflow_id'))
        batch_op.drop_index('ix_processes_status_started')
        batch_op.drop_index('ix_processes_flow_run_id')

    op.drop_table('processes')
    op.drop_table('workflows')
