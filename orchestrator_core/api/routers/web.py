"""The operator's page: plain HTML and JavaScript from the package, no build step."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

router = APIRouter(include_in_schema=False)
STATIC = resources.files("orchestrator_core.api") / "static"


@router.get("/", response_class=HTMLResponse)
def index() -> HTMLResponse:
    return HTMLResponse((STATIC / "index.html").read_text(encoding="utf-8"))


@router.get("/static/app.js")
def app_js() -> Response:
    return Response((STATIC / "app.js").read_text(encoding="utf-8"), media_type="text/javascript")


@router.get("/static/app.css")
def app_css() -> Response:
    return Response((STATIC / "app.css").read_text(encoding="utf-8"), media_type="text/css")
