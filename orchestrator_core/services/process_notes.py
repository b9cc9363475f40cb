"""An operator's note on a process (orchestrator-ui's process list edits it inline; the reference's PATCH)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, transaction
from orchestrator_core.errors import ProcessNotFoundError


def set_note(process_id: uuid.UUID, note: str | None) -> None:
    """Replace the note (None removes it); the process is otherwise untouched."""
    with transaction() as session:
        updated = session.execute(
            sa.update(ProcessTable).where(ProcessTable.process_id == process_id).values(note=note)
            .returning(ProcessTable.process_id)
        ).first()
    if updated is None:
        raise ProcessNotFoundError(f"Process {process_id} does not exist", process_id=str(process_id))
