"""The FastAPI application: routers, the one error mapping, OpenAPI at /api/openapi.json."""

from __future__ import annotations

import importlib
import logging

from fastapi import FastAPI

from orchestrator_core.api import errors
from orchestrator_core.api.routers import health, processes, products, subscriptions, web, workflows
from orchestrator_core.settings import app_settings

logger = logging.getLogger(__name__)


def _import_workflow_modules() -> None:
    """Workflows register themselves on import; the API can only start what this process has code for."""
    for module in app_settings.ORCHESTRATOR_WORKFLOW_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            logger.warning("Workflow module %r not found; its workflows cannot be started here", module)


def create_app(import_workflows: bool = True) -> FastAPI:
    if import_workflows:
        _import_workflow_modules()
    app = FastAPI(
        title="Orchestrator",
        version="0.1.0",
        description="Start, follow, retry and abort workflows on subscriptions; executed by Prefect.",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    errors.install(app)
    for module in (processes, subscriptions, products, workflows, health, web):
        app.include_router(module.router)
    return app
