"""The validation sweep: one task process (one flow run) and one validate process per subscription."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, WorkflowTable, transaction
from orchestrator_core.db.subscription_tables import ProcessSubscriptionTable
from orchestrator_core.testing import assert_complete, extract_state, run_workflow
from tests.node_enrollment.conftest import subscription_row


def _validations_of(subscription_id: str) -> list[tuple[str, uuid.UUID | None]]:
    with transaction() as session:
        rows = session.execute(
            sa.select(ProcessTable.last_status, ProcessTable.flow_run_id)
            .join(ProcessSubscriptionTable, ProcessSubscriptionTable.process_id == ProcessTable.process_id)
            .join(WorkflowTable, WorkflowTable.workflow_id == ProcessTable.workflow_id)
            .where(ProcessSubscriptionTable.subscription_id == uuid.UUID(subscription_id),
                   WorkflowTable.name == "validate_node_enrollment")).all()
    return [tuple(r) for r in rows]


def test_the_sweep_validates_every_active_subscription_in_one_flow_run(enrollment, fake_network):
    healthy = [enrollment("active", node) for node in ("ams-rt1", "lon-rt1")]
    broken = enrollment("active", "ams-rt2")
    provisioning = enrollment("provisioning", "ams-rt1")
    fake_network.devices.pop("ams-rt2")

    result = run_workflow("task_validate_subscriptions", {})
    assert_complete(result)
    summary = extract_state(result)["validation"]
    assert summary["validated"] >= 2
    failed = {f["subscription_id"]: f["reason"] for f in summary["failed"]}  # other tests' leftovers may fail too
    assert failed[broken] == "Device not found in NSO" and not set(healthy) & set(failed)

    flow_run = result.process.flow_run_id
    assert flow_run is not None
    for sid in healthy:
        assert _validations_of(sid) == [("completed", flow_run)]
        assert subscription_row(sid)["insync"] is True
    assert _validations_of(broken) == [("failed", flow_run)]
    assert _validations_of(provisioning) == []  # only ACTIVE subscriptions are swept
