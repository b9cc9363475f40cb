"""The workflows of each product, and the system tasks; importing this registers them."""

import products  # noqa: F401  (registers the subscription models the workflows load)
from flows import node_enrollment  # noqa: F401
from orchestrator_core.workflows import tasks  # noqa: F401
