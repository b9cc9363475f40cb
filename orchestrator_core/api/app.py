"""The HTTP API: `OrchestratorCore`, the FastAPI app an application builds in its wsgi.py, as with the
reference (`app = OrchestratorCore(base_settings=AppSettings())`, served by `uvicorn wsgi:app`), and
the one `orchestrator serve` builds. Routers, the one error mapping, OpenAPI at /api/openapi.json.
"""

from __future__ import annotations

from orchestrator_core.engine.prefect_runtime import apply_environment_defaults

apply_environment_defaults()  # an application's wsgi.py is an entry point too: before Prefect is imported

import logging  # noqa: E402
from typing import Any  # noqa: E402

from fastapi import Depends, FastAPI  # noqa: E402
from fastapi.responses import JSONResponse, Response  # noqa: E402

from orchestrator_core import __version__  # noqa: E402
from orchestrator_core.api import errors, ws_events  # noqa: E402
from orchestrator_core.api.auth import reader  # noqa: E402
from orchestrator_core.api.graphql import router as graphql_api  # noqa: E402
from orchestrator_core.api.request_guard import RequestGuard  # noqa: E402
from orchestrator_core.api.routers import (  # noqa: E402
    health,
    processes,
    products,
    settings,
    subscriptions,
    translations,
    web,
    workflows,
)
from orchestrator_core.bootstrap import bootstrap  # noqa: E402
from orchestrator_core.logging_setup import configure_logging  # noqa: E402
from orchestrator_core.services import execution  # noqa: E402
from orchestrator_core.services.authorization import check_prefect_door  # noqa: E402
from orchestrator_core.settings import AppSettings, app_settings  # noqa: E402

logger = logging.getLogger(__name__)


