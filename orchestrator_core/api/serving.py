"""Where the API may listen: with auth off only on loopback, unless an operator explicitly says otherwise.

`orchestrator serve` asks `bind_refusal` before it starts; the request guard holds the same rule per
connection, for an application's app served by its own `uvicorn wsgi:app --host ...`.
"""

from __future__ import annotations

import socket

from orchestrator_core.api.request_guard import is_loopback
from orchestrator_core.settings import app_settings


def binds_loopback_only(host: str) -> bool:
    """Does listening on `host` (an address or a name) reach this machine only?"""
    if is_loopback(host):
        return True
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return False
    return bool(addresses) and all(is_loopback(str(address)) for address in addresses)


def bind_refusal(host: str, allow_remote_without_auth: bool = False) -> str | None:
    """Why serving on `host` is refused, as one line; None when it is fine."""
    allowed = allow_remote_without_auth or app_settings.ORCHESTRATOR_ALLOW_REMOTE_WITHOUT_AUTH
    if not app_settings.ORCHESTRATOR_AUTH_DISABLED:
        if not (app_settings.ORCHESTRATOR_JWT_SECRET or app_settings.ORCHESTRATOR_OIDC_JWKS_URL):
            return ("Refusing to start: authentication is on (ORCHESTRATOR_AUTH_DISABLED=false) but no token can be "
                    "verified; set ORCHESTRATOR_OIDC_JWKS_URL or ORCHESTRATOR_JWT_SECRET")
        return None
    if allowed or binds_loopback_only(host):
        return None
    return (f"Refusing to serve on {host} with authentication off: anyone who reaches it could start workflows. "
            "Bind 127.0.0.1, or turn authentication on (ORCHESTRATOR_AUTH_DISABLED=false with "
            "ORCHESTRATOR_OIDC_JWKS_URL or ORCHESTRATOR_JWT_SECRET), or pass --allow-remote-without-auth "
            "(ORCHESTRATOR_ALLOW_REMOTE_WITHOUT_AUTH=true) to accept that risk.")
