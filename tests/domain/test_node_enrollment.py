"""Every line of the workflow guide that touches the Node Enrollment domain model works."""

from __future__ import annotations

from uuid import uuid4

import pytest
from pydantic import ValidationError
from pydantic_core import to_jsonable_python

import products  # noqa: F401  (registers Node Enrollment in SUBSCRIPTION_MODEL_REGISTRY)
from orchestrator_core.db import transaction
from orchestrator_core.domain import SubscriptionLifecycle, SubscriptionModel, change_lifecycle
from orchestrator_core.migrations.helpers import get_product_id_by_name
from products.product_types.node_enrollment import (
    NodeEnrollment,
    NodeEnrollmentInactive,
    NodeEnrollmentProvisioning,
)


def _product_id() -> str:
    with transaction() as s:
        return str(get_product_id_by_name(s, "Node Enrollment"))


def test_the_guides_node_enrollment_lifecycle():
    product, customer_id = _product_id(), str(uuid4())
    with transaction():  # construct_node_enrollment_model
        subscription = NodeEnrollmentInactive.from_product_id(
            product_id=product, customer_id=customer_id, status=SubscriptionLifecycle.INITIAL
        )
        subscription.ne.esdb_node_id = 1234
        subscription.description = "Node rt1-lab Initial Subscription"
        subscription.ne.uuid = str(uuid4())
        subscription.ne.nso_service_id = uuid4()
        subscription.ne.routing_domain = "esnet-293"
        subscription.save()
    state = to_jsonable_python(
        {"subscription": subscription, "subscription_id": subscription.subscription_id}
    )

    with transaction():  # update_subscription_name_and_description(subscription: NodeEnrollmentProvisioning)
        subscription = NodeEnrollmentProvisioning.from_subscription(state["subscription"]["subscription_id"])
        subscription = change_lifecycle(subscription, SubscriptionLifecycle.PROVISIONING)
        subscription.description = "Node rt1-lab Provisioned (without system service)"
        subscription.save()

    with transaction():  # load_initial_state + Activate Subscription
        subscription = NodeEnrollment.from_subscription(state["subscription_id"])
        subscription = change_lifecycle(subscription, SubscriptionLifecycle.ACTIVE)
        subscription.description = "Node rt1-lab Production"
        subscription.save()
    state = to_jsonable_python({"subscription": subscription})

    assert state["subscription"]["ne"]["esdb_node_id"] == 1234  # the terminate step's read
    with transaction():
        loaded = SubscriptionModel.from_subscription(state["subscription"]["subscription_id"])
    assert type(loaded) is NodeEnrollment
    assert loaded.status == SubscriptionLifecycle.ACTIVE and loaded.start_date is not None
    assert loaded.ne.routing_domain == "esnet-293"


def test_provisioning_needs_the_ids_the_create_workflow_sets():
    with transaction():
        subscription = NodeEnrollmentInactive.from_product_id(_product_id(), str(uuid4()))
    subscription.ne.esdb_node_id = 1
    with pytest.raises(ValidationError, match="ne.nso_service_id"):
        change_lifecycle(subscription, SubscriptionLifecycle.PROVISIONING)