class OrchestratorCore(FastAPI):
    """The orchestrator's REST API (and its small web page) as one FastAPI app.

    `base_settings` become the process's settings: every service reads `app_settings`, so values
    that differ from it are copied onto it, and a changed database URL (ORCHESTRATOR_DATABASE_URL or
    the reference's DATABASE_URI) points the process's engine there. Building the app imports the
    built-in workflows and ORCHESTRATOR_WORKFLOW_MODULES (none by default: an application's wsgi.py
    imports its own workflows first, as with the reference), and configures logging (as the reference's
    app does).

    Before it serves, in embedded mode without PREFECT_API_URL, it starts this process's one temporary
    Prefect server, stopped when it shuts down (services/execution.py). In served mode it refuses to
    start with our auth on and Prefect's API open (`check_prefect_door`, as `orchestrator worker` does).

    Every route but /api/health, the web page's own files and the OpenAPI document needs a bearer token
    when auth is on (`reader`); every request first passes the request guard (Host, Origin and
    Content-Type of writes, body size, loopback-only without auth).
    """

    graphql_router: Any | None = None
    """Always None: /api/graphql is our own router (`orchestrator_core.api.graphql`), see `register_graphql`."""

    def __init__(
        self,
        title: str = "Orchestrator",
        description: str = "Start, follow, retry and abort workflows on subscriptions; executed by Prefect.",
        openapi_url: str = "/api/openapi.json",
        docs_url: str = "/api/docs",
        redoc_url: str | None = "/api/redoc",
        version: str = __version__,
        default_response_class: type[Response] = JSONResponse,
        base_settings: AppSettings = app_settings,
        load_workflows: bool = True,
        **kwargs: Any,
    ) -> None:
        _adopt_settings(base_settings)
        configure_logging()
        bootstrap()
        self.base_settings = base_settings
        if load_workflows:
            from orchestrator_core.services.workflow_registry import load_workflow_modules

            load_workflow_modules()
        super().__init__(
            title=title,
            description=description,
            openapi_url=openapi_url,
            docs_url=docs_url,
            redoc_url=redoc_url,
            version=version,
            default_response_class=default_response_class,
            **kwargs,
        )
        errors.install(self)
        # before the API accepts work: this process's Prefect server (embedded, no PREFECT_API_URL), the reaper
        self.router.on_startup.append(execution.start)
        self.router.on_startup.append(check_prefect_door)  # an application's own `uvicorn wsgi:app` too
        self.router.on_shutdown.append(execution.stop)
        for module in (processes, subscriptions, products, workflows, settings, translations):
            self.include_router(module.router, dependencies=[Depends(reader)], responses=PROTECTED_RESPONSES)
        self.include_router(graphql_api, dependencies=[Depends(reader)], responses=PROTECTED_RESPONSES)
        for module in (health, web, ws_events):  # the WebSocket checks its token itself (a subprotocol)
            self.include_router(module.router)
        self.add_middleware(RequestGuard)

    @staticmethod
    def register_subscription_models(product_to_subscription_model_mapping: dict[str, type[Any]]) -> None:
        """Product name -> SubscriptionModel class, into SUBSCRIPTION_MODEL_REGISTRY (as the reference)."""
        from orchestrator_core.domain import SUBSCRIPTION_MODEL_REGISTRY

        SUBSCRIPTION_MODEL_REGISTRY.update(product_to_subscription_model_mapping)

    def register_graphql(self, *args: Any, **kwargs: Any) -> None:
        """Accepted so that a reference application's wsgi.py runs. /api/graphql is always served (what
        orchestrator-ui reads); an application's own GraphQL types and queries (the arguments) are not
        added, which is logged as a warning."""
        if args or kwargs:
            logger.warning(
                "register_graphql: /api/graphql serves orchestrator-ui's schema only; the application's GraphQL "
                "types and queries (%s) are not added",
                ", ".join([*(type(a).__name__ for a in args), *kwargs]),
            )

    def register_authentication(self, authentication_instance: Any) -> None:
        raise NotImplementedError(_AUTH_INSTEAD)

    def register_authorization(self, authorization_instance: Any) -> None:
        raise NotImplementedError(_AUTH_INSTEAD)

    def register_graphql_authorization(self, graphql_authorization_instance: Any) -> None:
        raise NotImplementedError(_AUTH_INSTEAD)

    def register_internal_authorize_callback(self, callback: Any) -> None:
        raise NotImplementedError(_AUTH_INSTEAD)

    def register_internal_retry_auth_callback(self, callback: Any) -> None:
        raise NotImplementedError(_AUTH_INSTEAD)


PROTECTED_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "No or bad bearer token (auth on), or a bad one (auth off)"},
    403: {"description": "Not authorized, or a write from a foreign origin"},
    413: {"description": "Request body too large"},
    415: {"description": "Request body is not JSON"},
}
"""Answers every protected route may give, besides its own."""

_AUTH_INSTEAD = (
    "oauth2_lib authentication and authorization instances are not supported: set ORCHESTRATOR_AUTH_DISABLED=false "
    "and ORCHESTRATOR_OIDC_JWKS_URL (or ORCHESTRATOR_JWT_SECRET); per-workflow rules are the workflows' "
    "authorize_callback and retry_auth_callback"
)
"""Refused rather than ignored: an application that registers authentication must not get an open API."""


def _adopt_settings(base_settings: AppSettings) -> None:
    if base_settings is app_settings:
        return
    changed = {
        name: getattr(base_settings, name)
        for name in AppSettings.model_fields
        if getattr(base_settings, name) != getattr(app_settings, name)
    }
    for name, value in changed.items():
        setattr(app_settings, name, value)
    if "ORCHESTRATOR_DATABASE_URL" in changed:
        from orchestrator_core.db import database

        database.configure(app_settings.ORCHESTRATOR_DATABASE_URL)
    if changed:
        logger.info("OrchestratorCore: %s taken from base_settings", ", ".join(sorted(changed)))


def create_app(import_workflows: bool = True) -> OrchestratorCore:
    """The app on the process's settings: `OrchestratorCore()`, under the name our tests and tools use."""
    return OrchestratorCore(load_workflows=import_workflows)
