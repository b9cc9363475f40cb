"""What every request must pass before any route sees it, so that neither another web page nor a
network neighbour can drive the API:

- its Host is ours (localhost, 127.0.0.1, [::1], the address it arrived on, ORCHESTRATOR_ALLOWED_HOSTS):
  a DNS-rebound page, whose requests carry its own name, gets nothing;
- with auth off, it arrived on a loopback address (unless ORCHESTRATOR_ALLOW_REMOTE_WITHOUT_AUTH);
- a write (any method but GET, HEAD, OPTIONS) and a WebSocket come from our own origin or a configured
  one (ORCHESTRATOR_CORS_ORIGINS), and a write carries JSON or nothing: a cross-site form or `fetch` cannot
  start anything, with or without a token, and a foreign page cannot listen to the event WebSocket;
- its body is at most ORCHESTRATOR_MAX_BODY_BYTES.

Configured origins get CORS answers (Starlette's CORSMiddleware) for the reference's orchestrator-ui.
Settings are read per request, so a changed setting applies at once.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocketClose

from orchestrator_core.api.errors import refusal_response
from orchestrator_core.settings import app_settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
CORS_HEADERS = ["Authorization", "Content-Type", "If-None-Match", "If-Match"]
CORS_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]


def is_loopback(address: str) -> bool:
    """Is `address` (an IP address, or the name localhost) on this machine only?"""
    name = address.strip("[]").rstrip(".").lower()
    if name == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return bool(ip.is_loopback or (mapped is not None and mapped.is_loopback))


def hostname(host_header: str) -> str:
    """The name of a Host header, without port and brackets: `[::1]:8080` -> `::1`."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host[1:]
    return (host.rsplit(":", 1)[0] if host.count(":") == 1 else host).rstrip(".")


def _authority(netloc: str) -> str:
    """host[:port] without a default port, for comparing an Origin with a Host header."""
    netloc = netloc.strip().lower()
    for default in (":80", ":443"):
        if netloc.endswith(default):
            return netloc[: -len(default)]
    return netloc


def host_allowed(name: str, local_address: str | None) -> bool:
    if name in LOOPBACK_NAMES or (local_address is not None and name == local_address.lower()):
        return True
    for allowed in app_settings.ORCHESTRATOR_ALLOWED_HOSTS:
        allowed = allowed.strip().lower().rstrip(".")
        if allowed == "*" or name == allowed or (allowed.startswith("*.") and name.endswith(allowed[1:])):
            return True
    return False


def configured_origins() -> list[str]:
    """ORCHESTRATOR_CORS_ORIGINS in force: `*` only counts while auth is on."""
    origins = [o.strip().rstrip("/") for o in app_settings.ORCHESTRATOR_CORS_ORIGINS if o.strip()]
    if app_settings.ORCHESTRATOR_AUTH_DISABLED:
        origins = [o for o in origins if o != "*"]
    return origins


def _same_origin(origin: str, host_header: str | None) -> bool:
    parts = urlsplit(origin)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.netloc)
        and host_header is not None
        and _authority(parts.netloc) == _authority(host_header)
    )


def _configured(origin: str) -> bool:
    origins = configured_origins()
    return "*" in origins or origin.rstrip("/").lower() in {o.lower() for o in origins}


def _json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


