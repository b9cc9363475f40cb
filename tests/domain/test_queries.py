"""Finding subscriptions, and a subscription's history through the steps that touched it."""

from __future__ import annotations

import uuid

from orchestrator_core.db import transaction
from orchestrator_core.db.process_tables import ProcessStepTable, ProcessTable, WorkflowTable
from orchestrator_core.db.subscription_tables import ProcessSubscriptionTable
from orchestrator_core.domain import SubscriptionLifecycle, change_lifecycle
from orchestrator_core.domain.queries import subscription_history, subscriptions_by
from tests.domain.conftest import filled_sink, new_shared


def test_subscriptions_by_product_status_and_customer(test_products):
    customer = f"customer-{uuid.uuid4()}"
    shared = new_shared(test_products)
    with transaction():
        initial = filled_sink(test_products, shared, customer)
        initial.save()
        active = change_lifecycle(filled_sink(test_products, shared, customer), SubscriptionLifecycle.ACTIVE)
        active.save()

    with transaction():
        mine = subscriptions_by(customer_id=customer)
        assert {s.subscription_id for s in mine} == {initial.subscription_id, active.subscription_id}
        active_ones = subscriptions_by(product_name="Test Sink", status="active", customer_id=customer)
        assert [s.subscription_id for s in active_ones] == [active.subscription_id]
        by_id = subscriptions_by(
            product_id=test_products["Test Sink"], status=["initial"], customer_id=customer
        )
        assert [s.subscription_id for s in by_id] == [initial.subscription_id]
        assert subscriptions_by(product_tag="TestShared", customer_id=customer) == []


def _record_process(subscription_id, states: list[dict], workflow_name: str) -> uuid.UUID:
    with transaction() as s:
        wf = WorkflowTable(name=workflow_name, target="MODIFY", description="history test")
        s.add(wf)
        s.flush()
        process = ProcessTable(workflow_id=wf.workflow_id, last_status="completed")
        s.add(process)
        s.flush()
        s.add(
            ProcessSubscriptionTable(
                process_id=process.process_id, subscription_id=subscription_id, workflow_target="MODIFY"
            )
        )
        for index, state in enumerate(states):
            s.add(
                ProcessStepTable(
                    process_id=process.process_id,
                    step_index=index,
                    name=f"step {index}",
                    status="success",
                    state=state,
                )
            )
        return process.process_id


def test_history_is_the_subscription_after_each_step_of_each_process(test_products):
    shared = new_shared(test_products)
    with transaction():
        sink = filled_sink(test_products, shared)
        sink.save()
    sub = sink.model_dump(mode="json")
    other = {**sub, "subscription_id": str(uuid.uuid4())}
    first = _record_process(
        sink.subscription_id,
        [
            {"subscription_id": sub["subscription_id"]},
            {"subscription": {**sub, "description": "after step 1"}},
        ],
        f"history-a-{uuid.uuid4()}",
    )
    second = _record_process(
        sink.subscription_id,
        [
            {"subscription": other},
            {"subscription": {**sub, "description": "after step 2"}},
        ],
        f"history-b-{uuid.uuid4()}",
    )

    with transaction():
        history = subscription_history(sink.subscription_id)

    assert [(h.process_id, h.step_index) for h in history] == [(first, 1), (second, 1)]
    assert [h.subscription["description"] for h in history] == ["after step 1", "after step 2"]
    assert history[0].workflow_target == "MODIFY"
