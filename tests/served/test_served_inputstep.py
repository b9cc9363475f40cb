"""Served mode: an input step suspends the flow run in Prefect with the step's form as its run
input, so the Prefect UI shows the form and can resume it. Whichever door the input comes
through (Prefect's resume, our service), our form validation decides, and our step log records it.
"""

from __future__ import annotations

import httpx
import pytest

from orchestrator_core.services.process_queries import get_process
from orchestrator_core.services.processes import resume_process, start_process
from tests.served import input_workflows
from tests.served.conftest import serving, wait_for, wait_for_flow_run

WORKFLOW = input_workflows.served_change_approval.name
TWO_PAGES = input_workflows.served_two_page_approval.name


@pytest.fixture()
def served(served_worker, monkeypatch):
    with serving(served_worker, monkeypatch, WORKFLOW, TWO_PAGES) as worker:
        yield worker


def start_and_suspend(served) -> tuple:
    process_id = start_process(WORKFLOW, [{}], "ops", wait=False)
    assert wait_for(process_id, {"suspended"}, served) == "suspended"
    flow_run_id = get_process(process_id).flow_run_id
    state = wait_for_flow_run(served["api"], flow_run_id, "PAUSED", served, name="Suspended")
    return process_id, flow_run_id, state


def resume_in_prefect(served, flow_run_id, run_input: dict) -> dict:
    """What the Prefect UI's resume form sends."""
    answer = httpx.post(f"{served['api']}/flow_runs/{flow_run_id}/resume", json={"run_input": run_input})
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def test_input_step_pauses_the_flow_run_with_the_form_as_its_run_input_schema(served):
    process_id, flow_run_id, state = start_and_suspend(served)

    keyset = state["state_details"]["run_input_keyset"]
    schema = httpx.get(f"{served['api']}/flow_runs/{flow_run_id}/input/{keyset['schema']}").json()
    assert {"approved", "ticket"} <= set(schema["properties"])
    assert set(schema["required"]) >= {"approved", "ticket"}
    view = get_process(process_id)
    assert [(s.name, s.status) for s in view.steps][-1] == ("Approve the change", "suspend")


def test_resume_from_prefect_with_valid_input_completes_with_the_input_in_the_state(served):
    process_id, flow_run_id, _ = start_and_suspend(served)

    assert resume_in_prefect(served, flow_run_id, {"approved": True, "ticket": "CHG-42"})["status"] == "ACCEPT"

    assert wait_for(process_id, {"completed"}, served) == "completed"
    view = get_process(process_id)
    assert view.flow_run_id == flow_run_id  # the same flow run, resumed
    final = view.steps[-1].state
    assert final["approved"] is True and final["ticket"] == "CHG-42"
    assert final["applied_under"] == "CHG-42"
    approve = [s for s in view.steps if s.name == "Approve the change"]
    assert [s.status for s in approve] == ["suspend", "success"]
    assert approve[-1].created_by == "prefect-ui"  # the door the input came through
    wait_for_flow_run(served["api"], flow_run_id, "COMPLETED", served)


def test_input_refused_by_prefects_schema_leaves_the_process_suspended(served):
    process_id, flow_run_id, _ = start_and_suspend(served)

    answer = resume_in_prefect(served, flow_run_id, {"approved": "perhaps"})

    assert answer["status"] == "REJECT"
    assert get_process(process_id, with_steps=False).status == "suspended"
    wait_for_flow_run(served["api"], flow_run_id, "PAUSED", served, name="Suspended")


def test_input_refused_by_our_form_leaves_the_process_suspended_and_the_form_open(served):
    """The schema cannot say 'a change ticket'; our validator can. The run goes back to waiting."""
    process_id, flow_run_id, _ = start_and_suspend(served)

    assert resume_in_prefect(served, flow_run_id, {"approved": True, "ticket": "INC-7"})["status"] == "ACCEPT"

    state = wait_for_flow_run(served["api"], flow_run_id, "PAUSED", served, name="Suspended")
    assert "-2" in state["state_details"]["pause_key"]  # a fresh suspension, the form open again
    view = get_process(process_id)
    assert view.status == "suspended"
    assert [s.status for s in view.steps if s.name == "Approve the change"] == ["suspend"]
    assert "applied_under" not in view.steps[-1].state

    assert resume_in_prefect(served, flow_run_id, {"approved": True, "ticket": "CHG-7"})["status"] == "ACCEPT"
    assert wait_for(process_id, {"completed"}, served) == "completed"
    assert get_process(process_id).steps[-1].state["applied_under"] == "CHG-7"


def test_resume_through_our_service_still_works_on_a_paused_flow_run(served):
    process_id, flow_run_id, _ = start_and_suspend(served)

    resume_process(process_id, [{"approved": False, "ticket": "CHG-1"}], user="ops", wait=False)

    assert wait_for(process_id, {"completed"}, served) == "completed"
    view = get_process(process_id)
    assert view.flow_run_id == flow_run_id
    assert view.steps[-1].state["applied"] is False
    assert [s.created_by for s in view.steps if s.name == "Approve the change"][-1] == "ops"


def _form_fields(served, flow_run_id, state) -> set[str]:
    keyset = state["state_details"]["run_input_keyset"]
    return set(httpx.get(f"{served['api']}/flow_runs/{flow_run_id}/input/{keyset['schema']}").json()["properties"])


def test_a_form_of_two_pages_is_filled_in_the_prefect_ui_a_page_at_a_time(served):
    process_id = start_process(TWO_PAGES, [{}], "ops", wait=False)
    assert wait_for(process_id, {"suspended"}, served) == "suspended"
    flow_run_id = get_process(process_id).flow_run_id
    state = wait_for_flow_run(served["api"], flow_run_id, "PAUSED", served, name="Suspended")
    assert _form_fields(served, flow_run_id, state) == {"approved", "ticket"}

    assert resume_in_prefect(served, flow_run_id, {"approved": True, "ticket": "CHG-9"})["status"] == "ACCEPT"
    state = wait_for_flow_run(served["api"], flow_run_id, "PAUSED", served, name="Suspended")
    assert state["state_details"]["pause_key"].endswith("-2")
    assert _form_fields(served, flow_run_id, state) == {"window"}  # the second page
    assert get_process(process_id, with_steps=False).status == "suspended"  # nothing committed yet

    assert resume_in_prefect(served, flow_run_id, {"window": "now"})["status"] == "ACCEPT"  # our form refuses it
    state = wait_for_flow_run(served["api"], flow_run_id, "PAUSED", served, name="Suspended")
    assert state["state_details"]["pause_key"].endswith("-3")
    assert _form_fields(served, flow_run_id, state) == {"window"}  # the same page again, the first one kept

    assert resume_in_prefect(served, flow_run_id, {"window": "sunday 02:00"})["status"] == "ACCEPT"
    assert wait_for(process_id, {"completed"}, served) == "completed"
    final = get_process(process_id).steps[-1].state
    assert (final["ticket"], final["window"], final["scheduled"]) == ("CHG-9", "sunday 02:00", "CHG-9 in sunday 02:00")
    approve = [s for s in get_process(process_id).steps if s.name == "Approve and schedule the change"]
    assert [s.status for s in approve] == ["suspend", "success"]
    assert approve[-1].created_by == "prefect-ui"
