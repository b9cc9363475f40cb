"""The Node Enrollment workflows of the guide; importing this registers them and their guard rules."""

from flows.node_enrollment.create_node_enrollment import create_node_enrollment
from flows.node_enrollment.modify_node_enrollment import modify_node_enrollment
from flows.node_enrollment.provision_node_enrollment import provision_node_enrollment
from flows.node_enrollment.terminate_node_enrollment import terminate_node_enrollment
from flows.node_enrollment.validate_node_enrollment import validate_node_enrollment
from orchestrator_core.services.subscriptions import WF_USABLE_MAP

WF_USABLE_MAP.update(
    {
        "validate_node_enrollment": ["active", "provisioning"],
        "provision_node_enrollment": ["active", "provisioning"],
        "modify_node_enrollment": ["provisioning"],
    }
)

__all__ = [
    "create_node_enrollment",
    "modify_node_enrollment",
    "provision_node_enrollment",
    "terminate_node_enrollment",
    "validate_node_enrollment",
]
