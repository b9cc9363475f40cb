"""The subscription as it was after a past step, from the domain layer's history query.

The step log holds the full state after every step, and a step that changed a subscription
carries it there; the domain helper's `subscription_history` finds those. This module picks
the one an operator asks for by (process, step index).
"""

from __future__ import annotations

import uuid
from typing import Any

from orchestrator_core.db import transaction
from orchestrator_core.domain.queries import HistoryEntry, subscription_history


def history(subscription_id: uuid.UUID) -> list[HistoryEntry]:
    with transaction():
        return subscription_history(subscription_id)


def as_after_step(subscription_id: uuid.UUID, process_id: uuid.UUID, step_index: int) -> HistoryEntry | None:
    """The last record of that step (a retried step has a failed and a successful row; the latter wins)."""
    matches = [
        e for e in history(subscription_id) if e.process_id == process_id and e.step_index == step_index
    ]
    return matches[-1] if matches else None


def entry_summary(entry: HistoryEntry) -> dict[str, Any]:
    return {
        "process_id": entry.process_id,
        "workflow_name": entry.workflow_name,
        "workflow_target": entry.workflow_target,
        "step_index": entry.step_index,
        "step_name": entry.step_name,
        "step_status": entry.step_status,
        "completed_at": entry.completed_at,
    }
