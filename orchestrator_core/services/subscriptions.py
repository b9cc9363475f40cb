"""The guard: may workflow W start on subscription S now? And the per-subscription lock.

Placeholder until the guard layer lands: the WF_* maps exist (projects mutate them in their
workflows module) and `check_and_lock` is called by the start path inside its transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from orchestrator_core.types import State
from orchestrator_core.workflow import Workflow

WF_USABLE_MAP: dict[str, list[str]] = {}
WF_BLOCKED_BY_IN_USE_BY_SUBSCRIPTIONS: dict[str, bool] = {}
WF_USABLE_WHILE_OUT_OF_SYNC: list[str] = []


def check_and_lock(session: Session, workflow: Workflow, state: State, process_id: Any) -> None:
    """Refuse with a typed error, or lock the subscription for this process, in the caller's transaction."""
    return None


def release_on_abort(session: Session, process_id: Any) -> None:
    """Give the subscriptions an aborted process held back to other workflows."""
    return None
