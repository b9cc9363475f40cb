"""The built-in `modify_note` workflow: edit a subscription's free-text note.

The note lives only in the orchestrator, so, as in the reference system, it is listed in
WF_USABLE_WHILE_OUT_OF_SYNC: it runs while another workflow holds the subscription and takes
no lock itself. It is linked to every product through DEFAULT_PRODUCT_WORKFLOWS.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from pydantic import Field

from orchestrator_core.db import session
from orchestrator_core.db.subscription_tables import SubscriptionTable
from orchestrator_core.forms import FormPage
from orchestrator_core.targets import Target
from orchestrator_core.types import FormGenerator, State, UUIDstr
from orchestrator_core.workflow import StepList, done, init, step, workflow
from orchestrator_core.workflows.forms import wrap_modify_initial_input_form
from orchestrator_core.workflows.steps import store_process_subscription, subscription_snapshot

NOTE_LENGTH = 5000


def _id(subscription_id: UUIDstr | uuid.UUID) -> uuid.UUID:
    """The state holds the id as text; the column compares UUIDs (SQLite's driver takes no text for them)."""
    return subscription_id if isinstance(subscription_id, uuid.UUID) else uuid.UUID(str(subscription_id))


def initial_input_form(subscription_id: UUIDstr) -> FormGenerator:
    old_note = session().execute(
        sa.select(SubscriptionTable.note).where(SubscriptionTable.subscription_id == _id(subscription_id))
    ).scalar_one_or_none()

    class ModifyNoteForm(FormPage):
        note: str = Field(default=old_note or "", max_length=NOTE_LENGTH)

    user_input = yield ModifyNoteForm
    return {"old_note": old_note, "note": user_input.note}


@step("Store note")
def store_subscription_note(subscription_id: UUIDstr, note: str) -> State:
    session().execute(
        sa.update(SubscriptionTable)
        .where(SubscriptionTable.subscription_id == _id(subscription_id))
        .values(note=note)
    )
    return {"subscription": subscription_snapshot(_id(subscription_id))}


@workflow("Modify Note", initial_input_form=wrap_modify_initial_input_form(initial_input_form),
          target=Target.MODIFY)
def modify_note() -> StepList:
    return init >> store_process_subscription() >> store_subscription_note >> done


__all__: list[Any] = ["modify_note"]