class RequestGuard:
    """ASGI middleware: refuses, in the API's error shape, what must not reach a route (see the module)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._cors: tuple[tuple[str, ...], CORSMiddleware] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            if scope["type"] == "websocket":  # refused before the handshake: the client gets HTTP 403
                refusal = WebSocketClose(code=1008)
            await refusal(scope, receive, send)
            return
        if scope["type"] == "http" and _has_body(headers):
            body = await _read_body(receive, app_settings.ORCHESTRATOR_MAX_BODY_BYTES)
            if body is None:
                await _too_large()(scope, receive, send)
                return
            receive = _replay(body, receive)
        origin = headers.get("origin")
        if origin is not None and not _same_origin(origin, headers.get("host")) and _configured(origin):
            await self._cors_app()(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _refusal(self, scope: Scope, headers: Headers) -> Any:
        server = scope.get("server")
        local_address = server[0] if server and server[1] is not None else None
        host = headers.get("host")
        if host is not None and not host_allowed(hostname(host), local_address):
            return refusal_response(
                400,
                "request.host_not_allowed",
                f"This API does not answer for host {hostname(host)[:100]!r}; add it to ORCHESTRATOR_ALLOWED_HOSTS "
                "if clients reach the API by that name",
            )
        if (
            app_settings.ORCHESTRATOR_AUTH_DISABLED
            and not app_settings.ORCHESTRATOR_ALLOW_REMOTE_WITHOUT_AUTH
            and _network_address(local_address)
            and not is_loopback(local_address or "")
        ):
            return refusal_response(
                403,
                "auth.required_off_loopback",
                "Authentication is off, so this API answers on loopback addresses only; turn it on "
                "(ORCHESTRATOR_AUTH_DISABLED=false) or set ORCHESTRATOR_ALLOW_REMOTE_WITHOUT_AUTH=true",
            )
        method = scope.get("method", "GET")
        origin = headers.get("origin")
        preflight = method == "OPTIONS" and origin is not None and "access-control-request-method" in headers
        websocket = scope["type"] == "websocket"  # no CORS protects it: a page of any origin may open one
        if method not in SAFE_METHODS or preflight or websocket:
            foreign = (
                origin is not None and not _same_origin(origin, headers.get("host")) and not _configured(origin)
            ) or (origin is None and headers.get("sec-fetch-site") == "cross-site")
            if foreign:
                return refusal_response(
                    403,
                    "request.origin_not_allowed",
                    f"Requests that change data are not accepted from origin {(origin or 'cross-site')[:100]!r}; "
                    "add it to ORCHESTRATOR_CORS_ORIGINS if it is a trusted web application",
                )
        if method not in SAFE_METHODS:
            content_type = headers.get("content-type")
            if (content_type is not None or _has_body(headers)) and not _json(content_type or ""):
                return refusal_response(
                    415,
                    "request.unsupported_media_type",
                    "A request body must be JSON (Content-Type: application/json), "
                    f"not {(content_type or 'none')[:100]!r}",
                )
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > app_settings.ORCHESTRATOR_MAX_BODY_BYTES:
            return _too_large()
        return None

    def _cors_app(self) -> CORSMiddleware:
        """Starlette's CORS handling for the configured origins, rebuilt when the setting changes."""
        origins = tuple(configured_origins())
        if self._cors is None or self._cors[0] != origins:
            middleware = CORSMiddleware(
                self.app,
                allow_origins=list(origins),
                allow_methods=CORS_METHODS,
                allow_headers=CORS_HEADERS,
                allow_credentials=False,
                max_age=600,
            )
            self._cors = (origins, middleware)
        return self._cors[1]


def _network_address(address: str | None) -> bool:
    """Did the request arrive on a network socket? Servers report its IP address; an in-process client
    (Starlette's TestClient: `testserver`) or a unix socket reports none."""
    if address is None:
        return False
    try:
        ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return False
    return True


def _has_body(headers: Headers) -> bool:
    length = headers.get("content-length")
    return "transfer-encoding" in headers or (length is not None and length.strip() not in ("", "0"))


def _too_large() -> Any:
    limit = app_settings.ORCHESTRATOR_MAX_BODY_BYTES
    return refusal_response(
        413, "request.too_large", f"The request body is larger than {limit} bytes", limit=limit
    )


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None once it exceeds `limit` bytes (the rest is not read)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks)  # the client left; the route sees an incomplete body and its disconnect
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that hands the app the body already read, then whatever the client sends next."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
