"""Small workflows the API tests start over HTTP; the server thread shares this module's flags."""

from __future__ import annotations

from pydantic import Field

from orchestrator_core.forms import FormPage
from orchestrator_core.targets import Target
from orchestrator_core.workflow import done, init, inputstep, step, workflow

FLAKY = {"fail": True}
"""While true, the step `Flaky` raises; a test flips it before retrying."""


class GreetForm(FormPage):
    name: str = Field(min_length=1)
    count: int = Field(ge=1, le=10)


def greet_form():
    user_input = yield GreetForm
    return user_input.model_dump()


@step("Greet")
def greet(name: str) -> dict:
    return {"greeting": f"hello {name}"}


@step("Double")
def double(count: int) -> dict:
    return {"doubled": count * 2}


@workflow("Greet and double", initial_input_form=greet_form)
def api_greet():
    return init >> greet >> double >> done


@step("Prepare")
def greet_nobody() -> dict:
    return {"prepared": True}


@step("Flaky")
def flaky() -> dict:
    if FLAKY["fail"]:
        raise RuntimeError("the device refused the change")
    return {"flaky": "passed"}


@step("After flaky")
def after_flaky() -> dict:
    return {"after": True}


@workflow("Fails until the flag is cleared")
def api_flaky():
    return init >> greet_nobody >> flaky >> after_flaky >> done


class Approval(FormPage):
    approved: bool


@inputstep("Approve")
def approve():
    user_input = yield Approval
    return user_input.model_dump()


@step("Apply")
def apply(approved: bool) -> dict:
    return {"applied": approved}


@workflow("Waits for an approval")
def api_approval():
    return init >> approve >> apply >> done


def _only_admin(user) -> bool:
    return user is not None and user.user_name == "admin"


@workflow("Only admins may start this", authorize_callback=_only_admin)
def api_admin_only():
    return init >> greet_nobody >> done


ALL = ("api_greet", "api_flaky", "api_approval", "api_admin_only")


@step("Record the subscription")
def record_subscription(subscription_id: str) -> dict:
    return {"subscription": {"subscription_id": subscription_id, "description": "as the step left it"}}


@workflow("Leaves a version of the subscription in its state")
def api_snapshot():
    return init >> record_subscription >> done


@workflow("A modify workflow for the page's buttons", target=Target.MODIFY)
def api_modify():
    return init >> greet_nobody >> done


SUBSCRIPTION_WORKFLOWS = ("api_snapshot", "api_modify")
