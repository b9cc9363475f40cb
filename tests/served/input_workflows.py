"""An input step whose form has a rule JSON schema cannot express (a validator), so that only our
validation can refuse some input that Prefect's schema check lets through."""

from __future__ import annotations

from pydantic import field_validator

from orchestrator_core.forms import FormPage
from orchestrator_core.workflow import done, init, inputstep, step, workflow


class ChangeApproval(FormPage):
    approved: bool
    ticket: str

    @field_validator("ticket")
    @classmethod
    def ticket_is_a_change(cls, value: str) -> str:
        if not value.startswith("CHG-"):
            raise ValueError("the ticket must be a change ticket (CHG-...)")
        return value


@step("Prepare the change")
def prepare() -> dict:
    return {"prepared": True}


@inputstep("Approve the change")
def approve_change():
    user_input = yield ChangeApproval
    return user_input.model_dump()


@step("Apply the change")
def apply_change(approved: bool, ticket: str) -> dict:
    return {"applied": approved, "applied_under": ticket}


@workflow("Waits for an approved change ticket")
def served_change_approval():
    return init >> prepare >> approve_change >> apply_change >> done


class ChangeWindow(FormPage):
    window: str

    @field_validator("window")
    @classmethod
    def window_is_planned(cls, value: str) -> str:
        if value.strip().lower() == "now":
            raise ValueError("a change waits for a maintenance window")
        return value


@inputstep("Approve and schedule the change")
def approve_and_schedule():
    """Two pages: the Prefect UI shows one at a time."""
    approval = yield ChangeApproval
    window = yield ChangeWindow
    return {**approval.model_dump(), **window.model_dump()}


@step("Schedule the change")
def schedule_change(ticket: str, window: str) -> dict:
    return {"scheduled": f"{ticket} in {window}"}


@workflow("Waits for an approved change ticket and its window, a page each")
def served_two_page_approval():
    return init >> prepare >> approve_and_schedule >> schedule_change >> done
