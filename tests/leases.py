"""What a test waits for when a process's lease must have run out: the committed expiry, read from
our database, is in the past (a step that holds its row keeps the committed value from renewing)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, transaction
from orchestrator_core.db.base import utcnow


def lease_ran_out(process_id: uuid.UUID) -> bool:
    with transaction() as s:
        expires = s.scalar(sa.select(ProcessTable.lease_expires_at).where(ProcessTable.process_id == process_id))
    return expires is not None and expires < utcnow()
