"""Node Enrollment tests: the real migrations, the real engine and Prefect; only ESDB and NSO
are the in-process fakes, reset before every test, as are the guard's WF_* maps."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
import sqlalchemy as sa

import flows  # noqa: F401  (registers the workflows, as `orchestrator` does)
from flows.node_enrollment.clients import NETWORK
from orchestrator_core.db import ProcessTable, transaction
from orchestrator_core.migrations.helpers import get_product_id_by_name
from orchestrator_core.testing import WorkflowResult, assert_complete, run_workflow


@pytest.fixture(autouse=True)
def fake_network():
    NETWORK.reset()
    yield NETWORK
    NETWORK.reset()


@pytest.fixture
def product_id() -> str:
    with transaction() as session:
        return str(get_product_id_by_name(session, "Node Enrollment"))


def create_form(product_id: str, **overrides: object) -> list[dict[str, object]]:
    page = {"customer_id": "customer-1", "select_node": "ams-rt1", "role_id": "core",
            "url": "https://ams-rt1.mgmt.example.net"}
    page.update(overrides)
    return [{"product": product_id}, {k: v for k, v in page.items() if v is not None}]


def on(subscription_id: str) -> dict[str, str]:
    return {"subscription_id": subscription_id}


@pytest.fixture
def enrollment(product_id: str) -> Callable[..., str]:
    """A Node Enrollment driven through the workflows to `until` (provisioning, provisioned, active)."""

    def make(until: str = "active", node: str = "ams-rt1") -> str:
        created = run_workflow("create_node_enrollment", create_form(product_id, select_node=node))
        assert_complete(created)
        sid = created.state["subscription_id"]
        steps = {"provisioning": [], "provisioned": ["provision_node_enrollment"],
                 "active": ["provision_node_enrollment", "modify_node_enrollment"]}[until]
        for name in steps:
            assert_complete(run_workflow(name, on(sid)))
        return sid

    return make


def process_count() -> int:
    with transaction() as session:
        return session.execute(sa.select(sa.func.count()).select_from(ProcessTable)).scalar_one()


def subscription_row(subscription_id: str) -> dict[str, object]:
    from orchestrator_core.db.subscription_tables import SubscriptionTable

    with transaction() as session:
        row = session.get_one(SubscriptionTable, uuid.UUID(subscription_id))
        return {"status": row.status, "insync": row.insync, "description": row.description}


def statuses(result: WorkflowResult) -> list[tuple[str, str]]:
    return [(s.name, s.status) for s in result.steps]
