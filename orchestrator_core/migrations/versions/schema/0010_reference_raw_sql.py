"""Raw-SQL registrations written for the reference's schema work here; the built-in tasks are core

Applications' data migrations insert rows with plain SQL (`INSERT INTO workflows(name, target,
description) VALUES (...)`), leaving ids, timestamps and flags to the database, and call the
`uuid-ossp` functions (`uuid_generate_v4()`) that the reference's schema installs. So on
Postgres every generated key gets a server default, every creation time `now()`, every flag
its default, and `uuid-ossp` is created where the server has it. The validation sweep
(`task_validate_subscriptions`) is registered here, with the core, not by an application.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import logging

from alembic import op

from orchestrator_core.migrations import helpers

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

logger = logging.getLogger(__name__)

GENERATED_KEYS = {
    "workflows": "workflow_id",
    "processes": "process_id",
    "products": "product_id",
    "product_blocks": "product_block_id",
    "resource_types": "resource_type_id",
    "fixed_inputs": "fixed_input_id",
    "subscriptions": "subscription_id",
    "subscription_instances": "subscription_instance_id",
    "subscription_instance_values": "subscription_instance_value_id",
    "processes_subscriptions": "id",
    "input_states": "input_state_id",
}
CREATION_TIMES = {
    "workflows": ["created_at"],
    "products": ["created_at"],
    "product_blocks": ["created_at"],
    "fixed_inputs": ["created_at"],
    "processes": ["started_at", "last_modified_at"],
    "process_steps": ["started_at", "completed_at"],
    "processes_subscriptions": ["created_at"],
    "input_states": ["input_time"],
}
LITERALS = {
    ("workflows", "is_task"): "false",
    ("workflows", "description"): "''",
    ("product_blocks", "description"): "''",
    ("processes", "is_task"): "false",
    ("processes", "assignee"): "'SYSTEM'",
    ("subscriptions", "insync"): "false",
}

BUILTIN_TASKS = [{"name": "task_validate_subscriptions", "description": "Validate subscriptions"}]


def _defaults() -> list[tuple[str, str, str]]:
    keys = [(table, column, "gen_random_uuid()") for table, column in GENERATED_KEYS.items()]
    times = [(table, column, "now()") for table, columns in CREATION_TIMES.items() for column in columns]
    literals = [(table, column, value) for (table, column), value in LITERALS.items()]
    return keys + times + literals


def _create_uuid_ossp() -> None:
    """In a savepoint: a server without the contrib package still migrates, and says what is missing."""
    conn = op.get_bind()
    try:
        with conn.begin_nested():
            conn.exec_driver_sql('CREATE EXTENSION IF NOT EXISTS "uuid-ossp"')
    except Exception as exc:  # any refusal by the server means the same: not available
        logger.warning("uuid-ossp is not available (%s); migrations calling uuid_generate_v4() will fail", exc)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _create_uuid_ossp()
        for table, column, default in _defaults():
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {default}")
    for task in BUILTIN_TASKS:
        helpers.create_task(op.get_bind(), task)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, column, _default in _defaults():
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT")
