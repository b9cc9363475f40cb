"""ORCHESTRATOR_PREFECT_UI_ACTIONS decides whether a start from Prefect is put to the workflow's callbacks
at all: `auto` follows our authentication, `deny` and `allow` say so whatever it is. A refusal writes
nothing. (The same decision on the real served stack: test_prefect_door.py, test_prefect_ui_actions.py.)"""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

import tests.engine.engine_workflows  # noqa: F401  (registers five_steps_third_fails_once)
from orchestrator_core.db import ProcessTable, transaction
from orchestrator_core.errors import ForbiddenError
from orchestrator_core.services.prefect_actions import create_process_for_flow_run
from orchestrator_core.settings import app_settings
from tests.api.conftest import register

WORKFLOW = "five_steps_third_fails_once"


@pytest.mark.parametrize(("actions", "auth_disabled", "allowed"), [
    ("auto", True, True), ("auto", False, False), ("deny", True, False), ("allow", False, True)])
def test_a_start_from_prefect_follows_the_setting(actions, auth_disabled, allowed, monkeypatch):
    register(WORKFLOW)
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_PREFECT_UI_ACTIONS", actions)
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_AUTH_DISABLED", auth_disabled)
    flow_run_id = uuid.uuid4()

    if allowed:
        create_process_for_flow_run(WORKFLOW, [{}], flow_run_id)
    else:
        with pytest.raises(ForbiddenError) as refused:
            create_process_for_flow_run(WORKFLOW, [{}], flow_run_id)
        assert refused.value.details["reason"] == "prefect_actions_denied"
        assert f"ORCHESTRATOR_PREFECT_UI_ACTIONS={actions}" in refused.value.message

    with transaction() as session:
        written = session.execute(sa.select(ProcessTable.created_by)
                                  .where(ProcessTable.flow_run_id == flow_run_id)).scalars().all()
    assert written == (["prefect-ui"] if allowed else [])
