"""domain schema: products, product blocks, subscriptions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 16:46:55.427078
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('product_blocks',
    sa.Column('product_block_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('tag', sa.String(length=50), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('end_date', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('product_block_id', name=op.f('pk_product_blocks')),
    sa.UniqueConstraint('name', name=op.f('uq_product_blocks_name'))
    )
    op.create_table('products',
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('product_type', sa.String(length=255), nullable=False),
    sa.Column('tag', sa.String(length=50), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('end_date', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('product_id', name=op.f('pk_products')),
    sa.UniqueConstraint('name', name=op.f('uq_products_name'))
    )
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_products_tag'), ['tag'], unique=False)

    op.create_table('resource_types',
    sa.Column('resource_type_id', sa.Uuid(), nullable=False),
    sa.Column('resource_type', sa.String(length=510), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('resource_type_id', name=op.f('pk_resource_types')),
    sa.UniqueConstraint('resource_type', name=op.f('uq_resource_types_resource_type'))
    )
    op.create_table('fixed_inputs',
    sa.Column('fixed_input_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.product_id'], name=op.f('fk_fixed_inputs_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('fixed_input_id', name=op.f('pk_fixed_inputs')),
    sa.UniqueConstraint('product_id', 'name', name=op.f('uq_fixed_inputs_product_id_name'))
    )
    op.create_table('product_block_relations',
    sa.Column('in_use_by_id', sa.Uuid(), nullable=False),
    sa.Column('depends_on_id', sa.Uuid(), nullable=False),
    sa.Column('min', sa.Integer(), nullable=True),
    sa.Column('max', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['depends_on_id'], ['product_blocks.product_block_id'], name=op.f('fk_product_block_relations_depends_on_id_product_blocks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['in_use_by_id'], ['product_blocks.product_block_id'], name=op.f('fk_product_block_relations_in_use_by_id_product_blocks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('in_use_by_id', 'depends_on_id', name=op.f('pk_product_block_relations'))
    )
    with op.batch_alter_table('product_block_relations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_block_relations_depends_on_id'), ['depends_on_id'], unique=False)

    op.create_table('product_block_resource_types',
    sa.Column('product_block_id', sa.Uuid(), nullable=False),
    sa.Column('resource_type_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['product_block_id'], ['product_blocks.product_block_id'], name=op.f('fk_product_block_resource_types_product_block_id_product_blocks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resource_type_id'], ['resource_types.resource_type_id'], name=op.f('fk_product_block_resource_types_resource_type_id_resource_types'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('product_block_id', 'resource_type_id', name=op.f('pk_product_block_resource_types'))
    )
    op.create_table('product_product_blocks',
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('product_block_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['product_block_id'], ['product_blocks.product_block_id'], name=op.f('fk_product_product_blocks_product_block_id_product_blocks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.product_id'], name=op.f('fk_product_product_blocks_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('product_id', 'product_block_id', name=op.f('pk_product_product_blocks'))
    )
    op.create_table('products_workflows',
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('workflow_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.product_id'], name=op.f('fk_products_workflows_product_id_products'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workflow_id'], ['workflows.workflow_id'], name=op.f('fk_products_workflows_workflow_id_workflows'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('product_id', 'workflow_id', name=op.f('pk_products_workflows'))
    )
    with op.batch_alter_table('products_workflows', schema=None) as batch_op:
        batch_op.create_index('ix_products_workflows_workflow_id', ['workflow_id'], unique=False)

    op.create_table('subscriptions',
    sa.Column('subscription_id', sa.Uuid(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.String(length=255), nullable=False),
    sa.Column('insync', sa.Boolean(), nullable=False),
    sa.Column('start_date', sa.DateTime(timezone=True), nullable=True),
    sa.Column('end_date', sa.DateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.product_id'], name=op.f('fk_subscriptions_product_id_products')),
    sa.PrimaryKeyConstraint('subscription_id', name=op.f('pk_subscriptions'))
    )
    with op.batch_alter_table('subscriptions', schema=None) as batch_op:
        batch_op.create_index('ix_subscriptions_customer_id_status', ['customer_id', 'status'], unique=False)
        batch_op.create_index('ix_subscriptions_product_id_status', ['product_id', 'status'], unique=False)
        batch_op.create_index('ix_subscriptions_status', ['status'], unique=False)

    op.create_table('processes_subscriptions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('process_id', sa.Uuid(), nullable=False),
    sa.Column('subscription_id', sa.Uuid(), nullable=False),
    sa.Column('workflow_target', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['process_id'], ['processes.process_id'], name=op.f('fk_processes_subscriptions_process_id_processes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subscription_id'], ['subscriptions.subscription_id'], name=op.f('fk_processes_subscriptions_subscription_id_subscriptions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_processes_subscriptions'))
    )
    with op.batch_alter_table('processes_subscriptions', schema=None) as batch_op:
        batch_op.create_index('ix_processes_subscriptions_process_id_subscription_id', ['process_id', 'subscription_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_processes_subscriptions_subscription_id'), ['subscription_id'], unique=False)

    op.create_table('subscription_instances',
    sa.Column('subscription_instance_id', sa.Uuid(), nullable=False),
    sa.Column('subscription_id', sa.Uuid(), nullable=False),
    sa.Column('product_block_id', sa.Uuid(), nullable=False),
    sa.Column('label', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['product_block_id'], ['product_blocks.product_block_id'], name=op.f('fk_subscription_instances_product_block_id_product_blocks')),
    sa.ForeignKeyConstraint(['subscription_id'], ['subscriptions.subscription_id'], name=op.f('fk_subscription_instances_subscription_id_subscriptions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('subscription_instance_id', name=op.f('pk_subscription_instances'))
    )
    with op.batch_alter_table('subscription_instances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscription_instances_product_block_id'), ['product_block_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscription_instances_subscription_id'), ['subscription_id'], unique=False)

    op.create_table('subscription_instance_relations',
    sa.Column('in_use_by_id', sa.Uuid(), nullable=False),
    sa.Column('depends_on_id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('domain_model_attr', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['depends_on_id'], ['subscription_instances.subscription_instance_id'], name=op.f('fk_subscription_instance_relations_depends_on_id_subscription_instances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['in_use_by_id'], ['subscription_instances.subscription_instance_id'], name=op.f('fk_subscription_instance_relations_in_use_by_id_subscription_instances'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('in_use_by_id', 'depends_on_id', 'order_id', name=op.f('pk_subscription_instance_relations'))
    )
    with op.batch_alter_table('subscription_instance_relations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscription_instance_relations_depends_on_id'), ['depends_on_id'], unique=False)

    op.create_table('subscription_instance_values',
    sa.Column('subscription_instance_value_id', sa.Uuid(), nullable=False),
    sa.Column('subscription_instance_id', sa.Uuid(), nullable=False),
    sa.Column('resource_type_id', sa.Uuid(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['resource_type_id'], ['resource_types.resource_type_id'], name=op.f('fk_subscription_instance_values_resource_type_id_resource_types')),
    sa.ForeignKeyConstraint(['subscription_instance_id'], ['subscription_instances.subscription_instance_id'], name=op.f('fk_subscription_instance_values_subscription_instance_id_subscription_instances'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('subscription_instance_value_id', name=op.f('pk_subscription_instance_values'))
    )
    with op.batch_alter_table('subscription_instance_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscription_instance_values_resource_type_id'), ['resource_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscription_instance_values_subscription_instance_id'), ['subscription_instance_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('subscription_instance_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subscription_instance_values_subscription_instance_id'))
        batch_op.drop_index(batch_op.f('ix_subscription_instance_values_resource_type_id'))

    op.drop_table('subscription_instance_values')
    with op.batch_alter_table('subscription_instance_relations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subscription_instance_relations_depends_on_id'))

    op.drop_table('subscription_instance_relations')
    with op.batch_alter_table('subscription_instances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subscription_instances_subscription_id'))
        batch_op.drop_index(batch_op.f('ix_subscription_instances_product_block_id'))

    op.drop_table('subscription_instances')
    with op.batch_alter_table('processes_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_processes_subscriptions_subscription_id'))
        batch_op.drop_index('ix_processes_subscriptions_process_id_subscription_id')

    op.drop_table('processes_subscriptions')
    with op.batch_alter_table('subscriptions', schema=None) as batch_op:
        batch_op.drop_index('ix_subscriptions_status')
        batch_op.drop_index('ix_subscriptions_product_id_status')
        batch_op.drop_index('ix_subscriptions_customer_id_status')

    op.drop_table('subscriptions')
    with op.batch_alter_table('products_workflows', schema=None) as batch_op:
        batch_op.drop_index('ix_products_workflows_workflow_id')

    op.drop_table('products_workflows')
    op.drop_table('product_product_blocks')
    op.drop_table('product_block_resource_types')
    with op.batch_alter_table('product_block_relations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_block_relations_depends_on_id'))

    op.drop_table('product_block_relations')
    op.drop_table('fixed_inputs')
    op.drop_table('resource_types')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_products_tag'))

    op.drop_table('products')
    op.drop_table('product_blocks')
