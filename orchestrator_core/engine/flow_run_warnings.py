"""Warnings an operator must see where they look: the flow run's logs in the Prefect UI, and ours."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def warn(message: str) -> None:
    """Into the current flow run's logs (when there is one) and ours, with the flow run's id."""
    from prefect.context import FlowRunContext
    from prefect.logging import get_run_logger

    context = FlowRunContext.get()
    if context is None or context.flow_run is None:
        logger.warning(message)
        return
    get_run_logger().warning(message)
    logger.warning("Flow run %s: %s", context.flow_run.id, message)
