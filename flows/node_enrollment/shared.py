"""What several Node Enrollment workflows share: the role choice and the guide's first step."""

from __future__ import annotations

from orchestrator_core.types import State, UUIDstr
from orchestrator_core.workflow import step
from products.product_blocks.node_enrollment import NodeRole
from products.product_types.node_enrollment import NodeEnrollment


def map_role(role_id: str, select_node: str) -> NodeRole:
    """The node's role: the one chosen on the form, else guessed from its name (rtN -> core)."""
    if role_id:
        return NodeRole(role_id)
    return NodeRole.CORE if "-rt" in select_node else NodeRole.EDGE


@step("Load initial state")
def load_initial_state(subscription_id: UUIDstr) -> State:
    """The guide's first step of an associated workflow; the node name feeds the later steps."""
    subscription = NodeEnrollment.from_subscription(subscription_id)

    return {
        "subscription": subscription,
        "node_name": subscription.ne.node_name,
    }
