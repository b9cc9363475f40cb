"""A worker killed between taking a flow run and starting it leaves a process that is reaped
like any crash and resumes, instead of sitting `created` unnoticed."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, transaction
from orchestrator_core.db.base import utcnow
from orchestrator_core.engine import lease
from orchestrator_core.services.processes import create_process
from orchestrator_core.testing import assert_complete, result_of, resume_workflow
from orchestrator_core.workflow import get_workflow
from tests.engine import engine_workflows  # noqa: F401  (registers conditional_skip)


def test_a_claimed_process_whose_worker_died_is_reaped_and_resumes():
    with transaction() as session:
        process_id = create_process(session, get_workflow("conditional_skip"), [{}], "ops", register=True)

    lease.stamp_taken(process_id)
    assert result_of(process_id).status == "running"

    with transaction() as session:  # the claiming worker died: nobody renews
        session.execute(sa.update(ProcessTable).where(ProcessTable.process_id == process_id)
                        .values(lease_expires_at=utcnow() - timedelta(seconds=1)))
    lease.reap_expired()  # (or the suite's served worker, which reaps this database too)
    assert result_of(process_id).status == "crashed"

    assert_complete(resume_workflow(process_id))
