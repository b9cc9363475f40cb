"""Replaying the step log reconstructs the state, for any step results and any failing step.

Each example runs a real process on the test database through the runner (without Prefect:
the runner takes a plain invoker), lets one step fail, and compares what resume restores from
the log with the state the process had after its last committed step; then it resumes and
compares the final state with the fold of every result. A step returning a non-dict fails the
process with a reason that says so.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orchestrator_core.db import transaction
from orchestrator_core.engine import step_log
from orchestrator_core.engine.runner import run_process
from orchestrator_core.engine.state import to_json
from orchestrator_core.services.process_queries import get_process
from orchestrator_core.services.processes import create_process
from orchestrator_core.types import ProcessStatus
from orchestrator_core.workflow import StepList, done, get_workflow, init, step, workflow
from tests.json_strategies import step_results

SCRIPTED_STEPS = 5
SCRIPTS: dict[str, dict[str, Any]] = {}
"""Per process id: `results` (one per scripted step) and `fail_at` (index that raises once)."""


def _scripted(i: int):
    @step(f"Scripted {i}")
    def scripted(process_id: str) -> Any:
        script = SCRIPTS[process_id]
        if script["fail_at"] == i:
            script["fail_at"] = None
            raise RuntimeError(f"scripted failure in step {i}")
        return script["results"][i]

    return scripted


@workflow("Steps whose results a property test scripts")
def scripted_results():
    return init >> StepList([_scripted(i) for i in range(SCRIPTED_STEPS)]) >> done


def _new_process(results: list[Any], fail_at: int | None) -> uuid.UUID:
    with transaction() as s:
        process_id = create_process(s, get_workflow("scripted_results"), [{}], "property", register=True)
    SCRIPTS[str(process_id)] = {"results": results, "fail_at": fail_at}
    return process_id


def _fold(initial: dict[str, Any], results: list[Any]) -> dict[str, Any]:
    state = dict(initial)
    for result in results:
        state = to_json({**state, **(result or {})})
    return state


def _replayed(process_id: uuid.UUID) -> step_log.ResumePoint:
    with transaction() as s:
        return step_log.resume_point(s, process_id)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step_results, min_size=SCRIPTED_STEPS, max_size=SCRIPTED_STEPS),
       st.integers(0, SCRIPTED_STEPS - 1))
def test_replay_restores_the_state_after_the_last_committed_step(results, fail_at):
    process_id = _new_process(results, fail_at)
    with transaction() as s:
        initial = step_log.initial_state(s, process_id)

    assert run_process(process_id) == ProcessStatus.FAILED

    point = _replayed(process_id)
    assert point.next_index == fail_at + 1  # `init` is index 0
    assert point.state == _fold(initial, results[:fail_at])

    assert run_process(process_id) == ProcessStatus.COMPLETED
    view = get_process(process_id)
    assert view.status == "completed"
    assert view.state == _fold(initial, results)
    assert _replayed(process_id).state == _fold(initial, results)


@settings(max_examples=10, deadline=None)
@given(st.sampled_from([[1, 2], "configured", 42, ("a", "b")]), st.integers(0, SCRIPTED_STEPS - 1))
def test_a_step_returning_a_non_dict_fails_the_process_with_a_clear_reason(bad, at):
    results: list[Any] = [{"ok": i} for i in range(SCRIPTED_STEPS)]
    results[at] = bad
    process_id = _new_process(results, None)

    assert run_process(process_id) == ProcessStatus.FAILED

    view = get_process(process_id, with_steps=False)
    assert view.failed_reason == (f"Step 'Scripted {at}' returned {type(bad).__name__}; a step must return a dict "
                                  "(or None)")
    assert _replayed(process_id).next_index == at + 1


@pytest.mark.parametrize("huge", [3.838091772045806e16, 1e16, -2.5e300, 1.7976931348623157e308])
def test_a_huge_float_survives_replay(huge):
    """JSONB would print 3.838091772045806e+16 back as the int 38380917720458060: db/json_text writes it
    as its exact digits with '.0', which JSONB keeps."""
    process_id = _new_process([{"bandwidth": huge, "nested": [{"peak": huge}]}, None, None, None, None], 1)
    run_process(process_id)

    replayed = _replayed(process_id).state
    assert (type(replayed["bandwidth"]), replayed["bandwidth"]) == (float, huge)
    assert replayed["nested"] == [{"peak": huge}]
    assert run_process(process_id) == ProcessStatus.COMPLETED
    assert get_process(process_id).state["bandwidth"] == huge


def test_a_step_returning_nan_fails_with_where_it_is_and_commits_nothing_of_it():
    process_id = _new_process([{"ok": 0}, {"ok": 1, "reading": {"loss": float("nan")}}, None, None, None], None)

    assert run_process(process_id) == ProcessStatus.FAILED

    view = get_process(process_id)
    assert "$.reading.loss" in view.failed_reason and "NaN" in view.failed_reason
    assert "reading" not in _replayed(process_id).state
    assert _replayed(process_id).next_index == 2  # init, then the NaN step: it runs again on resume
