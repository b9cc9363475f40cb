"""Our system of record: tables, engine and the unit of work."""

from orchestrator_core.db.base import Base
from orchestrator_core.db.database import (
    NoTransactionError,
    configure,
    get_engine,
    is_sqlite,
    lock_for_update,
    read_connection,
    session,
    transaction,
)
from orchestrator_core.db.process_tables import (
    InputStateTable,
    ProcessStepTable,
    ProcessTable,
    WorkflowTable,
)

__all__ = [
    "Base",
    "InputStateTable",
    "NoTransactionError",
    "ProcessStepTable",
    "ProcessTable",
    "WorkflowTable",
    "configure",
    "get_engine",
    "is_sqlite",
    "lock_for_update",
    "read_connection",
    "session",
    "transaction",
]
