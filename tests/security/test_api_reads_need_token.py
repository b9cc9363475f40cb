"""With auth on, every route but health (and the page's own files and the OpenAPI document) answers
401 without a valid bearer token: the routes are read from the app itself, so a route added later is
covered without a change here. With auth off, reads need nothing."""

from __future__ import annotations

import uuid

import pytest
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Route

from orchestrator_core.api.app import create_app
from tests.security.conftest import bearer, hs256_token

OPEN_PATHS = {
    "/api/health",
    "/",
    "/static/app.js",
    "/static/app.css",
    "/api/openapi.json",
    "/api/docs",
    "/docs/oauth2-redirect",
    "/api/redoc",
}
"""What answers without a token when auth is on: health, the web page's own files (the page then asks
for a token), and the API's description."""

APP = create_app(import_workflows=False)


def _url(route: APIRoute) -> str:
    """The route's path with every parameter filled by a value of its type."""
    values = {}
    for param in route.dependant.path_params:
        annotation = param.field_info.annotation
        values[param.name] = str(uuid.uuid4()) if annotation is uuid.UUID else "0" if annotation is int else "api_greet"
    return route.path.format(**values)


def _flat(routes: list[BaseRoute]) -> list[BaseRoute]:
    """Every route of the app, also those of included routers (which FastAPI may keep nested)."""
    found: list[BaseRoute] = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        found.extend(_flat(inner.routes) if inner is not None else [route])
    return found


ROUTES = _flat(APP.routes)


def _routes(*methods: str) -> list[tuple[str, str, str]]:
    return [
        (method, route.path, _url(route))
        for route in ROUTES
        if isinstance(route, APIRoute)
        for method in sorted(route.methods)
        if method in methods
    ]


def _docs_routes() -> set[str]:
    return {route.path for route in ROUTES if isinstance(route, Route) and not isinstance(route, APIRoute)}


GETS = _routes("GET")
WRITES = _routes("POST", "PUT", "PATCH", "DELETE")


def test_the_app_has_the_routes_this_test_expects():
    paths = {path for _, path, _ in GETS}
    assert "/api/processes/{process_id}/events" in paths and "/api/subscriptions" in paths
    assert _docs_routes() <= OPEN_PATHS, "a route that is not an APIRoute must be open on purpose"
    assert len(GETS) >= 15 and WRITES


@pytest.mark.usefixtures("auth_on")
@pytest.mark.parametrize(("method", "template", "url"), GETS + WRITES, ids=[f"{m} {p}" for m, p, _ in GETS + WRITES])
def test_without_a_token_every_route_but_the_open_ones_is_401(client, method, template, url):
    response = client.request(method, url)
    if template in OPEN_PATHS:
        assert response.status_code == 200, response.text
        return
    assert response.status_code == 401, response.text
    assert response.json()["code"] == "auth.unauthenticated"
    assert response.json()["details"]["reason"] == "missing_token"
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.usefixtures("auth_on")
@pytest.mark.parametrize(("method", "template", "url"), GETS, ids=[f"{m} {p}" for m, p, _ in GETS])
def test_with_a_token_no_read_is_401(client, method, template, url):
    response = client.request(method, url, headers=bearer(hs256_token()))
    assert response.status_code != 401, response.text
    assert response.status_code < 500, response.text


@pytest.mark.usefixtures("auth_on")
@pytest.mark.parametrize(("method", "template", "url"), GETS, ids=[f"{m} {p}" for m, p, _ in GETS])
def test_a_bad_token_on_a_read_is_401(client, method, template, url):
    response = client.request(method, url, headers=bearer(hs256_token() + "x"))
    assert response.status_code == (200 if template in OPEN_PATHS else 401), response.text


@pytest.mark.parametrize(("method", "template", "url"), GETS, ids=[f"{m} {p}" for m, p, _ in GETS])
def test_with_auth_off_reads_need_no_token(client, method, template, url):
    response = client.request(method, url)
    assert response.status_code not in (401, 403), response.text
    assert response.status_code < 500, response.text


def test_the_openapi_document_says_which_operations_need_a_token(client):
    document = client.get("/api/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            needs = any("HTTPBearer" in requirement for requirement in operation.get("security", []))
            assert needs == (path not in OPEN_PATHS), f"{method.upper()} {path}"
            if needs:
                assert "401" in operation["responses"], f"{method.upper()} {path}"


@pytest.mark.usefixtures("auth_on")
def test_the_page_loads_without_a_token_and_keeps_one_per_tab(client):
    """The page itself is open; its script asks for a token on a 401, keeps it in sessionStorage (this
    tab only) and sends it on every call, the event stream included."""
    assert client.get("/").status_code == 200
    script = client.get("/static/app.js").text
    assert "sessionStorage.setItem" in script and "localStorage.setItem" not in script
    assert "askForToken" in script and "new EventSource" not in script
    assert client.get("/api/subscriptions").status_code == 401
