"""A changed subscription is saved with its step or not at all."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from orchestrator_core.db import get_engine, transaction
from orchestrator_core.domain import SubscriptionLifecycle, change_lifecycle
from orchestrator_core.migrations import helpers
from orchestrator_core.testing import assert_complete, assert_failed, run_workflow
from orchestrator_core.workflow import done, init, step, workflow
from tests.domain.conftest import filled_sink, new_shared
from tests.domain.products_under_test import SinkInactive


def _saved_sink(test_products) -> SinkInactive:
    """An active, in-sync subscription: the guard lets workflows run on it."""
    shared = new_shared(test_products)
    with transaction():
        sink = change_lifecycle(filled_sink(test_products, shared), SubscriptionLifecycle.ACTIVE)
        sink.insync = True
        sink.save()
    return sink


def _load(subscription_id) -> dict:
    """The subscription as stored, less `insync`: the guard's per-process lock, not the step's change."""
    with transaction():
        return SinkInactive.from_subscription(subscription_id).model_dump(mode="json", exclude={"insync"})


def test_a_unit_of_work_that_saves_and_then_raises_leaves_the_subscription_as_it_was(test_products):
    sink = _saved_sink(test_products)
    before = _load(sink.subscription_id)

    with pytest.raises(RuntimeError), transaction():
        loaded = SinkInactive.from_subscription(sink.subscription_id)
        loaded.root.title = "changed"
        loaded.root.leaves.pop()
        loaded.root.leaf.int_field = 42
        loaded.description = "changed"
        loaded.save()
        raise RuntimeError("the device refused the change")

    assert _load(sink.subscription_id) == before


@step("Retitle and fail")
def retitle_and_fail(subscription: SinkInactive) -> dict:
    subscription.root.title = "changed by a failing step"
    subscription.save()
    raise RuntimeError("NSO refused the change")


@step("Retitle")
def retitle(subscription: SinkInactive) -> dict:
    subscription.root.title = "changed by a step"
    return {"subscription": subscription}


@workflow("Domain test: a step that changes the subscription and fails")
def domain_retitle_fails():
    return init >> retitle_and_fail >> done


@workflow("Domain test: a step that changes the subscription")
def domain_retitle():
    return init >> retitle >> done


@pytest.fixture(autouse=True, scope="module")
def workflows_linked_to_test_sink():
    """The guard runs workflows only on products they are registered for."""
    with get_engine().begin() as conn:
        for wf in (domain_retitle_fails, domain_retitle):
            helpers.create_workflow(
                conn, {"name": wf.name, "target": "SYSTEM", "description": wf.description, "tag": "TestSink"}
            )


def test_a_failing_step_leaves_the_subscription_as_it_was_before_the_step(test_products):
    sink = _saved_sink(test_products)
    before = _load(sink.subscription_id)

    result = run_workflow("domain_retitle_fails", {"subscription_id": str(sink.subscription_id)})

    assert_failed(result)
    assert _load(sink.subscription_id) == before


def test_a_succeeding_step_commits_the_change_and_its_step_row(test_products):
    sink = _saved_sink(test_products)

    result = run_workflow("domain_retitle", {"subscription_id": str(sink.subscription_id)})

    assert_complete(result)
    assert _load(sink.subscription_id)["root"]["title"] == "changed by a step"
    with transaction() as s:
        state = s.scalar(
            sa.text("SELECT state FROM process_steps WHERE process_id = :p AND name = 'Retitle'"),
            {"p": result.process_id},
        )
    if isinstance(state, str):
        import json

        state = json.loads(state)
    assert state["subscription"]["root"]["title"] == "changed by a step"
    assert state["subscription"]["version"] == 2
