"""The use cases decide authorization for the caller a door passes (services/processes.py), so every
door gets the same answer, taken under the process's lock: the API passes its user, the CLI and
scripts act as operators, whom the callbacks are not asked about."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, WorkflowTable, transaction
from orchestrator_core.errors import ForbiddenError
from orchestrator_core.services.process_queries import get_process
from orchestrator_core.services.processes import abort_process, resume_process, start_process
from orchestrator_core.workflow import done, init, step, workflow

FAIL = {"now": True}
ADMIN = SimpleNamespace(user_name="admin")


def _admin(user) -> bool:
    return user is not None and user.user_name == "admin"


@step("Configure once")
def configure_once() -> dict:
    if FAIL["now"]:
        raise RuntimeError("the device refused the change")
    return {"configured": True}


@workflow("Only admins may start or retry this", authorize_callback=_admin)
def wiring_admin_only():
    return init >> configure_once >> done


def _processes() -> int:
    with transaction() as s:
        return s.execute(sa.select(sa.func.count()).select_from(ProcessTable).join(WorkflowTable)
                         .where(WorkflowTable.name == "wiring_admin_only")).scalar_one()


@pytest.fixture()
def failed_process():
    FAIL["now"] = True
    process_id = start_process("wiring_admin_only", [{}], "ops", register=True)  # an operator: not asked
    assert get_process(process_id).status == "failed"
    FAIL["now"] = False
    return process_id


def test_a_start_is_refused_for_the_caller_before_anything_is_written(failed_process):
    before = _processes()
    with pytest.raises(ForbiddenError) as refused:
        start_process("wiring_admin_only", [{}], "anonymous", caller=None)
    assert refused.value.details["reason"] == "start_not_authorized"
    assert _processes() == before


def test_retry_and_abort_are_decided_for_the_caller(failed_process):
    for act in (resume_process, abort_process):
        with pytest.raises(ForbiddenError):
            act(failed_process, caller=None)
        assert get_process(failed_process).status == "failed"

    resume_process(failed_process, user="admin", caller=ADMIN)
    assert get_process(failed_process).status == "completed"
