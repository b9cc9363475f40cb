"""Workflows whose authorization callbacks refuse an anonymous caller (None): what every action
taken in the Prefect UI is, since Prefect has no user identity. Loaded by the served worker too."""

from __future__ import annotations

from orchestrator_core.forms import FormPage
from orchestrator_core.workflow import done, init, inputstep, step, workflow
from tests.attempts import count_attempt


def identified(user) -> bool:
    """Anyone who is someone: refuses only the anonymous caller."""
    return user is not None


class OperatorApproval(FormPage):
    approved: bool


@step("Prepare the work")
def prepare_work() -> dict:
    return {"prepared": True}


@inputstep("Approve as an operator", resume_auth_callback=identified)
def approve_as_operator():
    user_input = yield OperatorApproval
    return user_input.model_dump()


@step("Do the work")
def do_work(approved: bool) -> dict:
    return {"done": approved}


@workflow("Waits for an approval that only an identified user may give")
def guarded_approval():
    return init >> prepare_work >> approve_as_operator >> do_work >> done


@step("Before the failure")
def before_failure(process_id: str) -> dict:
    count_attempt(process_id, "Before the failure")
    return {"before": True}


@step("Fails once")
def fails_once(process_id: str) -> dict:
    if count_attempt(process_id, "Fails once") == 1:
        raise RuntimeError("the device refused the change")
    return {"passed": True}


@workflow("Fails once; only an identified user may retry it", retry_auth_callback=identified)
def guarded_retry():
    return init >> before_failure >> fails_once >> done


@workflow("Only an identified user may start it", authorize_callback=identified)
def guarded_start():
    return init >> prepare_work >> done


@workflow("Only an identified user may start it; the served stack schedules it (ORCHESTRATOR_SCHEDULED_TASKS)",
          authorize_callback=identified)
def guarded_nightly():
    return init >> prepare_work >> done
