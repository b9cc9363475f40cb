"""A failed process resumes at the failed step; committed steps never run again."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from orchestrator_core.db import transaction
from orchestrator_core.testing import (
    assert_complete,
    assert_failed,
    extract_error,
    resume_workflow,
    run_workflow,
)
from tests.engine.engine_workflows import attempts_file


def committed_effects(process_id) -> list[str]:
    with transaction() as s:
        return list(s.execute(sa.text("SELECT step FROM step_effects WHERE process_id = :p"),
                              {"p": str(process_id)}).scalars())


def attempts(process_id) -> list[str]:
    return attempts_file(str(process_id)).read_text().splitlines()


def test_failed_step_is_visible_and_resume_runs_only_failed_and_later_steps():
    result = run_workflow("five_steps_third_fails_once")

    assert_failed(result)
    assert extract_error(result) == "step 3 fails on its first attempt"
    assert result.process.last_step == "Step 3"
    assert "ValueError" in result.process.traceback

    result = resume_workflow(result)

    assert_complete(result)
    assert attempts(result.process_id) == ["Step 1", "Step 2", "Step 3", "Step 3", "Step 4", "Step 5"]
    assert [(s.name, s.status) for s in result.steps] == [
        ("Start", "success"), ("Step 1", "success"), ("Step 2", "success"), ("Step 3", "failed"),
        ("Step 3", "success"), ("Step 4", "success"), ("Step 5", "success"), ("Done", "complete"),
    ]
    # the failed attempt's write was rolled back with it: one committed effect per step
    assert sorted(committed_effects(result.process_id)) == [f"Step {i}" for i in range(1, 6)]


def test_idempotency_key_is_process_id_and_step_index():
    result = resume_workflow(run_workflow("five_steps_third_fails_once"))

    assert result.state["key_1"] == f"{result.process_id}:1"
    assert result.state["key_4"] == f"{result.process_id}:4"


def test_a_completed_process_is_not_resumable():
    from orchestrator_core.errors import ProcessNotResumableError

    result = resume_workflow(run_workflow("five_steps_third_fails_once"))

    with pytest.raises(ProcessNotResumableError, match="is completed"):
        resume_workflow(result)
